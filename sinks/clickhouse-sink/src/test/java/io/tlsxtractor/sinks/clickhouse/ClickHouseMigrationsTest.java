package io.tlsxtractor.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.sinks.clickhouse.internal.SinkTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClickHouseMigrationsTest {

    @Test
    void migrationsAreNumberedInOrderWithStableChecksums() {
        List<ClickHouseMigrations.Migration> all = ClickHouseMigrations.migrations();
        assertThat(all).extracting(ClickHouseMigrations.Migration::version).containsExactly(1, 2, 3);
        assertThat(ClickHouseMigrations.migrations().get(0).checksum()).isEqualTo(all.get(0).checksum()).hasSize(64);
    }

    @Test
    void fillsTheDatabaseAndTheTtlAndSplitsOnlyAtStatementEnds() {
        List<String> statements = ClickHouseMigrations.statements(ClickHouseMigrations.migrations().get(0).sql(), "db1", 14);
        assertThat(statements).hasSize(SinkTable.values().length)
                .allSatisfy(s -> assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS db1.").doesNotContain("{db}", "{raw_ttl"));
        assertThat(statements.get(0)).contains("TTL toDateTime(probed_at) + toIntervalDay(14)").contains("IPv4-mapped");
        List<String> forever = ClickHouseMigrations.statements(ClickHouseMigrations.migrations().get(0).sql(), "db1", 0);
        assertThat(forever).noneSatisfy(s -> assertThat(s).contains("TTL "));
    }

    @Test
    void everyMappedColumnIsCreatedByTheMigrations() {
        String sql = ClickHouseMigrations.migrations().get(0).sql();
        StringBuilder later = new StringBuilder();
        ClickHouseMigrations.migrations().stream().skip(1).forEach(m -> later.append(m.sql()));
        for (SinkTable table : SinkTable.values()) {
            String create = sql.substring(sql.indexOf("{db}." + table.table() + "\n"));
            create = create.substring(0, create.indexOf("ENGINE"));
            for (String column : table.columns()) {
                // Created with the table by V1, or added by a later migration (an applied migration is never edited).
                assertThat(create.matches("(?s).*\\n\\s+" + column + "\\s.*") || later.toString().contains(
                        "ALTER TABLE {db}." + table.table() + " ADD COLUMN IF NOT EXISTS " + column + " "))
                        .as("%s.%s is created by a migration", table.table(), column).isTrue();
            }
        }
    }

    @Test
    void theDnsStatusColumnIsAddedByItsOwnMigrationWithoutTouchingTheFirst() {
        ClickHouseMigrations.Migration v3 = ClickHouseMigrations.migrations().get(2);
        assertThat(v3.name()).isEqualTo("domain_dns_status");
        assertThat(ClickHouseMigrations.statements(v3.sql(), "db1", 14)).containsExactly("ALTER TABLE db1.domain_inventory "
                + "ADD COLUMN IF NOT EXISTS dns_status LowCardinality(Nullable(String)) AFTER dns_answers");
        assertThat(ClickHouseMigrations.migrations().get(0).sql()).doesNotContain("dns_status");
    }

    @Test
    void refusesDatabaseNamesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> ClickHouseMigrations.requireIdentifier("x; DROP TABLE y"))
                .hasMessageContaining("plain identifier");
    }
}
