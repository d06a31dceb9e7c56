package io.streamviz.testing;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the history tables directly, as an outside check of what the job wrote. */
public final class HistoryDb {
    /** The shared PostgreSQL of the test machine: trust auth, database {@code test}. */
    public static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private HistoryDb() {}

    /** A URL on the shared PostgreSQL whose tables live in a new schema of their own. */
    public static String freshPostgresSchema() throws SQLException {
        String schema = "streamviz_test_" + Long.toString(System.nanoTime(), 36);
        try (Connection connection = DriverManager.getConnection(POSTGRES);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return POSTGRES + "&currentSchema=" + schema;
    }

    /** The newest stored value of a stat or gauge, exactly as stored; null if none. */
    public static BigDecimal latestMetric(String jdbcUrl, String widgetId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                PreparedStatement query =
                        connection.prepareStatement(
                                "SELECT value FROM metrics WHERE widget_id = ?"
                                        + " ORDER BY \"timestamp\" DESC LIMIT 1")) {
            query.setString(1, widgetId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getBigDecimal(1) : null;
            }
        } catch (SQLException e) {
            if (e.getMessage().contains("does not exist")) {
                return null; // The job has not created the tables yet.
            }
            throw e;
        }
    }

    /** A chart's stored points by timestamp. */
    public static Map<Long, BigDecimal> chartPoints(String jdbcUrl, String widgetId)
            throws SQLException {
        Map<Long, BigDecimal> points = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                PreparedStatement query =
                        connection.prepareStatement(
                                "SELECT \"timestamp\", value FROM chart_points WHERE widget_id = ?"
                                        + " ORDER BY \"timestamp\"")) {
            query.setString(1, widgetId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    points.put(rows.getLong(1), rows.getBigDecimal(2));
                }
            }
        }
        return points;
    }

    /** Keys that occur more than once in any history table (none, if the upserts work). */
    public static long duplicateKeys(String jdbcUrl) throws SQLException {
        return count(
                jdbcUrl,
                "SELECT (SELECT count(*) FROM (SELECT widget_id, \"timestamp\" FROM metrics"
                        + " GROUP BY widget_id, \"timestamp\" HAVING count(*) > 1) m)"
                        + " + (SELECT count(*) FROM (SELECT widget_id, \"timestamp\" FROM"
                        + " chart_points GROUP BY widget_id, \"timestamp\" HAVING count(*) > 1) c)"
                        + " + (SELECT count(*) FROM (SELECT widget_id, row_key, \"timestamp\" FROM"
                        + " table_rows GROUP BY widget_id, row_key, \"timestamp\""
                        + " HAVING count(*) > 1) t)");
    }

    public static long count(String jdbcUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
