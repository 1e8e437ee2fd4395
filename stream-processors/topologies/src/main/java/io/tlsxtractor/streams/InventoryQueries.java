package io.tlsxtractor.streams;

import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.DomainRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries over the inventory and certificate stores of a running application: local lookups by key and
 * by key prefix, and, for a deployment of several instances, which instance owns a key ({@link #route}). The HTTP
 * hop to another instance belongs to the API; this class decides where to go.
 *
 * <p>The stores hold each record as its output topic has it (Avro, with the schema id); lookups deserialise.
 */
public final class InventoryQueries {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Deserializer<DomainRecord> records;
    private final Deserializer<Certificate> certificates;

    /**
     * @param self this instance's {@code application.server}, or null when it has none (single instance)
     * @param records reads the inventory store's values ({@code tlsx.domain-inventory.v1}'s value serde)
     * @param certificates reads the certificate store's values ({@code tlsx.certificates.v1}'s value serde)
     */
    public InventoryQueries(KafkaStreams streams, HostInfo self, Deserializer<DomainRecord> records,
            Deserializer<Certificate> certificates) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = self;
        this.records = Objects.requireNonNull(records, "records");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    /** Where the data for a key lives. */
    public sealed interface Route permits Local, Remote, Unavailable {
    }

    /** This instance owns the key: query locally. */
    public record Local() implements Route {
    }

    /** Another instance owns the key: ask {@code active}, or one of {@code standbys} if it does not answer. */
    public record Remote(HostInfo active, Set<HostInfo> standbys) implements Route {
    }

    /** Nobody owns it right now (rebalancing, or the application is not running): retry later. */
    public record Unavailable(String why) implements Route {
    }

    /** The domain's record from this instance's store. */
    public Optional<DomainRecord> domain(String domain) {
        return Optional.ofNullable(store(StreamsTopologies.INVENTORY_STORE).get(domain))
                .map(bytes -> records.deserialize(Topics.DOMAIN_INVENTORY.name(), bytes));
    }

    /** Records of this instance whose domain starts with {@code prefix}, in key order, at most {@code limit}. */
    public List<DomainRecord> domainsWithPrefix(String prefix, int limit) {
        return prefix(StreamsTopologies.INVENTORY_STORE, prefix, limit, records, Topics.DOMAIN_INVENTORY.name());
    }

    /** Every domain record of this instance, in key order, at most {@code limit}. */
    public List<DomainRecord> domains(int limit) {
        return prefix(StreamsTopologies.INVENTORY_STORE, "", limit, records, Topics.DOMAIN_INVENTORY.name());
    }

    /** The certificate with this SHA-256 (lower-case hex) from this instance's store. */
    public Optional<Certificate> certificate(String sha256) {
        return Optional.ofNullable(store(StreamsTopologies.CERTIFICATE_STORE).get(sha256))
                .map(bytes -> certificates.deserialize(Topics.CERTIFICATES.name(), bytes));
    }

    /** Certificates of this instance whose SHA-256 starts with {@code prefix}, at most {@code limit}. */
    public List<Certificate> certificatesWithPrefix(String prefix, int limit) {
        return prefix(StreamsTopologies.CERTIFICATE_STORE, prefix, limit, certificates, Topics.CERTIFICATES.name());
    }

    /** Kafka Streams' metadata for {@code key} in {@code store}: its partition, active and standby hosts. */
    public KeyQueryMetadata queryMetadataForKey(String store, String key) {
        return streams.queryMetadataForKey(store, key, KEYS);
    }

    /** Where to query {@code key} of {@code store}: here, another instance, or nowhere right now. */
    public Route route(String store, String key) {
        if (streams.state() != KafkaStreams.State.RUNNING && streams.state() != KafkaStreams.State.REBALANCING) {
            return new Unavailable("the application is " + streams.state());
        }
        KeyQueryMetadata metadata = queryMetadataForKey(store, key);
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return new Unavailable("no instance owns " + store + "/" + key + " at the moment");
        }
        HostInfo active = metadata.activeHost();
        if (self == null || active.equals(self) || HostInfo.unavailable().equals(active)) {
            return new Local();
        }
        return new Remote(active, metadata.standbyHosts());
    }

    private <V> List<V> prefix(String storeName, String prefix, int limit, Deserializer<V> values, String topic) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        List<V> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, byte[]> store = store(storeName);
        // A caching store cannot prefix-scan the empty prefix (it computes the prefix's successor): scan all instead.
        try (KeyValueIterator<String, byte[]> it = prefix.isEmpty() ? store.all() : store.prefixScan(prefix, KEYS)) {
            while (it.hasNext() && out.size() < limit) {
                out.add(values.deserialize(topic, it.next().value));
            }
        }
        return out;
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }
}
