package io.tlsxtractor.sinks.neo4j.internal;

import io.tlsxtractor.sinks.neo4j.internal.GraphFacts.Label;
import io.tlsxtractor.sinks.neo4j.internal.GraphFacts.RelType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;

/**
 * Writes graph facts as one transaction: one {@code UNWIND $rows MERGE} statement per label, then one per relationship
 * type. Rows for the same node or relationship are folded first (properties merged in record order, first seen the
 * minimum, last seen the maximum), and the statements keep {@code firstSeen}/{@code lastSeen} monotone, so writing the
 * same facts again, or older facts later, changes nothing.
 */
public final class GraphWriter {

    private final Driver driver;
    private final SessionConfig session;

    public GraphWriter(Driver driver, String database) {
        this.driver = driver;
        this.session = SessionConfig.forDatabase(database);
    }

    /** Whether a driver error may go away by itself (server restart, leader switch, lock timeout). */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServiceUnavailableException || t instanceof SessionExpiredException
                    || t instanceof TransientException) {
                return true;
            }
        }
        return false;
    }

    /** Writes {@code batch} in one transaction and returns the number of relationship rows written. */
    public int write(List<GraphFacts> batch) {
        Statements statements = statements(batch);
        if (statements.nodes.isEmpty()) {
            return 0;
        }
        try (Session s = driver.session(session)) {
            return s.executeWrite(tx -> {
                for (Map.Entry<Label, List<Map<String, Object>>> e : statements.nodes.entrySet()) {
                    tx.run(nodeStatement(e.getKey()), Map.of("rows", e.getValue())).consume();
                }
                int rels = 0;
                for (Map.Entry<RelType, List<Map<String, Object>>> e : statements.rels.entrySet()) {
                    tx.run(relStatement(e.getKey()), Map.of("rows", e.getValue())).consume();
                    rels += e.getValue().size();
                }
                return rels;
            });
        }
    }

    /** The folded rows of {@code batch}, per label and per relationship type; public for the benchmark. */
    public static Statements statements(List<GraphFacts> batch) {
        Map<Label, Map<String, Map<String, Object>>> nodes = new EnumMap<>(Label.class);
        Map<RelType, Map<List<String>, Map<String, Object>>> rels = new EnumMap<>(RelType.class);
        for (GraphFacts facts : batch) {
            for (GraphFacts.Node n : facts.nodes()) {
                Map<String, Object> row = nodes.computeIfAbsent(n.label(), l -> new LinkedHashMap<>())
                        .computeIfAbsent(n.key(), k -> newRow(Map.of("key", k, "props", new HashMap<String, Object>())));
                @SuppressWarnings("unchecked")
                Map<String, Object> props = (Map<String, Object>) row.get("props");
                props.putAll(n.properties());
                fold(row, n.first(), n.last());
            }
            for (GraphFacts.Rel r : facts.rels()) {
                List<String> id = java.util.Arrays.asList(r.from(), r.to(), r.via() == null ? "" : r.via());
                Map<String, Object> row = rels.computeIfAbsent(r.type(), t -> new LinkedHashMap<>())
                        .computeIfAbsent(id, k -> newRow(Map.of("from", r.from(), "to", r.to(),
                                "via", r.via() == null ? "" : r.via())));
                fold(row, r.first(), r.last());
            }
        }
        Statements out = new Statements(new EnumMap<>(Label.class), new EnumMap<>(RelType.class));
        nodes.forEach((label, rows) -> out.nodes.put(label, new ArrayList<>(rows.values())));
        rels.forEach((type, rows) -> out.rels.put(type, new ArrayList<>(rows.values())));
        return out;
    }

    /** Rows ready for the statements of {@link #nodeStatement} and {@link #relStatement}. */
    public record Statements(Map<Label, List<Map<String, Object>>> nodes, Map<RelType, List<Map<String, Object>>> rels) {
        public int relationships() {
            return rels.values().stream().mapToInt(List::size).sum();
        }
    }

    private static Map<String, Object> newRow(Map<String, Object> identity) {
        Map<String, Object> row = new HashMap<>(identity);
        row.put("first", Long.MAX_VALUE);
        row.put("last", Long.MIN_VALUE);
        return row;
    }

    private static void fold(Map<String, Object> row, long first, long last) {
        row.put("first", Math.min((Long) row.get("first"), first));
        row.put("last", Math.max((Long) row.get("last"), last));
    }

    public static String nodeStatement(Label label) {
        return "UNWIND $rows AS r MERGE (n:" + label.label + " {" + label.key + ": r.key}) SET n += r.props, "
                + seen("n");
    }

    public static String relStatement(RelType type) {
        String identity = type == RelType.REFERENCES ? " {via: r.via}" : "";
        return "UNWIND $rows AS r "
                + "MERGE (a:" + type.from.label + " {" + type.from.key + ": r.from}) "
                + "MERGE (b:" + type.to.label + " {" + type.to.key + ": r.to}) "
                + "MERGE (a)-[x:" + type.name() + identity + "]->(b) SET " + seen("x");
    }

    private static String seen(String v) {
        return v + ".firstSeen = CASE WHEN " + v + ".firstSeen IS NULL OR r.first < " + v + ".firstSeen THEN r.first ELSE "
                + v + ".firstSeen END, " + v + ".lastSeen = CASE WHEN " + v + ".lastSeen IS NULL OR r.last > " + v
                + ".lastSeen THEN r.last ELSE " + v + ".lastSeen END";
    }
}
