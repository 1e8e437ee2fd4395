package io.tlsxtractor.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.schemas.avro.Event;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private static final String SUBJECT = "tlsx.things.v1-value";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    private static Schema v1() {
        return SchemaBuilder.record("Thing").namespace("t").fields().requiredString("name").endRecord();
    }

    @Test
    void defaultsToBackwardLikeConfluent() {
        assertThat(registry.getCompatibility(null)).isEqualTo("BACKWARD");
        assertThat(registry.getCompatibility(SUBJECT)).isEqualTo("BACKWARD");
    }

    @Test
    void registeringTheSameSchemaTwiceGivesTheSameIdAndOneVersion() {
        int first = registry.register(SUBJECT, v1());
        int second = registry.register(SUBJECT, v1());
        assertThat(second).isEqualTo(first);
        assertThat(registry.latest(SUBJECT)).get().extracting(RegisteredSchema::version).isEqualTo(1);
        assertThat(registry.getById(first)).isEqualTo(v1());
        assertThat(registry.lookupId(SUBJECT, v1())).isEqualTo(first);
    }

    @Test
    void theSameSchemaUnderTwoSubjectsSharesItsGlobalId() {
        assertThat(registry.register("a-value", v1())).isEqualTo(registry.register("b-value", v1()));
    }

    @Test
    void addingAFieldWithADefaultIsAccepted() {
        registry.register(SUBJECT, v1());
        Schema v2 = SchemaBuilder.record("Thing").namespace("t").fields()
                .requiredString("name").name("size").type().intType().intDefault(0).endRecord();
        assertThat(registry.isCompatible(SUBJECT, v2)).isTrue();
        int id = registry.register(SUBJECT, v2);
        assertThat(registry.latest(SUBJECT)).get().satisfies(latest -> {
            assertThat(latest.id()).isEqualTo(id);
            assertThat(latest.version()).isEqualTo(2);
        });
    }

    @Test
    void addingAFieldWithoutADefaultIsRefusedNamingSubjectAndField() {
        registry.register(SUBJECT, v1());
        Schema v2 = SchemaBuilder.record("Thing").namespace("t").fields()
                .requiredString("name").requiredInt("size").endRecord();
        assertThat(registry.isCompatible(SUBJECT, v2)).isFalse();
        assertThatThrownBy(() -> registry.register(SUBJECT, v2))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE);
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.retriable()).isFalse();
                })
                .hasMessageContaining("subject '" + SUBJECT + "'")
                .hasMessageContaining("BACKWARD")
                .hasMessageContaining("size");
    }

    @Test
    void changingAFieldTypeIsRefused() {
        registry.register(SUBJECT, v1());
        Schema changed = SchemaBuilder.record("Thing").namespace("t").fields().requiredInt("name").endRecord();
        assertThatThrownBy(() -> registry.register(SUBJECT, changed))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("TYPE_MISMATCH");
    }

    @Test
    void transitiveLevelsCheckEveryVersion() {
        Schema v2 = SchemaBuilder.record("Thing").namespace("t").fields()
                .optionalString("name").endRecord();
        Schema v3 = SchemaBuilder.record("Thing").namespace("t").fields()
                .optionalString("name").requiredInt("size").endRecord();
        registry.setCompatibility(SUBJECT, "NONE");
        registry.register(SUBJECT, v1());
        registry.register(SUBJECT, v2);
        registry.setCompatibility(SUBJECT, "BACKWARD_TRANSITIVE");
        assertThat(registry.isCompatible(SUBJECT, v3)).isFalse();
        assertThat(registry.getCompatibility(SUBJECT)).isEqualTo("BACKWARD_TRANSITIVE");
        assertThat(registry.getCompatibility(null)).isEqualTo("BACKWARD");
    }

    @Test
    void unknownLevelIsRefused() {
        assertThatThrownBy(() -> registry.setCompatibility(null, "SIDEWAYS"))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unknown level 'SIDEWAYS'");
    }

    @Test
    void unknownIdAndUnregisteredSchemaAreNotFound() {
        assertThatThrownBy(() -> registry.getById(99))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND))
                .hasMessageContaining("schema id 99");
        registry.register(SUBJECT, v1());
        assertThatThrownBy(() -> registry.lookupId(SUBJECT, Event.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(404))
                .hasMessageContaining(SUBJECT);
        assertThat(registry.latest("nothing-value")).isEmpty();
    }
}
