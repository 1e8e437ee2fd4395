package io.tlsxtractor.sinks.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.command.CommandResponse;
import com.clickhouse.client.api.query.GenericRecord;
import io.tlsxtractor.sinks.clickhouse.internal.ClickHouseErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the connector's tables with versioned SQL migrations ({@code migrations/V<n>__<name>.sql}
 * beside this class), recorded in {@code <database>.schema_migrations}. Run by the connector at start and by
 * {@code tlsxtractor sinks migrate}.
 *
 * <p>Every statement is {@code IF NOT EXISTS}, so a migration that was cut off half way is simply run again. An
 * applied migration whose text has changed since is refused: the fix is a new migration, not an edit.
 */
public final class ClickHouseMigrations {

    /** The migrations in order; a new one is appended here and as a resource. */
    private static final List<String> FILES = List.of("V1__tables.sql", "V2__dashboard_aggregates.sql",
            "V3__domain_dns_status.sql");
    /** The tables whose rows expire after {@code raw.ttl.days}, with the time column the TTL counts from. */
    static final Map<String, String> RAW_TABLES = Map.of("probe_results", "probed_at", "domain_observations",
            "observed_at", "events", "time");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TTL_PLACEHOLDER = Pattern.compile("\\{raw_ttl:([a-z_]+)}");
    private static final long STATEMENT_TIMEOUT_SECONDS = 120;
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseMigrations.class);

    /** One migration file. */
    public record Migration(int version, String name, String sql, String checksum) {
    }

    /**
     * What {@link #migrate} did.
     *
     * @param applied the versions applied by this call, in order (empty when the schema was current)
     * @param version the schema version after the call
     */
    public record Result(List<Integer> applied, int version) {
    }

    private ClickHouseMigrations() {
    }

    /**
     * Connects with the given settings, migrates, disconnects. The session's current database is {@code system}:
     * every statement names the target database, and a missing one must be reported as such, not as a failed login.
     */
    public static Result migrate(String url, String user, String password, String database, int rawTtlDays) {
        try (Client client = ClickHouseSinkConfig.client(url, user, password, "system", 30_000)) {
            return migrate(client, database, rawTtlDays);
        }
    }

    /**
     * Brings {@code database} to the newest schema and sets the raw tables' TTL to {@code rawTtlDays} (0: keep
     * forever). The database must exist; it is not created here, because its engine and placement are the
     * operator's choice (the local stack creates it with {@code ENGINE = Atomic}).
     *
     * @throws IllegalStateException with the reason when the database is missing, access is refused, or an applied
     *     migration was edited
     */
    public static Result migrate(Client client, String database, int rawTtlDays) {
        requireIdentifier(database);
        if (rawTtlDays < 0) {
            throw new IllegalArgumentException("raw TTL days must be 0 (keep forever) or more, not " + rawTtlDays);
        }
        List<GenericRecord> exists = query(client, "SELECT count() AS n FROM system.databases WHERE name = '" + database + "'");
        if (exists.get(0).getLong("n") == 0) {
            throw new IllegalStateException("ClickHouse database '" + database + "' does not exist: create it (CREATE DATABASE "
                    + database + " ENGINE = Atomic) or configure another one");
        }
        execute(client, "CREATE TABLE IF NOT EXISTS " + database + ".schema_migrations (version UInt32, name String, "
                + "checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree "
                + "ORDER BY version");
        Map<Integer, String> applied = new java.util.HashMap<>();
        for (GenericRecord row : query(client, "SELECT version, checksum FROM " + database + ".schema_migrations FINAL")) {
            applied.put((int) row.getLong("version"), row.getString("checksum"));
        }
        List<Integer> done = new ArrayList<>();
        int version = 0;
        for (Migration migration : migrations()) {
            String recorded = applied.get(migration.version());
            if (recorded != null) {
                if (!recorded.equals(migration.checksum())) {
                    throw new IllegalStateException("ClickHouse migration V" + migration.version() + " (" + migration.name()
                            + ") was changed after it was applied to database '" + database + "' (checksum "
                            + recorded + " recorded, " + migration.checksum() + " now): add a new migration instead");
                }
                version = migration.version();
                continue;
            }
            LOG.info("Applying ClickHouse migration V{} ({}) to database {}", migration.version(), migration.name(), database);
            for (String statement : statements(migration.sql(), database, rawTtlDays)) {
                execute(client, statement);
            }
            execute(client, "INSERT INTO " + database + ".schema_migrations (version, name, checksum) VALUES ("
                    + migration.version() + ", '" + migration.name() + "', '" + migration.checksum() + "')");
            done.add(migration.version());
            version = migration.version();
        }
        applyRawTtl(client, database, rawTtlDays);
        return new Result(List.copyOf(done), version);
    }

    /** The newest schema version this build knows. */
    public static int latestVersion() {
        List<Migration> all = migrations();
        return all.get(all.size() - 1).version();
    }

    /** Every migration, in order. */
    public static List<Migration> migrations() {
        List<Migration> list = new ArrayList<>();
        for (String file : FILES) {
            int separator = file.indexOf("__");
            int version = Integer.parseInt(file.substring(1, separator));
            String name = file.substring(separator + 2, file.length() - ".sql".length());
            String sql = resource("migrations/" + file);
            list.add(new Migration(version, name, sql, sha256(sql)));
        }
        return List.copyOf(list);
    }

    /** The statements of a migration with {@code {db}} and the TTL placeholders filled in. */
    static List<String> statements(String sql, String database, int rawTtlDays) {
        StringBuilder withoutComments = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        String filled = TTL_PLACEHOLDER.matcher(withoutComments.toString().replace("{db}", database))
                .replaceAll(m -> rawTtlDays == 0 ? "" : "TTL " + ttlExpression(m.group(1), rawTtlDays));
        List<String> statements = new ArrayList<>();
        // Statements end with a semicolon at the end of a line; a semicolon inside a line (a COMMENT) does not split.
        for (String statement : filled.split(";\\s*\n")) {
            String trimmed = statement.strip();
            if (trimmed.endsWith(";")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            if (!trimmed.isBlank()) {
                statements.add(trimmed);
            }
        }
        return statements;
    }

    private static String ttlExpression(String column, int days) {
        return "toDateTime(" + column + ") + toIntervalDay(" + days + ")";
    }

    /**
     * Brings the raw tables' TTL to the configured one when it differs: created once with the first setting, the
     * tables must still follow a later change of {@code raw.ttl.days}. Existing parts are not rewritten at once
     * ({@code materialize_ttl_after_modify = 0}); merges apply the new TTL.
     */
    private static void applyRawTtl(Client client, String database, int days) {
        for (Map.Entry<String, String> table : RAW_TABLES.entrySet()) {
            String engine = query(client, "SELECT engine_full FROM system.tables WHERE database = '" + database
                    + "' AND name = '" + table.getKey() + "'").get(0).getString("engine_full");
            String wanted = ttlExpression(table.getValue(), days);
            boolean hasTtl = engine.contains(" TTL ");
            if (days == 0 && hasTtl) {
                execute(client, "ALTER TABLE " + database + "." + table.getKey() + " REMOVE TTL");
                LOG.info("Removed the TTL of {}.{}", database, table.getKey());
            } else if (days > 0 && !engine.contains(wanted)) {
                execute(client, "ALTER TABLE " + database + "." + table.getKey() + " MODIFY TTL " + wanted
                        + " SETTINGS materialize_ttl_after_modify = 0");
                LOG.info("Set the TTL of {}.{} to {} days", database, table.getKey(), days);
            }
        }
    }

    private static void execute(Client client, String sql) {
        try (CommandResponse ignored = client.execute(sql).get(STATEMENT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            LOG.debug("ClickHouse ran: {}", sql);
        } catch (ExecutionException e) {
            throw ClickHouseErrors.describe("running [" + abbreviate(sql) + "]", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("ClickHouse did not finish [" + abbreviate(sql) + "] within "
                    + STATEMENT_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while ClickHouse ran [" + abbreviate(sql) + "]", e);
        } catch (RuntimeException e) {
            throw ClickHouseErrors.describe("running [" + abbreviate(sql) + "]", e);
        } catch (Exception e) {
            throw new IllegalStateException("ClickHouse failed on [" + abbreviate(sql) + "]: " + e.getMessage(), e);
        }
    }

    private static List<GenericRecord> query(Client client, String sql) {
        try {
            return client.queryAll(sql);
        } catch (RuntimeException e) {
            throw ClickHouseErrors.describe("running [" + abbreviate(sql) + "]", e);
        }
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ");
        return flat.length() <= 160 ? flat : flat.substring(0, 157) + "...";
    }

    static void requireIdentifier(String database) {
        if (database == null || !IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("ClickHouse database name must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*), not '"
                    + database + "'");
        }
    }

    private static String resource(String name) {
        try (InputStream in = ClickHouseMigrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Migration resource io/tlsxtractor/sinks/clickhouse/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read migration " + name, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
