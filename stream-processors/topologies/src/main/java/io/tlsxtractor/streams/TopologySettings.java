package io.tlsxtractor.streams;

import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.streams.internal.BasicCertificateInspector;
import java.time.Duration;
import java.util.Objects;

/**
 * What the topology is built from: no broker, no running service. Build with {@link #builder(SchemaRegistryClient)}.
 *
 * @param registry the schema registry client every Avro serde uses
 * @param autoRegisterSchemas whether serializers register the schemas of output topics (internal stores always do)
 * @param extraction which names are kept
 * @param progressInterval how often each scan's status and {@code scan.progress} are emitted at most
 * @param dns asynchronous DNS lookups for new domains; null disables DNS enrichment
 * @param dnsPollInterval how often completed lookups are folded into the inventory
 * @param maxDnsInFlight lookups outstanding per task at most
 * @param inspector certificate analysis, run once per distinct certificate
 * @param drops where dropped names are counted
 * @param limits how many IPs and certificates one domain's record keeps
 * @param inventoryCounters where additions refused by {@code limits} are counted
 */
public record TopologySettings(SchemaRegistryClient registry, boolean autoRegisterSchemas,
        ExtractionSettings extraction, Duration progressInterval, DnsLookup dns, Duration dnsPollInterval,
        int maxDnsInFlight, CertificateInspector inspector, DropCounters drops, InventoryLimits limits,
        InventoryCounters inventoryCounters) {

    public TopologySettings {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(extraction, "extraction");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(dnsPollInterval, "dnsPollInterval");
        Objects.requireNonNull(inspector, "inspector");
        Objects.requireNonNull(drops, "drops");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(inventoryCounters, "inventoryCounters");
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("progress interval must be positive, got " + progressInterval);
        }
        if (dnsPollInterval.isNegative() || dnsPollInterval.isZero()) {
            throw new IllegalArgumentException("DNS poll interval must be positive, got " + dnsPollInterval);
        }
        if (maxDnsInFlight < 1) {
            throw new IllegalArgumentException("max DNS lookups in flight must be at least 1, got " + maxDnsInFlight);
        }
    }

    public static Builder builder(SchemaRegistryClient registry) {
        return new Builder(registry);
    }

    /** Defaults: 1.x extraction rules, status every second, no DNS, the built-in certificate checks. */
    public static final class Builder {
        private final SchemaRegistryClient registry;
        private boolean autoRegister = true;
        private ExtractionSettings extraction = ExtractionSettings.defaults();
        private Duration progressInterval = Duration.ofSeconds(1);
        private DnsLookup dns;
        private Duration dnsPollInterval = Duration.ofMillis(200);
        private int maxDnsInFlight = 256;
        private CertificateInspector inspector = new BasicCertificateInspector();
        private DropCounters drops = new DropCounters();
        private InventoryLimits limits = InventoryLimits.defaults();
        private InventoryCounters inventoryCounters = new InventoryCounters();

        private Builder(SchemaRegistryClient registry) {
            this.registry = registry;
        }

        public Builder autoRegisterSchemas(boolean v) {
            this.autoRegister = v;
            return this;
        }

        public Builder extraction(ExtractionSettings v) {
            this.extraction = v;
            return this;
        }

        public Builder progressInterval(Duration v) {
            this.progressInterval = v;
            return this;
        }

        public Builder dns(DnsLookup v) {
            this.dns = v;
            return this;
        }

        public Builder dnsPollInterval(Duration v) {
            this.dnsPollInterval = v;
            return this;
        }

        public Builder maxDnsInFlight(int v) {
            this.maxDnsInFlight = v;
            return this;
        }

        public Builder inspector(CertificateInspector v) {
            this.inspector = v;
            return this;
        }

        public Builder drops(DropCounters v) {
            this.drops = v;
            return this;
        }

        public Builder limits(InventoryLimits v) {
            this.limits = v;
            return this;
        }

        public Builder inventoryCounters(InventoryCounters v) {
            this.inventoryCounters = v;
            return this;
        }

        public TopologySettings build() {
            return new TopologySettings(registry, autoRegister, extraction, progressInterval, dns, dnsPollInterval,
                    maxDnsInFlight, inspector, drops, limits, inventoryCounters);
        }
    }
}
