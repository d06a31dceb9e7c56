package io.streamviz.bench;

import io.streamviz.dashboard.ChartWidget;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.flink.DashboardHistory;
import io.streamviz.dashboard.history.HistoryOptions;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How many rows per second the history sink sustains into one database: a local Flink job writes
 * {@code rows} distinct chart points (every update its own row, the sampler's interval 1 ms, so
 * nothing is conflated away) and the rows found in {@code chart_points} afterwards are divided by
 * the job's run time. Not a test; run by hand:
 *
 * <pre>
 * java -cp "$(cat bench/target/classpath.txt):bench/target/classes" \
 *     io.streamviz.bench.HistorySinkBenchmark jdbc:duckdb:/tmp/bench.duckdb 200000
 * </pre>
 *
 * The figure includes job start-up (about a second), so it understates the steady rate slightly.
 */
public final class HistorySinkBenchmark {
    private HistorySinkBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: HistorySinkBenchmark <jdbc-url> <rows>");
            System.exit(2);
        }
        String jdbcUrl = args[0];
        long rows = Long.parseLong(args[1]);
        String widgetId = "bench_" + System.nanoTime();
        ChartWidget chart = ChartWidget.builder(widgetId).build();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<DashboardUpdate> updates =
                env.fromSequence(1, rows)
                        .uid("bench-source")
                        .map(
                                i ->
                                        (DashboardUpdate)
                                                chart.point(i * 1_000, BigDecimal.valueOf(i, 2)))
                        .returns(TypeInformation.of(DashboardUpdate.class))
                        .uid("bench-points");
        DashboardHistory.sinkTo(
                updates, new HistoryOptions(jdbcUrl, Duration.ofMillis(1), Duration.ofDays(3650)));

        long startNanos = System.nanoTime();
        env.execute("history sink benchmark");
        double seconds = (System.nanoTime() - startNanos) / 1e9;

        long written = countRows(jdbcUrl, widgetId);
        System.out.printf(
                "%s: %d of %d rows in %.1f s = %.0f rows/s%n",
                jdbcUrl.replaceAll("\\?.*", ""), written, rows, seconds, written / seconds);
    }

    private static long countRows(String jdbcUrl, String widgetId) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery(
                                "SELECT count(*) FROM chart_points WHERE widget_id = '"
                                        + widgetId
                                        + "'")) {
            result.next();
            return result.getLong(1);
        }
    }
}
