package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.history.HistoryOptions;
import io.streamviz.dashboard.history.HistoryRecord;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.datasource.statements.JdbcQueryStatement;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Writes a stream of {@link DashboardUpdate}s to the history database: a {@link HistorySampler}
 * keyed by widget id, then one Flink {@link JdbcSink} per table ({@code metrics}, {@code
 * chart_points}, {@code table_rows}), each an idempotent upsert.
 *
 * <p>Guarantee: at-least-once delivery plus upserts keyed by widget and timestamp (and row key): no
 * row that belongs to a completed checkpoint is lost (the sinks flush before each checkpoint, the
 * sampler's pending values are in it), and a replay writes no duplicate keys. A failing database is
 * retried {@link #MAX_RETRIES} times (waiting 0, 1, 2 … s, and reconnecting), then the sink fails
 * and the job restarts from its last checkpoint with the job's restart back-off.
 *
 * <p>Operator uids: {@code history-sampler}, {@code history-sink-metrics}, {@code
 * history-sink-chart-points}, {@code history-sink-table-rows}.
 */
public final class DashboardHistory {
    /** Retries of one batch before the sink fails the task. */
    public static final int MAX_RETRIES = 5;

    private static final int BATCH_SIZE = 1_000;
    private static final long BATCH_INTERVAL_MS = 200;

    private DashboardHistory() {}

    /** Adds the sampler and the three sinks behind {@code updates}. */
    public static void sinkTo(DataStream<DashboardUpdate> updates, HistoryOptions options) {
        SingleOutputStreamOperator<HistoryRecord> metrics =
                updates.keyBy(DashboardUpdate::widgetId)
                        .process(new HistorySampler(options.sampleInterval().toMillis()))
                        .returns(HistorySampler.RECORD_TYPE)
                        .uid("history-sampler")
                        .name("History sampler");

        metrics.sinkTo(jdbcSink(options, new HistoryStatements.Metrics(), "metrics"))
                .uid("history-sink-metrics")
                .name("History: metrics");
        metrics.getSideOutput(HistorySampler.CHART_POINTS)
                .sinkTo(jdbcSink(options, new HistoryStatements.ChartPoints(), "chart_points"))
                .uid("history-sink-chart-points")
                .name("History: chart_points");
        metrics.getSideOutput(HistorySampler.TABLE_ROWS)
                .sinkTo(jdbcSink(options, new HistoryStatements.TableRows(), "table_rows"))
                .uid("history-sink-table-rows")
                .name("History: table_rows");
    }

    private static HistoryJdbcSink jdbcSink(
            HistoryOptions options, JdbcQueryStatement<HistoryRecord> statement, String table) {
        JdbcSink<HistoryRecord> sink =
                JdbcSink.<HistoryRecord>builder()
                        .withQueryStatement(statement)
                        .withExecutionOptions(
                                JdbcExecutionOptions.builder()
                                        .withBatchSize(BATCH_SIZE)
                                        .withBatchIntervalMs(BATCH_INTERVAL_MS)
                                        .withMaxRetries(MAX_RETRIES)
                                        .build())
                        .buildAtLeastOnce(new HistoryConnectionProvider(options.jdbcUrl()));
        return new HistoryJdbcSink(sink, table);
    }
}
