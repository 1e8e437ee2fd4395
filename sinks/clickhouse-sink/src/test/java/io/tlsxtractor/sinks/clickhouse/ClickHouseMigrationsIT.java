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
        assertThat(first.applied()).containsExactly(1, 2, 3);
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
        assertThat(services.count("SELECT count() FROM " + db + ".schema_migrations FINAL")).isEqualTo(3);

        ClickHouseMigrations.Result again = ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 30);
        assertThat(again.applied()).isEmpty();
        assertThat(again.version()).isEqualTo(first.version());
    }

    @Test
    void upgradesADatabaseAtV2WithRowsToTheDnsStatusColumn() {
        String db = services.newDatabase("migrations_upgrade_v3");
        ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 30);
        // Back to what V2 left: no dns_status column, V3 not recorded.
        services.clickHouse.query("ALTER TABLE " + db + ".domain_inventory DROP COLUMN dns_status");
        services.clickHouse.query("ALTER TABLE " + db + ".schema_migrations DELETE WHERE version = 3 "
                + "SETTINGS mutations_sync = 2");
        services.clickHouse.query("INSERT INTO " + db + ".domain_inventory (domain, registrable_domain, first_seen, "
                + "last_seen, observations, wildcard, is_new, kafka_partition, kafka_offset) VALUES ('old.example.com', "
                + "'example.com', now64(3), now64(3), 1, false, false, 0, 0)");

        ClickHouseMigrations.Result upgrade = ClickHouseMigrations.migrate(services.clickHouse.url(), "default", "", db, 30);
        assertThat(upgrade.applied()).containsExactly(3);
        assertThat(services.scalar("SELECT domain, dns_status IS NULL, toTypeName(dns_status) FROM " + db
                + ".domain_inventory FORMAT TabSeparatedRaw"))
                .isEqualTo("old.example.com\t1\tLowCardinality(Nullable(String))");
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
