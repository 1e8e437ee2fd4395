package io.tlsxtractor.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.schemas.SampleRecords;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Data written with an older schema reads into today's classes (BACKWARD evolution). */
class SchemaEvolutionTest {

    private static final String TOPIC = "tlsx.probe-results.v1";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    /** ProbeResult as it was before {@code alpn} and {@code workerId} were added (with defaults). */
    private static Schema olderProbeResult() {
        Schema current = ProbeResult.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : current.getFields()) {
            if (!field.name().equals("alpn") && !field.name().equals("workerId")) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    @Test
    void oldWriterNewReaderFillsAddedFieldsWithTheirDefaults() {
        Schema older = olderProbeResult();
        ProbeResult sample = SampleRecords.probeResult();
        GenericRecord old = SampleRecords.project(sample, older);
        byte[] bytes = AvroSerde.generic(registry, null, true, false).serializer().serialize(TOPIC, old);

        // Today's schema joins the subject: an added field with a default is BACKWARD compatible.
        registry.register(TOPIC + "-value", ProbeResult.getClassSchema());
        ProbeResult read = new AvroDeserializer<>(registry, ProbeResult.class).deserialize(TOPIC, bytes);

        assertThat(read.getAlpn()).isNull();
        assertThat(read.getWorkerId()).isNull();
        assertThat(read.getIp()).isEqualTo(sample.getIp());
        assertThat(read.getNames()).isEqualTo(sample.getNames());
        assertThat(read.getLeaf()).isEqualTo(sample.getLeaf());
        assertThat(read.getProbedAt()).isEqualTo(sample.getProbedAt());
    }

    @Test
    void inventoryRecordsWrittenBeforeDnsStatusReadWithItNull() {
        String topic = "tlsx.domain-inventory.v1";
        Schema current = DomainRecord.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : current.getFields()) {
            if (!field.name().equals("dnsStatus")) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        DomainRecord sample = SampleRecords.domainRecord();
        byte[] bytes = AvroSerde.generic(registry, null, true, false).serializer()
                .serialize(topic, SampleRecords.project(sample, older));

        registry.register(topic + "-value", current);
        DomainRecord read = new AvroDeserializer<>(registry, DomainRecord.class).deserialize(topic, bytes);
        assertThat(read.getDnsStatus()).isNull();
        assertThat(read.getDnsAnswers()).isEqualTo(sample.getDnsAnswers());

        // And today's writer round-trips a status.
        DomainRecord nxdomain = DomainRecord.newBuilder(sample).setDnsAnswers(List.of()).setDnsStatus("NXDOMAIN")
                .build();
        byte[] written = new AvroSerializer<DomainRecord>(registry, true, false).serialize(topic, nxdomain);
        assertThat(new AvroDeserializer<>(registry, DomainRecord.class).deserialize(topic, written))
                .isEqualTo(nxdomain);
    }

    @Test
    void enumSymbolFromANewerWriterReadsAsTheDefaultSymbol() {
        // A later version may add a status or category; readers still on today's enums must not fail.
        Schema current = ProbeResult.getClassSchema();
        Schema newerStatus = Schema.createEnum("ProbeStatus", null, "io.tlsxtractor.schemas.avro",
                append(current.getField("status").schema().getEnumSymbols(), "FILTERED"), "UNKNOWN");
        Schema categoryUnion = current.getField("errorCategory").schema();
        Schema newerCategory = Schema.createEnum("ErrorCategory", null, "io.tlsxtractor.schemas.avro",
                append(categoryUnion.getTypes().get(1).getEnumSymbols(), "PROXY"), "UNKNOWN");
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : current.getFields()) {
            Schema type = switch (field.name()) {
                case "status" -> newerStatus;
                case "errorCategory" -> Schema.createUnion(Schema.create(Schema.Type.NULL), newerCategory);
                default -> field.schema();
            };
            fields.add(new Schema.Field(field, type));
        }
        Schema newer = Schema.createRecord("ProbeResult", null, "io.tlsxtractor.schemas.avro", false, fields);

        GenericRecord record = SampleRecords.project(SampleRecords.probeResult(), newer);
        record.put("status", new GenericData.EnumSymbol(newerStatus, "FILTERED"));
        record.put("errorCategory", new GenericData.EnumSymbol(newerCategory, "PROXY"));
        InMemorySchemaRegistryClient lenient = new InMemorySchemaRegistryClient();
        lenient.setCompatibility(null, "NONE");
        byte[] bytes = AvroSerde.generic(lenient, null, true, false).serializer().serialize(TOPIC, record);

        ProbeResult read = new AvroDeserializer<>(lenient, ProbeResult.class).deserialize(TOPIC, bytes);
        assertThat(read.getStatus()).isEqualTo(ProbeStatus.UNKNOWN);
        assertThat(read.getErrorCategory()).isEqualTo(ErrorCategory.UNKNOWN);
    }

    private static List<String> append(List<String> symbols, String extra) {
        List<String> all = new ArrayList<>(symbols);
        all.add(extra);
        return all;
    }
}
