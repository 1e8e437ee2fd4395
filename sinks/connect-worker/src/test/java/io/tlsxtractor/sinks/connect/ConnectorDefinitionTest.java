package io.tlsxtractor.sinks.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorDefinitionTest {

    @TempDir
    Path dir;

    @Test
    void readsTheRestApiCreateRequestJsonWithNumbersAsText() throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"),
                "{\"name\":\"ch\",\"config\":{\"connector.class\":\"x.Y\",\"tasks.max\":2,\"flag\":true}}");
        ConnectorDefinition connector = ConnectorDefinition.load(file);
        assertThat(connector.name()).isEqualTo("ch");
        assertThat(connector.config()).containsEntry("tasks.max", "2").containsEntry("flag", "true")
                .containsEntry("name", "ch");
    }

    @Test
    void readsAFlatJsonObjectAndAPropertiesFile() throws Exception {
        assertThat(ConnectorDefinition.load(Files.writeString(dir.resolve("flat.json"),
                "{\"name\":\"n\",\"connector.class\":\"x.Y\"}")).name()).isEqualTo("n");
        ConnectorDefinition props = ConnectorDefinition.load(Files.writeString(dir.resolve("c.properties"),
                "name=p\nconnector.class=x.Y\ntopics=a,b\n"));
        assertThat(props.config()).containsEntry("topics", "a,b");
    }

    @Test
    void refusesFilesWithoutNameOrClassOrWithNestedValues() throws Exception {
        assertThatThrownBy(() -> ConnectorDefinition.load(Files.writeString(dir.resolve("a.json"),
                "{\"connector.class\":\"x.Y\"}"))).hasMessageContaining("a.json").hasMessageContaining("no \"name\"");
        assertThatThrownBy(() -> ConnectorDefinition.load(Files.writeString(dir.resolve("b.properties"), "name=b\n")))
                .hasMessageContaining("b.properties").hasMessageContaining("connector.class");
        assertThatThrownBy(() -> ConnectorDefinition.load(Files.writeString(dir.resolve("c.json"),
                "{\"name\":\"c\",\"connector.class\":\"x.Y\",\"topics\":[\"a\"]}")))
                .hasMessageContaining("key topics");
    }

    @Test
    void toJsonIsTheCreateRequestWithTheNameInTheConfigToo() throws Exception {
        JsonNode json = new ObjectMapper().readTree(new ConnectorDefinition("n", Map.of("connector.class", "x.Y")).toJson());
        assertThat(json.get("name").asText()).isEqualTo("n");
        assertThat(json.get("config").get("connector.class").asText()).isEqualTo("x.Y");
        assertThat(json.get("config").get("name").asText()).isEqualTo("n");
        assertThat(json.size()).isEqualTo(2);
    }
}
