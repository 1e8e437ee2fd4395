package io.tlsxtractor.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every topic's value survives the catalog's own serde through the in-memory registry. */
class TopicValueRoundTripTest {

    static java.util.List<TopicSpec<String, ?>> topics() {
        return Topics.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    @SuppressWarnings("unchecked")
    void valueRoundTripsThroughTheCatalogSerde(TopicSpec<String, ?> spec) {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Map.Entry<String, SpecificRecord> sample = SampleRecords.sample(spec);
        Serde<Object> serde = (Serde<Object>) spec.valueSerde(registry, true);

        byte[] bytes = serde.serializer().serialize(spec.name(), sample.getValue());
        Object back = serde.deserializer().deserialize(spec.name(), bytes);

        assertThat(back).isInstanceOf(spec.valueClass()).isEqualTo(sample.getValue());
        assertThat(registry.latest(spec.valueSubject())).get()
                .satisfies(latest -> assertThat(latest.schema()).isEqualTo(spec.valueSchema().orElseThrow()));
    }
}
