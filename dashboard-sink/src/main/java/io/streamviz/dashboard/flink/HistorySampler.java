package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.history.HistoryRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Samples the updates of each widget (the key) for the history database: within one interval of
 * processing time only the newest value of a stat or gauge, of each chart point and of each table
 * row is kept, and all of them are emitted when the interval ends. So the rows written per second
 * depend on the number of widgets, chart points and table rows that changed, never on how many
 * updates arrived.
 *
 * <p>The pending values and their timer are keyed state: a checkpoint holds what was not written
 * yet, and a restore writes it. Metrics go to the main output, chart points and table rows to
 * {@link #CHART_POINTS} and {@link #TABLE_ROWS}.
 */
public final class HistorySampler
        extends KeyedProcessFunction<String, DashboardUpdate, HistoryRecord> {
    private static final long serialVersionUID = 1L;

    static final TypeInformation<HistoryRecord> RECORD_TYPE =
            TypeInformation.of(HistoryRecord.class);
    static final OutputTag<HistoryRecord> CHART_POINTS =
            new OutputTag<>("history-chart-points", RECORD_TYPE);
    static final OutputTag<HistoryRecord> TABLE_ROWS =
            new OutputTag<>("history-table-rows", RECORD_TYPE);

    private final long intervalMs;

    /** The newest record per slot (see {@link HistoryRecord#slot()}) since the last emit. */
    private transient MapState<String, HistoryRecord> pending;

    public HistorySampler(long intervalMs) {
        if (intervalMs < 1) {
            throw new IllegalArgumentException(
                    "history interval must be at least 1 ms, was " + intervalMs);
        }
        this.intervalMs = intervalMs;
    }

    @Override
    public void open(OpenContext openContext) {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("pending", Types.STRING, RECORD_TYPE));
    }

    @Override
    public void processElement(DashboardUpdate update, Context ctx, Collector<HistoryRecord> out)
            throws Exception {
        if (pending.isEmpty()) {
            // Aligned to the interval, so that every widget is written at the same instants.
            long now = ctx.timerService().currentProcessingTime();
            ctx.timerService().registerProcessingTimeTimer(now - now % intervalMs + intervalMs);
        }
        HistoryRecord record = HistoryRecord.of(update);
        pending.put(record.slot(), record);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<HistoryRecord> out)
            throws Exception {
        List<HistoryRecord> due = new ArrayList<>();
        pending.values().forEach(due::add);
        pending.clear();
        for (HistoryRecord record : due) {
            record.recordedAtMs = timestamp;
            switch (record.kind) {
                case METRIC -> out.collect(record);
                case CHART_POINT -> ctx.output(CHART_POINTS, record);
                case TABLE_ROW -> ctx.output(TABLE_ROWS, record);
            }
        }
    }
}
