package io.streamviz.job.functions;

import io.streamviz.job.records.DimensionTotals;
import io.streamviz.job.records.Order;
import io.streamviz.job.records.RejectedRecord;
import io.streamviz.job.records.Totals;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the running totals of one dimension member (a region, a category, the rejected-record
 * counter) and, where asked, its totals per one-minute event-time window.
 *
 * <p>This is where the job pre-aggregates: every record touches the state of its own key, and the
 * key's totals go downstream at most once per {@code emitIntervalMs} (processing time), however
 * many records arrived in between. The single-parallelism {@link DashboardFigures} therefore sees a
 * rate bounded by the number of keys, not by the order rate.
 *
 * <p>Windows accept records until the watermark passes their end plus {@code allowedLatenessMs};
 * later records still count in the running totals but no longer change a closed minute of the
 * charts (they are counted in the {@code lateRecords} metric).
 */
public class DimensionTotalsFunction<IN> extends KeyedProcessFunction<String, IN, DimensionTotals> {
    public static final long WINDOW_SIZE_MS = 60_000;

    /** What one record adds: its amount in cents and its event time. Serializable for Flink. */
    public interface Contribution<IN> extends Serializable {
        long amountCents(IN record);

        long eventTimeMs(IN record);
    }

    private final String dimension;
    private final Contribution<IN> contribution;
    private final boolean keepsMinuteWindows;
    private final long emitIntervalMs;
    private final long allowedLatenessMs;

    private transient ValueState<Totals> runningTotals;
    private transient ValueState<Boolean> runningTotalsChanged;
    private transient MapState<Long, Totals> minuteTotals;
    private transient MapState<Long, Boolean> changedMinutes;
    private transient Counter lateRecords;

    private DimensionTotalsFunction(
            String dimension,
            Contribution<IN> contribution,
            boolean keepsMinuteWindows,
            long emitIntervalMs,
            long allowedLatenessMs) {
        this.dimension = dimension;
        this.contribution = contribution;
        this.keepsMinuteWindows = keepsMinuteWindows;
        this.emitIntervalMs = emitIntervalMs;
        this.allowedLatenessMs = allowedLatenessMs;
    }

    /** Revenue and orders per region, overall and per event-time minute (the charts). */
    public static DimensionTotalsFunction<Order> regions(
            long emitIntervalMs, long allowedLatenessMs) {
        return new DimensionTotalsFunction<>(
                DimensionTotals.REGION,
                new OrderContribution(),
                true,
                emitIntervalMs,
                allowedLatenessMs);
    }

    /** Revenue and orders per category, overall only. */
    public static DimensionTotalsFunction<Order> categories(long emitIntervalMs) {
        return new DimensionTotalsFunction<>(
                DimensionTotals.CATEGORY, new OrderContribution(), false, emitIntervalMs, 0);
    }

    /** The count of customers, fed one record per customer's first order. */
    public static DimensionTotalsFunction<Order> customers(long emitIntervalMs) {
        return new DimensionTotalsFunction<>(
                DimensionTotals.CUSTOMERS, new CountOnly<>(), false, emitIntervalMs, 0);
    }

    /** The count of rejected records (their amount counts for nothing). */
    public static DimensionTotalsFunction<RejectedRecord> rejected(long emitIntervalMs) {
        return new DimensionTotalsFunction<>(
                DimensionTotals.REJECTED, new CountOnly<>(), false, emitIntervalMs, 0);
    }

    /**
     * Every state this function registers, whatever its dimension: what a savepoint of its
     * operators holds, and what {@code savepoint check} compares a savepoint against.
     */
    public static List<StateDescriptor<?, ?>> stateDescriptors() {
        return List.of(
                runningTotalsDescriptor(),
                runningTotalsChangedDescriptor(),
                minuteTotalsDescriptor(),
                changedMinutesDescriptor());
    }

    public static ValueStateDescriptor<Totals> runningTotalsDescriptor() {
        return new ValueStateDescriptor<>("running-totals", Totals.class);
    }

    static ValueStateDescriptor<Boolean> runningTotalsChangedDescriptor() {
        return new ValueStateDescriptor<>("running-totals-changed", Types.BOOLEAN);
    }

    /** Minute start -> the member's totals in that minute, while the minute is open. */
    public static MapStateDescriptor<Long, Totals> minuteTotalsDescriptor() {
        return new MapStateDescriptor<>("minute-totals", Types.LONG, Types.POJO(Totals.class));
    }

    static MapStateDescriptor<Long, Boolean> changedMinutesDescriptor() {
        return new MapStateDescriptor<>("changed-minutes", Types.LONG, Types.BOOLEAN);
    }

    @Override
    public void open(OpenContext openContext) {
        runningTotals = getRuntimeContext().getState(runningTotalsDescriptor());
        runningTotalsChanged = getRuntimeContext().getState(runningTotalsChangedDescriptor());
        minuteTotals = getRuntimeContext().getMapState(minuteTotalsDescriptor());
        changedMinutes = getRuntimeContext().getMapState(changedMinutesDescriptor());
        lateRecords = getRuntimeContext().getMetricGroup().counter("lateRecords");
    }

    @Override
    public void processElement(IN record, Context ctx, Collector<DimensionTotals> out)
            throws Exception {
        long amountCents = contribution.amountCents(record);
        Totals totals = runningTotals.value();
        if (totals == null) {
            totals = new Totals();
        }
        totals.addOrder(amountCents);
        runningTotals.update(totals);
        runningTotalsChanged.update(true);

        if (keepsMinuteWindows) {
            addToMinute(contribution.eventTimeMs(record), amountCents, ctx);
        }
        scheduleEmit(ctx);
    }

    private void addToMinute(long eventTimeMs, long amountCents, Context ctx) throws Exception {
        long minuteStart = eventTimeMs - Math.floorMod(eventTimeMs, WINDOW_SIZE_MS);
        long closesAtMs = minuteStart + WINDOW_SIZE_MS + allowedLatenessMs;
        if (closesAtMs <= ctx.timerService().currentWatermark()) {
            lateRecords.inc();
            return;
        }
        Totals minute = minuteTotals.get(minuteStart);
        if (minute == null) {
            minute = new Totals();
            // Event-time timers are de-duplicated per key and time, so one per minute.
            ctx.timerService().registerEventTimeTimer(closesAtMs);
        }
        minute.addOrder(amountCents);
        minuteTotals.put(minuteStart, minute);
        changedMinutes.put(minuteStart, true);
    }

    private void scheduleEmit(Context ctx) {
        // Rounding to the interval makes every record of the interval ask for the same timer,
        // which Flink keeps only once per key.
        long now = ctx.timerService().currentProcessingTime();
        long nextEmitMs = now - Math.floorMod(now, emitIntervalMs) + emitIntervalMs;
        ctx.timerService().registerProcessingTimeTimer(nextEmitMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DimensionTotals> out)
            throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            long minuteStart = timestamp - allowedLatenessMs - WINDOW_SIZE_MS;
            emitMinuteIfChanged(ctx.getCurrentKey(), minuteStart, out);
            minuteTotals.remove(minuteStart);
            return;
        }
        String member = ctx.getCurrentKey();
        if (Boolean.TRUE.equals(runningTotalsChanged.value())) {
            out.collect(
                    new DimensionTotals(
                            dimension, member, DimensionTotals.NO_WINDOW, runningTotals.value()));
            runningTotalsChanged.clear();
        }
        List<Long> minutes = new ArrayList<>();
        for (Map.Entry<Long, Boolean> changed : changedMinutes.entries()) {
            minutes.add(changed.getKey());
        }
        for (long minuteStart : minutes) {
            emitMinuteIfChanged(member, minuteStart, out);
        }
    }

    private void emitMinuteIfChanged(
            String member, long minuteStart, Collector<DimensionTotals> out) throws Exception {
        if (!changedMinutes.contains(minuteStart)) {
            return;
        }
        Totals minute = minuteTotals.get(minuteStart);
        if (minute != null) {
            out.collect(new DimensionTotals(dimension, member, minuteStart, minute));
        }
        changedMinutes.remove(minuteStart);
    }

    private static final class OrderContribution implements Contribution<Order> {
        @Override
        public long amountCents(Order order) {
            return order.amountCents;
        }

        @Override
        public long eventTimeMs(Order order) {
            return order.eventTimeMs;
        }
    }

    /** Counts records and adds no money: for rejections and customers. */
    private static final class CountOnly<T> implements Contribution<T> {
        @Override
        public long amountCents(T record) {
            return 0;
        }

        @Override
        public long eventTimeMs(T record) {
            return Long.MIN_VALUE; // never asked: counts keep no windows
        }
    }
}
