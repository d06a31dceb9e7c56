package io.streamviz.dashboard.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TimescaleDB path: hypertables for {@code metrics} and {@code chart_points}, with an integer
 * "now" in epoch milliseconds so that Timescale's retention policy can drop old chunks.
 *
 * <p>Known shortcoming: no TimescaleDB is installed where StreamViz is tested, so this path is
 * exercised only up to the check that the extension is absent. It is kept small on purpose.
 */
final class Timescale {
    private static final Logger LOG = LoggerFactory.getLogger(Timescale.class);

    private static final long ONE_DAY_MS = 86_400_000L;

    private Timescale() {}

    /** Turns the tables into hypertables if the extension is there; false where it is not. */
    static boolean apply(Connection connection, Statement statement) throws SQLException {
        if (!available(statement)) {
            return false;
        }
        Savepoint beforeTimescale = connection.setSavepoint();
        try {
            statement.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            statement.execute(
                    "CREATE OR REPLACE FUNCTION streamviz_now_ms() RETURNS BIGINT LANGUAGE SQL"
                            + " STABLE AS $$ SELECT (extract(epoch FROM now()) * 1000)::bigint $$");
            for (String table : new String[] {"metrics", "chart_points"}) {
                statement.execute(
                        "SELECT create_hypertable('"
                                + table
                                + "', 'timestamp', chunk_time_interval => "
                                + ONE_DAY_MS
                                + "::bigint, if_not_exists => TRUE, migrate_data => TRUE)");
                statement.execute(
                        "SELECT set_integer_now_func('"
                                + table
                                + "', 'streamviz_now_ms', replace_if_exists => TRUE)");
            }
            return true;
        } catch (SQLException e) {
            // E.g. available but not in shared_preload_libraries: plain tables still work.
            connection.rollback(beforeTimescale);
            LOG.warn("TimescaleDB is available but could not be used, keeping plain tables", e);
            return false;
        }
    }

    /** Replaces the retention policy of both hypertables with one for {@code retentionMs}. */
    static void retain(Connection connection, long retentionMs) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String table : new String[] {"metrics", "chart_points"}) {
                statement.execute(
                        "SELECT remove_retention_policy('" + table + "', if_exists => TRUE)");
                statement.execute(
                        "SELECT add_retention_policy('"
                                + table
                                + "', drop_after => "
                                + retentionMs
                                + "::bigint)");
            }
        }
    }

    private static boolean available(Statement statement) throws SQLException {
        try (ResultSet rows =
                statement.executeQuery(
                        "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")) {
            return rows.next();
        }
    }
}
