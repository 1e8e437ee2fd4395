package io.tlsxtractor.sinks.neo4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one record says about the graph: nodes (by label and key, with properties) and relationships between them,
 * each seen between {@code first} and {@code last} (epoch milliseconds). Pure data: writing is {@link GraphWriter}'s job.
 */
public final class GraphFacts {

    /** The node labels of the graph and the property that identifies each. */
    public enum Label {
        DOMAIN("Domain", "name"),
        IP("IP", "address"),
        CERTIFICATE("Certificate", "sha256"),
        ORGANIZATION("Organization", "name");

        public final String label;
        public final String key;

        Label(String label, String key) {
            this.label = label;
            this.key = key;
        }
    }

    /** The relationship types of the graph, with the labels they join. */
    public enum RelType {
        SUBDOMAIN_OF(Label.DOMAIN, Label.DOMAIN),
        PRESENTED(Label.IP, Label.CERTIFICATE),
        NAMES(Label.CERTIFICATE, Label.DOMAIN),
        ISSUED_BY(Label.CERTIFICATE, Label.CERTIFICATE),
        ISSUED_TO(Label.CERTIFICATE, Label.ORGANIZATION),
        RESOLVES_TO(Label.DOMAIN, Label.IP),
        /** Carries {@code via} (csp, js) as part of its identity: one link per way of referencing. */
        REFERENCES(Label.DOMAIN, Label.DOMAIN);

        public final Label from;
        public final Label to;

        RelType(Label from, Label to) {
            this.from = from;
            this.to = to;
        }
    }

    public record Node(Label label, String key, Map<String, Object> properties, long first, long last) {
        public Node {
            Objects.requireNonNull(label, "label");
            requireKey(key, label.label + "." + label.key);
            properties = Map.copyOf(properties);
        }
    }

    public record Rel(RelType type, String from, String to, String via, long first, long last) {
        public Rel {
            Objects.requireNonNull(type, "type");
            requireKey(from, type + " start");
            requireKey(to, type + " end");
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final List<Rel> rels = new ArrayList<>();

    public GraphFacts node(Label label, String key, Map<String, Object> properties, long first, long last) {
        nodes.add(new Node(label, key, properties, first, last));
        return this;
    }

    /** Adds the relationship and its two end nodes (without properties), so that writing never depends on order. */
    public GraphFacts rel(RelType type, String from, String to, String via, long first, long last) {
        rels.add(new Rel(type, from, to, via, first, last));
        nodes.add(new Node(type.from, from, Map.of(), first, last));
        nodes.add(new Node(type.to, to, Map.of(), first, last));
        return this;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<Rel> rels() {
        return rels;
    }

    private static void requireKey(String key, String what) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
    }
}
