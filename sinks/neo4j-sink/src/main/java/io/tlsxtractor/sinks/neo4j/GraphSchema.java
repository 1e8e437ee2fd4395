package io.tlsxtractor.sinks.neo4j;

import java.util.List;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * The graph's uniqueness constraints and indexes. Created (if absent) when a task starts: the constraints make
 * {@code MERGE} both correct under concurrent tasks and an index lookup instead of a label scan.
 */
public final class GraphSchema {

    /** The statements, each idempotent ({@code IF NOT EXISTS}). */
    public static final List<String> STATEMENTS = List.of(
            "CREATE CONSTRAINT domain_name IF NOT EXISTS FOR (n:Domain) REQUIRE n.name IS UNIQUE",
            "CREATE CONSTRAINT ip_address IF NOT EXISTS FOR (n:IP) REQUIRE n.address IS UNIQUE",
            "CREATE CONSTRAINT certificate_sha256 IF NOT EXISTS FOR (n:Certificate) REQUIRE n.sha256 IS UNIQUE",
            "CREATE CONSTRAINT organization_name IF NOT EXISTS FOR (n:Organization) REQUIRE n.name IS UNIQUE",
            "CREATE INDEX domain_registrable IF NOT EXISTS FOR (n:Domain) ON (n.registrableDomain)",
            "CREATE INDEX domain_last_seen IF NOT EXISTS FOR (n:Domain) ON (n.lastSeen)",
            "CREATE INDEX certificate_not_after IF NOT EXISTS FOR (n:Certificate) ON (n.notAfter)");

    private GraphSchema() {
    }

    /** Creates what is missing and waits until every index is online. */
    public static void create(Driver driver, String database) {
        try (Session session = driver.session(SessionConfig.forDatabase(database))) {
            for (String statement : STATEMENTS) {
                session.run(statement).consume();
            }
            session.run("CALL db.awaitIndexes(300)").consume();
        }
    }
}
