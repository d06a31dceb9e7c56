package io.streamviz.dashboard.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamviz.dashboard.ChartWidget;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.DashboardState.ChartState;
import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.DashboardState.ValueState;
import io.streamviz.dashboard.DashboardState.WidgetState;
import io.streamviz.dashboard.TableWidget;
import io.streamviz.dashboard.WidgetSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the history database for the dashboard server: the latest state to preload, the state at a
 * past moment, stored points; and deletes what is older than the retention.
 *
 * <p>Each call opens its own connection and closes it, so a database that was down answers again as
 * soon as it is back. With DuckDB all connections of this JVM to one file share one database
 * instance (duckdb_jdbc keeps an instance cache per path), which is how the Flink sink and the
 * server in one process write and read the same file; a second process cannot open it for writing.
 *
 * <p>Thread-safe.
 */
public final class HistoryStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The most points or row versions one history query returns. */
    public static final int MAX_QUERY_ROWS = 10_000;

    private final String jdbcUrl;
    private final HistoryDialect dialect;

    /** Null until {@link #startRetention}. */
    private ScheduledExecutorService retention;

    private HistoryStore(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        this.dialect = HistoryDialect.of(jdbcUrl);
    }

    /**
     * A store for this database. Connects only when used.
     *
     * @throws IllegalArgumentException if the URL is not a DuckDB or PostgreSQL one
     */
    public static HistoryStore open(String jdbcUrl) {
        return new HistoryStore(jdbcUrl);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A connection with the schema in place; the caller closes it. */
    public Connection connect() throws SQLException {
        try {
            Class.forName(dialect.driverClass());
        } catch (ClassNotFoundException e) {
            throw new SQLException("JDBC driver " + dialect.driverClass() + " is missing", e);
        }
        Connection connection = DriverManager.getConnection(jdbcUrl);
        try {
            HistorySchema.ensure(connection, jdbcUrl);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** What the dashboard showed most recently, as stored. */
    public DashboardState latest(Dashboard dashboard) throws SQLException {
        return stateAt(dashboard, Long.MAX_VALUE);
    }

    /**
     * What the dashboard showed at {@code atMs}, as far as the history holds it: the last value of
     * each stat and gauge set at or before then (with the one before it as previous), each chart's
     * newest {@code maxPoints} points first written at or before then, and each table's rows in
     * their last version at or before then, unless that version deleted the row.
     *
     * <p>A chart point is stored with its final value only (it is upserted by timestamp), so a
     * point that was still changing at {@code atMs} shows its final value.
     */
    public DashboardState stateAt(Dashboard dashboard, long atMs) throws SQLException {
        Map<String, WidgetState> widgets = new LinkedHashMap<>();
        try (Connection connection = connect()) {
            for (WidgetSpec spec : dashboard.widgets()) {
                WidgetState state;
                if (spec instanceof ChartWidget chart) {
                    state = chartAt(connection, chart, atMs);
                } else if (spec instanceof TableWidget) {
                    state = tableAt(connection, spec.id(), atMs);
                } else {
                    state = valueAt(connection, spec.id(), atMs);
                }
                if (state != null) {
                    widgets.put(spec.id(), state);
                }
            }
        }
        return DashboardState.of(widgets);
    }

    private ValueState valueAt(Connection connection, String widgetId, long atMs)
            throws SQLException {
        String sql =
                "SELECT value, \"timestamp\", metadata FROM metrics WHERE widget_id = ?"
                        + " AND \"timestamp\" <= ? ORDER BY \"timestamp\" DESC LIMIT 2";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, widgetId);
            query.setLong(2, atMs);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                BigDecimal value = metricValue(rows.getBigDecimal(1), rows.getString(3));
                long timestampMs = rows.getLong(2);
                BigDecimal previous =
                        rows.next() ? metricValue(rows.getBigDecimal(1), rows.getString(3)) : null;
                return new ValueState(value, previous, timestampMs);
            }
        }
    }

    private ChartState chartAt(Connection connection, ChartWidget chart, long atMs)
            throws SQLException {
        String sql =
                "SELECT \"timestamp\", value FROM chart_points WHERE widget_id = ?"
                        + " AND recorded_at_ms <= ? ORDER BY \"timestamp\" DESC LIMIT ?";
        List<ChartPoint> points = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, chart.id());
            query.setLong(2, atMs);
            query.setInt(3, chart.maxPoints());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    points.add(new ChartPoint(rows.getLong(1), pointValue(rows.getBigDecimal(2))));
                }
            }
        }
        if (points.isEmpty()) {
            return null;
        }
        Collections.reverse(points);
        return new ChartState(points);
    }

    private TableState tableAt(Connection connection, String widgetId, long atMs)
            throws SQLException {
        String sql =
                "SELECT row_key, \"timestamp\", row_json, deleted FROM table_rows t"
                        + " WHERE widget_id = ? AND \"timestamp\" = (SELECT max(\"timestamp\")"
                        + " FROM table_rows u WHERE u.widget_id = t.widget_id"
                        + " AND u.row_key = t.row_key AND u.\"timestamp\" <= ?)"
                        + " ORDER BY row_key";
        List<TableRow> rows = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, widgetId);
            query.setLong(2, atMs);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    if (!result.getBoolean(4)) {
                        rows.add(
                                new TableRow(
                                        result.getString(1),
                                        TableRowJson.decode(result.getString(3)),
                                        result.getLong(2)));
                    }
                }
            }
        }
        return rows.isEmpty() ? null : new TableState(rows);
    }

    /**
     * The stored values of a stat, gauge or chart from {@code fromMs} to {@code toMs}, both
     * inclusive, oldest first, at most {@link #MAX_QUERY_ROWS}.
     */
    public List<ChartPoint> points(WidgetSpec widget, long fromMs, long toMs) throws SQLException {
        boolean chart = widget instanceof ChartWidget;
        String sql =
                chart
                        ? "SELECT \"timestamp\", value, NULL FROM chart_points"
                        : "SELECT \"timestamp\", value, metadata FROM metrics";
        sql +=
                " WHERE widget_id = ? AND \"timestamp\" >= ? AND \"timestamp\" <= ?"
                        + " ORDER BY \"timestamp\" LIMIT "
                        + MAX_QUERY_ROWS;
        List<ChartPoint> points = new ArrayList<>();
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, widget.id());
            query.setLong(2, fromMs);
            query.setLong(3, toMs);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    BigDecimal value =
                            chart
                                    ? pointValue(rows.getBigDecimal(2))
                                    : metricValue(rows.getBigDecimal(2), rows.getString(3));
                    points.add(new ChartPoint(rows.getLong(1), value));
                }
            }
        }
        return points;
    }

    /** One stored version of a table row; {@code row} is empty when the version deleted it. */
    public record RowVersion(
            String key, long timestampMs, Map<String, Object> row, boolean deleted) {}

    /** The stored row versions of a table from {@code fromMs} to {@code toMs}, oldest first. */
    public List<RowVersion> rowVersions(String widgetId, long fromMs, long toMs)
            throws SQLException {
        String sql =
                "SELECT row_key, \"timestamp\", row_json, deleted FROM table_rows"
                        + " WHERE widget_id = ? AND \"timestamp\" >= ? AND \"timestamp\" <= ?"
                        + " ORDER BY \"timestamp\", row_key LIMIT "
                        + MAX_QUERY_ROWS;
        List<RowVersion> versions = new ArrayList<>();
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, widgetId);
            query.setLong(2, fromMs);
            query.setLong(3, toMs);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    boolean deleted = rows.getBoolean(4);
                    versions.add(
                            new RowVersion(
                                    rows.getString(1),
                                    rows.getLong(2),
                                    deleted ? Map.of() : TableRowJson.decode(rows.getString(3)),
                                    deleted));
                }
            }
        }
        return versions;
    }

    /**
     * Deletes every row older than {@code cutoffMs}, except the newest version of each table row
     * that is still live: that version is the table's current state, not its history. On
     * TimescaleDB the hypertables are left to its retention policy.
     *
     * @return the number of rows deleted
     */
    public int deleteOlderThan(long cutoffMs) throws SQLException {
        int deleted = 0;
        try (Connection connection = connect()) {
            boolean timescale = HistorySchema.ensure(connection, jdbcUrl);
            if (!timescale) {
                deleted +=
                        delete(connection, "DELETE FROM metrics WHERE \"timestamp\" < ?", cutoffMs);
                deleted +=
                        delete(
                                connection,
                                "DELETE FROM chart_points WHERE \"timestamp\" < ?",
                                cutoffMs);
            }
            deleted +=
                    delete(
                            connection,
                            "DELETE FROM table_rows WHERE \"timestamp\" < ? AND (deleted OR"
                                    + " \"timestamp\" < (SELECT max(u.\"timestamp\") FROM"
                                    + " table_rows u WHERE u.widget_id = table_rows.widget_id"
                                    + " AND u.row_key = table_rows.row_key))",
                            cutoffMs);
        }
        return deleted;
    }

    private static int delete(Connection connection, String sql, long cutoffMs)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setLong(1, cutoffMs);
            return delete.executeUpdate();
        }
    }

    /**
     * Deletes rows older than {@code retention} now and then every {@code retention / 10} (at least
     * every second, at most every hour) on a daemon thread until {@link #close}. On TimescaleDB its
     * retention policy is set instead for the hypertables. A failure is logged and tried again at
     * the next run.
     */
    public synchronized void startRetention(Duration retention) {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        if (this.retention != null) {
            throw new IllegalStateException("retention already started");
        }
        long retentionMs = retention.toMillis();
        long periodMs = Math.min(3_600_000L, Math.max(1_000L, retentionMs / 10));
        this.retention =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "streamviz-history-retention");
                            thread.setDaemon(true);
                            return thread;
                        });
        this.retention.scheduleWithFixedDelay(
                () -> applyRetention(retentionMs), 0, periodMs, TimeUnit.MILLISECONDS);
        LOG.info("History retention {} on {}, checked every {} ms", retention, dialect, periodMs);
    }

    private boolean timescalePolicySet;

    private void applyRetention(long retentionMs) {
        try {
            if (!timescalePolicySet) {
                try (Connection connection = connect()) {
                    if (HistorySchema.ensure(connection, jdbcUrl)) {
                        Timescale.retain(connection, retentionMs);
                    }
                }
                timescalePolicySet = true;
            }
            int deleted = deleteOlderThan(System.currentTimeMillis() - retentionMs);
            if (deleted > 0) {
                LOG.debug("History retention deleted {} rows", deleted);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn(
                    "History retention failed on {}, trying again later: {}",
                    jdbcUrl,
                    e.toString());
        }
    }

    /** Stops the retention thread, if any. */
    @Override
    public synchronized void close() {
        if (retention != null) {
            retention.shutdownNow();
            retention = null;
        }
    }

    /** A metric's value with the scale it was written with (kept in metadata). */
    private BigDecimal metricValue(BigDecimal stored, String metadata) {
        if (metadata != null) {
            try {
                JsonNode scale = JSON.readTree(metadata).get("scale");
                if (scale != null && scale.isInt()) {
                    return stored.setScale(scale.intValue(), RoundingMode.UNNECESSARY);
                }
            } catch (Exception e) {
                LOG.debug("Ignoring unreadable metrics metadata {}", metadata, e);
            }
        }
        return pointValue(stored);
    }

    /**
     * PostgreSQL's NUMERIC returns the value as written; DuckDB's DECIMAL(38, 10) pads it to ten
     * decimals, which are dropped again here (the value is the same, {@code 310.20} reads {@code
     * 310.2}).
     */
    private BigDecimal pointValue(BigDecimal stored) {
        if (dialect == HistoryDialect.POSTGRESQL) {
            return stored;
        }
        BigDecimal stripped = stored.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** {@code {"scale": n}}, what {@code metrics.metadata} holds for a value. */
    public static String metadataOf(BigDecimal value) {
        return "{\"scale\":" + Math.max(0, value.scale()) + "}";
    }
}
