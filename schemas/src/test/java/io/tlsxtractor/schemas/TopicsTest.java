package io.tlsxtractor.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** Invariants of the topic catalog and of the schemas behind it. */
class TopicsTest {

    @Test
    void catalogHoldsExactlyTheArchitectureTopics() {
        assertThat(Topics.all()).extracting(TopicSpec::name).containsExactly(
                "tlsx.scan-requests.v1", "tlsx.targets.v1", "tlsx.probe-results.v1", "tlsx.domains.v1",
                "tlsx.domain-inventory.v1", "tlsx.certificates.v1", "tlsx.scan-status.v1", "tlsx.events.v1");
    }

    @Test
    void namesAreUniqueAndVersioned() {
        List<String> names = Topics.allWithDeadLetters().stream().map(TopicSpec::name).toList();
        assertThat(names).doesNotHaveDuplicates().hasSize(17).contains("tlsx.scan-inputs.v1");
        assertThat(Topics.all()).allSatisfy(spec -> assertThat(spec.name()).matches("tlsx\\.[a-z-]+\\.v\\d+"));
    }

    @Test
    void tablesAreCompactedAndStreamsExpire() {
        assertThat(Topics.all()).filteredOn(spec -> spec.cleanupPolicy() == CleanupPolicy.COMPACT)
                .extracting(TopicSpec::name)
                .containsExactlyInAnyOrder("tlsx.domain-inventory.v1", "tlsx.certificates.v1", "tlsx.scan-status.v1");
        for (TopicSpec<?, ?> spec : Topics.all()) {
            assertThat(spec.configs()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanupPolicy().configValue());
            // A retention on a compacted table would delete the latest state of quiet keys.
            assertThat(spec.retention().isPresent()).as(spec.name())
                    .isEqualTo(spec.cleanupPolicy() == CleanupPolicy.DELETE);
        }
    }

    @Test
    void everyTopicHasADeadLetterTopicCarryingRawBytes() {
        for (TopicSpec<String, ?> spec : Topics.all()) {
            TopicSpec<byte[], byte[]> dlq = spec.dlq();
            assertThat(dlq.name()).isEqualTo(spec.name() + ".dlq").isEqualTo(Topics.deadLetterName(spec.name()));
            assertThat(dlq.isDeadLetter()).isTrue();
            assertThat(dlq.cleanupPolicy()).isEqualTo(CleanupPolicy.DELETE);
            assertThat(dlq.partitions()).isEqualTo(spec.partitions());
            assertThat(dlq.valueSchema()).isEmpty();
            byte[] raw = {1, 2, 3};
            assertThat(dlq.valueSerde(null, false).serializer().serialize(dlq.name(), raw)).isEqualTo(raw);
            assertThat(Topics.byName(dlq.name())).contains(dlq);
        }
    }

    @Test
    void uploadedInputsAreRawBytesKeyedByScanIdAndKeptAsLongAsTheRequests() {
        TopicSpec<String, byte[]> inputs = Topics.SCAN_INPUTS;
        assertThat(inputs.valueSchema()).isEmpty();
        assertThat(inputs.isDeadLetter()).isFalse();
        byte[] chunk = "127.0.0.1\n# comment\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(inputs.valueSerde(null, false).serializer().serialize(inputs.name(), chunk)).isEqualTo(chunk);
        assertThat(inputs.keySerde().serializer().serialize(inputs.name(), "scan-1"))
                .isEqualTo("scan-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(inputs.cleanupPolicy()).isEqualTo(CleanupPolicy.DELETE);
        assertThat(inputs.retention()).isEqualTo(Topics.SCAN_REQUESTS.retention());
        assertThat(Topics.byName("tlsx.scan-inputs.v1")).contains(inputs);
        assertThat(Topics.all()).doesNotContain(inputs);
    }

    @Test
    void keysArePlainUtf8Strings() {
        for (TopicSpec<String, ?> spec : Topics.all()) {
            assertThat(spec.keyClass()).isEqualTo(String.class);
            assertThat(spec.keySerde().serializer().serialize(spec.name(), "93.184.216.34:443"))
                    .isEqualTo("93.184.216.34:443".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(spec.valueSubject()).isEqualTo(spec.name() + "-value");
            assertThat(spec.keySubject()).isEqualTo(spec.name() + "-key");
        }
    }

    @Test
    void everyValueClassHasItsGeneratedSchema() {
        for (TopicSpec<String, ?> spec : Topics.all()) {
            assertThat(spec.valueSchema()).as(spec.name()).contains(SpecificData.get().getSchema(spec.valueClass()));
            assertThat(spec.valueSchema().orElseThrow().getNamespace()).isEqualTo("io.tlsxtractor.schemas.avro");
        }
    }

    @Test
    void everyRecordAndFieldIsDocumentedAndEveryOptionalFieldHasADefault() {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TopicSpec<String, ?> spec : Topics.all()) {
            inspect(spec.valueSchema().orElseThrow(), seen, problems);
        }
        assertThat(problems).isEmpty();
        assertThat(seen).contains("io.tlsxtractor.schemas.avro.CertificateFields", "io.tlsxtractor.schemas.avro.ErrorCode");
    }

    /**
     * Avro's generated equals() compares array and map elements with the plain GenericData model, which cannot
     * resolve a union holding a converted logical type (it fails with "Unknown datum type java.time.Instant").
     */
    private static void nullableLogicalTypes(Schema schema, Set<String> seen, String path, List<String> problems) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> nullableLogicalTypes(f.schema(), seen, path + "." + f.name(), problems));
                }
            }
            case UNION -> schema.getTypes().forEach(type -> {
                if (type.getLogicalType() != null) {
                    problems.add(path + " is a nullable " + type.getLogicalType().getName()
                            + " inside an array or map: generated equals() would fail on it");
                }
                nullableLogicalTypes(type, seen, path, problems);
            });
            case ARRAY -> nullableLogicalTypes(schema.getElementType(), seen, path, problems);
            case MAP -> nullableLogicalTypes(schema.getValueType(), seen, path, problems);
            default -> { }
        }
    }

    private static void inspect(Schema schema, Set<String> seen, List<String> problems) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                if (schema.getDoc() == null || schema.getDoc().isBlank()) {
                    problems.add(schema.getFullName() + " has no doc");
                }
                for (Schema.Field field : schema.getFields()) {
                    if (field.doc() == null || field.doc().isBlank()) {
                        problems.add(schema.getFullName() + "." + field.name() + " has no doc");
                    }
                    boolean optional = field.schema().getType() == Schema.Type.UNION
                            && field.schema().getTypes().get(0).getType() == Schema.Type.NULL;
                    boolean collection = field.schema().getType() == Schema.Type.ARRAY
                            || field.schema().getType() == Schema.Type.MAP;
                    if ((optional || collection) && !field.hasDefaultValue()) {
                        problems.add(schema.getFullName() + "." + field.name() + " may be absent but has no default");
                    }
                    inspect(field.schema(), seen, problems);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName()) && schema.getEnumDefault() == null) {
                    // Without a default, a reader meeting a newer symbol fails instead of reading a fallback.
                    problems.add(schema.getFullName() + " has no default symbol");
                }
            }
            case UNION -> schema.getTypes().forEach(type -> inspect(type, seen, problems));
            case ARRAY -> {
                nullableLogicalTypes(schema.getElementType(), new HashSet<>(), schema.getElementType().getName(), problems);
                inspect(schema.getElementType(), seen, problems);
            }
            case MAP -> {
                nullableLogicalTypes(schema.getValueType(), new HashSet<>(), schema.getValueType().getName(), problems);
                inspect(schema.getValueType(), seen, problems);
            }
            default -> { }
        }
    }
}
