package io.streamviz.dashboard.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the history tables where they are missing and records the schema version, so that a later
 * build can see which version a database has and migrate it.
 *
 * <pre>
 * streamviz_schema_version(version, applied_at_ms)                 one row per applied version
 * metrics(widget_id, value, "timestamp", metadata)                  PK (widget_id, "timestamp")
 * chart_points(widget_id, value, "timestamp", recorded_at_ms)      PK (widget_id, "timestamp")
 * table_rows(widget_id, row_key, "timestamp", row_json, deleted)   PK (widget_id, row_key, "timestamp")
 * </pre>
 *
 * Timestamps are epoch milliseconds (BIGINT). A chart point's {@code "timestamp"} is its own
 * (event) time; {@code recorded_at_ms} is when it was first written, which is what {@code
 * /api/snapshot?at=} goes by. On PostgreSQL with the {@code timescaledb} extension, {@code metrics}
 * and {@code chart_points} become hypertables.
 */
public final class HistorySchema {
    private static final Logger LOG = LoggerFactory.getLogger(HistorySchema.class);

    /** The version this build writes and reads. */
    public static final int VERSION = 1;

    /** Whether each URL has TimescaleDB, once its schema was ensured in this JVM. */
    private static final Map<String, Boolean> ENSURED = new ConcurrentHashMap<>();

    private HistorySchema() {}

    /**
     * Creates what is missing; cheap after the first call for a URL in this JVM.
     *
     * @return whether {@code metrics} and {@code chart_points} are TimescaleDB hypertables
     * @throws IllegalStateException if the database has a newer schema version than this build
     */
    public static boolean ensure(Connection connection, String jdbcUrl) throws SQLException {
        Boolean known = ENSURED.get(jdbcUrl);
        if (known != null) {
            return known;
        }
        // One JVM: DuckDB refuses concurrent DDL from two connections; PostgreSQL takes the
        // advisory lock below for other processes.
        synchronized (HistorySchema.class) {
            known = ENSURED.get(jdbcUrl);
            if (known != null) {
                return known;
            }
            boolean timescale = create(connection, HistoryDialect.of(jdbcUrl));
            ENSURED.put(jdbcUrl, timescale);
            return timescale;
        }
    }

    private static boolean create(Connection connection, HistoryDialect dialect)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (dialect == HistoryDialect.POSTGRESQL) {
                statement.execute("SELECT pg_advisory_xact_lock(7425870361)");
            }
            for (String ddl : tables(dialect)) {
                statement.execute(ddl);
            }
            int version = currentVersion(statement);
            if (version > VERSION) {
                throw new IllegalStateException(
                        "the history database has schema version "
                                + version
                                + ", newer than this build's "
                                + VERSION
                                + "; run a newer StreamViz against it");
            }
            statement.execute(
                    "INSERT INTO streamviz_schema_version (version, applied_at_ms) VALUES ("
                            + VERSION
                            + ", "
                            + System.currentTimeMillis()
                            + ") ON CONFLICT (version) DO NOTHING");
            boolean timescale =
                    dialect == HistoryDialect.POSTGRESQL && Timescale.apply(connection, statement);
            connection.commit();
            LOG.info(
                    "History schema version {} ready on {}{}",
                    VERSION,
                    dialect,
                    timescale ? " (TimescaleDB hypertables)" : "");
            return timescale;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static List<String> tables(HistoryDialect dialect) {
        String decimal = dialect.decimalType();
        List<String> ddl =
                new java.util.ArrayList<>(
                        List.of(
                                "CREATE TABLE IF NOT EXISTS streamviz_schema_version ("
                                        + "version INTEGER PRIMARY KEY, "
                                        + "applied_at_ms BIGINT NOT NULL)",
                                "CREATE TABLE IF NOT EXISTS metrics ("
                                        + "widget_id VARCHAR NOT NULL, "
                                        + "value "
                                        + decimal
                                        + " NOT NULL, "
                                        + "\"timestamp\" BIGINT NOT NULL, "
                                        + "metadata VARCHAR, "
                                        + "PRIMARY KEY (widget_id, \"timestamp\"))",
                                "CREATE TABLE IF NOT EXISTS chart_points ("
                                        + "widget_id VARCHAR NOT NULL, "
                                        + "value "
                                        + decimal
                                        + " NOT NULL, "
                                        + "\"timestamp\" BIGINT NOT NULL, "
                                        + "recorded_at_ms BIGINT NOT NULL, "
                                        + "PRIMARY KEY (widget_id, \"timestamp\"))",
                                "CREATE TABLE IF NOT EXISTS table_rows ("
                                        + "widget_id VARCHAR NOT NULL, "
                                        + "row_key VARCHAR NOT NULL, "
                                        + "\"timestamp\" BIGINT NOT NULL, "
                                        + "row_json VARCHAR, "
                                        + "deleted BOOLEAN NOT NULL, "
                                        + "PRIMARY KEY (widget_id, row_key, \"timestamp\"))"));
        if (dialect == HistoryDialect.POSTGRESQL) {
            // Retention deletes by time alone. DuckDB goes without: its zone maps prune by time,
            // and an extra index there slows every upsert.
            ddl.add("CREATE INDEX IF NOT EXISTS metrics_time ON metrics (\"timestamp\")");
            ddl.add("CREATE INDEX IF NOT EXISTS chart_points_time ON chart_points (\"timestamp\")");
            ddl.add("CREATE INDEX IF NOT EXISTS table_rows_time ON table_rows (\"timestamp\")");
        }
        return ddl;
    }

    private static int currentVersion(Statement statement) throws SQLException {
        try (ResultSet rows =
                statement.executeQuery("SELECT max(version) FROM streamviz_schema_version")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Forgets which URLs were ensured; for tests that drop the tables. */
    static void forget(String jdbcUrl) {
        ENSURED.remove(jdbcUrl);
    }
}
