package io.streamviz.dashboard.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamviz.dashboard.ChartWidget;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.DashboardState.ChartState;
import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.DashboardState.ValueState;
import io.streamviz.dashboard.StatWidget;
import io.streamviz.dashboard.TableWidget;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The history store against a real DuckDB file and the real PostgreSQL. */
class HistoryStoreTest {
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private static final StatWidget REVENUE = StatWidget.builder("revenue").build();
    private static final ChartWidget CHART =
            ChartWidget.builder("revenue_chart").maxPoints(3).build();
    private static final TableWidget TABLE =
            TableWidget.builder("by_region")
                    .keyColumn("region")
                    .column("region", "Region", io.streamviz.dashboard.ColumnFormat.TEXT)
                    .column("revenue", "Revenue", io.streamviz.dashboard.ColumnFormat.MONEY)
                    .build();
    private static final Dashboard DASHBOARD =
            Dashboard.builder("Shop").widget(REVENUE).widget(CHART).widget(TABLE).build();

    @TempDir Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"duckdb", "postgresql"})
    void retentionDeletesWhatIsOlderThanTheBoundAndKeepsTheRest(String database) throws Exception {
        HistoryStore store = HistoryStore.open(url(database));
        long now = System.currentTimeMillis();
        long old = now - 10 * DAY_MS;
        long recent = now - DAY_MS;
        try (Connection connection = store.connect()) {
            metric(connection, "revenue", "1.10", old);
            metric(connection, "revenue", "2.20", recent);
            point(connection, "revenue_chart", old, "5.00");
            point(connection, "revenue_chart", recent, "6.00");
            row(connection, "a", old, "{\"region\":\"a\",\"revenue\":1.00}", false);
            row(connection, "a", recent, "{\"region\":\"a\",\"revenue\":2.00}", false);
            row(connection, "b", old, "{\"region\":\"b\",\"revenue\":3.00}", false);
            row(connection, "c", old, null, true);
        }

        int deleted = store.deleteOlderThan(now - 7 * DAY_MS);

        assertThat(deleted).isEqualTo(4);
        try (Connection connection = store.connect()) {
            assertThat(longs(connection, "SELECT \"timestamp\" FROM metrics"))
                    .containsExactly(recent);
            assertThat(longs(connection, "SELECT \"timestamp\" FROM chart_points"))
                    .containsExactly(recent);
            // b's only version is old but is still the table's current row.
            assertThat(longs(connection, "SELECT \"timestamp\" FROM table_rows ORDER BY row_key"))
                    .containsExactly(recent, old);
        }
        DashboardState latest = store.latest(DASHBOARD);
        assertThat(((TableState) latest.widgets().get("by_region")).rows())
                .extracting(TableRow::key)
                .containsExactly("a", "b");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"duckdb", "postgresql"})
    void storedValuesComeBackExactlyToTheCentAndAsOfAPastMoment(String database) throws Exception {
        HistoryStore store = HistoryStore.open(url(database));
        try (Connection connection = store.connect()) {
            metric(connection, "revenue", "1000000194.50", 1_000);
            metric(connection, "revenue", "1000000194.56", 2_000);
            for (int minute = 0; minute < 5; minute++) {
                point(
                        connection,
                        "revenue_chart",
                        minute * 60_000L,
                        minute + ".10",
                        1_000 + minute);
            }
        }

        DashboardState latest = store.latest(DASHBOARD);
        DashboardState past = store.stateAt(DASHBOARD, 1_500);

        ValueState revenue = (ValueState) latest.widgets().get("revenue");
        assertThat(revenue.value()).isEqualTo(new BigDecimal("1000000194.56"));
        assertThat(revenue.previous()).isEqualTo(new BigDecimal("1000000194.50"));
        assertThat(((ChartState) latest.widgets().get("revenue_chart")).points())
                .extracting(ChartPoint::timestampMs)
                .containsExactly(120_000L, 180_000L, 240_000L);
        assertThat(((ValueState) past.widgets().get("revenue")).value())
                .isEqualTo(new BigDecimal("1000000194.50"));
        assertThat(((ChartState) past.widgets().get("revenue_chart")).points()).hasSize(3);
        assertThat(store.stateAt(DASHBOARD, 999).widgets()).isEmpty();
        assertThat(store.points(CHART, 60_000, 120_000))
                .extracting(ChartPoint::value)
                .usingComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                .containsExactly(new BigDecimal("1.10"), new BigDecimal("2.10"));
    }

    @Test
    void preloadedValuesNewerThanTheCheckpointWinAndOlderOnesGive() {
        DashboardState preloaded =
                DashboardState.of(
                        Map.of(
                                "revenue", new ValueState(new BigDecimal("9.00"), null, 2_000),
                                "revenue_chart",
                                        new ChartState(
                                                List.of(
                                                        new ChartPoint(0, BigDecimal.ONE),
                                                        new ChartPoint(60_000, BigDecimal.TEN))),
                                "by_region",
                                        new TableState(
                                                List.of(
                                                        new TableRow("a", Map.of("x", 1L), 5),
                                                        new TableRow("b", Map.of("x", 2L), 5)))));
        DashboardState restored =
                DashboardState.of(
                        Map.of(
                                "revenue", new ValueState(new BigDecimal("7.00"), null, 1_000),
                                "revenue_chart",
                                        new ChartState(
                                                List.of(
                                                        new ChartPoint(
                                                                60_000, BigDecimal.valueOf(2)),
                                                        new ChartPoint(120_000, BigDecimal.ONE),
                                                        new ChartPoint(180_000, BigDecimal.ONE))),
                                "by_region",
                                        new TableState(
                                                List.of(new TableRow("a", Map.of("x", 3L), 9)))));

        DashboardState merged = PreloadMerge.newerWins(DASHBOARD, preloaded, restored);

        assertThat(((ValueState) merged.widgets().get("revenue")).value()).isEqualTo("9.00");
        assertThat(((ChartState) merged.widgets().get("revenue_chart")).points())
                .containsExactly(
                        new ChartPoint(60_000, BigDecimal.valueOf(2)),
                        new ChartPoint(120_000, BigDecimal.ONE),
                        new ChartPoint(180_000, BigDecimal.ONE));
        assertThat(((TableState) merged.widgets().get("by_region")).rows())
                .containsExactlyInAnyOrder(
                        new TableRow("a", Map.of("x", 3L), 9),
                        new TableRow("b", Map.of("x", 2L), 5));
    }

    private String url(String database) throws SQLException {
        if (database.equals("duckdb")) {
            return "jdbc:duckdb:" + dir.resolve("history.duckdb");
        }
        String postgres = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        String schema = "streamviz_test_" + Long.toString(System.nanoTime(), 36);
        try (Connection connection = DriverManager.getConnection(postgres);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return postgres + "&currentSchema=" + schema;
    }

    private static void metric(Connection connection, String id, String value, long ts)
            throws SQLException {
        BigDecimal decimal = new BigDecimal(value);
        execute(
                connection,
                "INSERT INTO metrics (widget_id, value, \"timestamp\", metadata) VALUES (?, ?, ?, ?)",
                id,
                decimal,
                ts,
                HistoryStore.metadataOf(decimal));
    }

    private static void point(Connection connection, String id, long ts, String value)
            throws SQLException {
        point(connection, id, ts, value, ts);
    }

    private static void point(
            Connection connection, String id, long ts, String value, long recordedAtMs)
            throws SQLException {
        execute(
                connection,
                "INSERT INTO chart_points (widget_id, value, \"timestamp\", recorded_at_ms)"
                        + " VALUES (?, ?, ?, ?)",
                id,
                new BigDecimal(value),
                ts,
                recordedAtMs);
    }

    private static void row(
            Connection connection, String key, long ts, String json, boolean deleted)
            throws SQLException {
        execute(
                connection,
                "INSERT INTO table_rows (widget_id, row_key, \"timestamp\", row_json, deleted)"
                        + " VALUES ('by_region', ?, ?, ?, ?)",
                key,
                ts,
                json,
                deleted);
    }

    private static void execute(Connection connection, String sql, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] == null) {
                    statement.setNull(i + 1, java.sql.Types.VARCHAR);
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            statement.executeUpdate();
        }
    }

    private static List<Long> longs(Connection connection, String sql) throws SQLException {
        List<Long> values = new java.util.ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getLong(1));
            }
        }
        return values;
    }
}
