package io.tlsxtractor.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The versioned migrations on the real ClickHouse 26.7: tables, engines, views, TTL, re-runs. */
class ClickHouseMigrationsIT {

    private static LocalServices services;

    @BeforeAll
    static void services() {
        services = LocalServices.get();
    }

    @Test
    void createsTheTablesOnceAndRecordsTheVersions() {
        String db = services.newDatabase("migrations_fresh");
        ClickHouseMigrations.Result first = ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 30);
        assertThat(first.applied()).containsExactly(1, 2);
        assertThat(first.version()).isEqualTo(ClickHouseMigrations.latestVersion());

        assertThat(services.scalar("SELECT groupArray(name || ':' || engine) FROM (SELECT name, engine FROM system.tables "
                + "WHERE database = '" + db + "' AND name IN ('probe_results','domain_observations','domain_inventory',"
                + "'certificates','scan_status','events','domains_per_day_mv') ORDER BY name)"))
                .isEqualTo("['certificates:ReplacingMergeTree','domain_inventory:ReplacingMergeTree',"
                        + "'domain_observations:ReplacingMergeTree','domains_per_day_mv:MaterializedView',"
                        + "'events:ReplacingMergeTree','probe_results:ReplacingMergeTree','scan_status:ReplacingMergeTree']");
        assertThat(services.scalar("SELECT engine_full FROM system.tables WHERE database = '" + db
                + "' AND name = 'probe_results'")).contains("TTL toDateTime(probed_at) + toIntervalDay(30)");
        assertThat(services.scalar("SELECT engine_full FROM system.tables WHERE database = '" + db
                + "' AND name = 'certificates'")).doesNotContain("TTL");
        assertThat(services.count("SELECT count() FROM " + db + ".schema_migrations FINAL")).isEqualTo(2);

        ClickHouseMigrations.Result again = ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 30);
        assertThat(again.applied()).isEmpty();
        assertThat(again.version()).isEqualTo(first.version());
    }

    @Test
    void followsALaterChangeOfTheRawTtl() {
        String db = services.newDatabase("migrations_ttl");
        ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 30);
        ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 7);
        assertThat(services.scalar("SELECT engine_full FROM system.tables WHERE database = '" + db
                + "' AND name = 'events'")).contains("toIntervalDay(7)").doesNotContain("toIntervalDay(30)");
        ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 0);
        assertThat(services.scalar("SELECT engine_full FROM system.tables WHERE database = '" + db
                + "' AND name = 'domain_observations'")).doesNotContain(" TTL ");
    }

    @Test
    void refusesAMissingDatabaseAndAnEditedMigration() {
        assertThatThrownBy(() -> ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", "absent_db", 30))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("database 'absent_db' does not exist");
        String db = services.newDatabase("migrations_edited");
        ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 30);
        services.clickHouse.query("INSERT INTO " + db + ".schema_migrations (version, name, checksum) VALUES (1, 'tables', 'other')");
        assertThatThrownBy(() -> ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 30))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("V1 (tables) was changed after it was applied");
    }
}
