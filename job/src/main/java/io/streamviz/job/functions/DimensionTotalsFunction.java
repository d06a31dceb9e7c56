package io.streamviz.job.functions;

import io.streamviz.job.records.DimensionTotals;
import io.streamviz.job.records.OrderPartial;
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
 * <p>Orders arrive already added up per member by {@link PreAggregateOrders}, a few partials per
 * member and flush, so their totals go downstream at once. Inputs that are not pre-aggregated (the
 * rejected records, the customers' first orders) are counted one by one and their totals go
 * downstream at most once per {@code emitIntervalMs} (processing time), however many arrived in
 * between. Either way the single-parallelism {@link DashboardFigures} sees a rate bounded by the
 * number of members, not by the order rate.
 *
 * <p>Windows accept records until the watermark passes their end plus {@code allowedLatenessMs};
 * later records still count in the running totals but no longer change a closed minute of the
 * charts (they are counted in the {@code lateRecords} metric).
 */
public class DimensionTotalsFunction<IN> extends KeyedProcessFunction<String, IN, DimensionTotals> {
    public static final long WINDOW_SIZE_MS = 60_000;

    /** What one record adds to a member's totals. Serializable for Flink. */
    public interface Contribution<IN> extends Serializable {
        /**
         * Adds the record's orders (one, or a pre-aggregated batch) and money to {@code totals}.
         */
        void addTo(Totals totals, IN record);

        /** How many orders the record stands for. */
        long orders(IN record);

        /** Any event time within the minute the record belongs to. */
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

    /**
     * @param emitIntervalMs 0 to emit on every record (for pre-aggregated input), else the least
     *     time between two emits of one member
     */
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

    /**
     * Revenue and orders per region, overall and per event-time minute (the charts), from region
     * partials; emits on every partial.
     */
    public static DimensionTotalsFunction<OrderPartial> regions(long allowedLatenessMs) {
        return new DimensionTotalsFunction<>(
                DimensionTotals.REGION, new PartialContribution(), true, 0, allowedLatenessMs);
    }

    /** Revenue and orders per category, overall only, from category partials; emits on each. */
    public static DimensionTotalsFunction<OrderPartial> categories() {
        return new DimensionTotalsFunction<>(
                DimensionTotals.CATEGORY, new PartialContribution(), false, 0, 0);
    }

    /** The count of customers, fed one record (the customer's id) per customer's first order. */
    public static DimensionTotalsFunction<String> customers(long emitIntervalMs) {
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
        Totals totals = runningTotals.value();
        if (totals == null) {
            totals = new Totals();
        }
        contribution.addTo(totals, record);
        runningTotals.update(totals);
        String member = ctx.getCurrentKey();
        if (emitIntervalMs == 0) {
            out.collect(new DimensionTotals(dimension, member, DimensionTotals.NO_WINDOW, totals));
        } else {
            runningTotalsChanged.update(true);
        }

        if (keepsMinuteWindows) {
            Totals minute = addToMinute(record, ctx);
            if (minute != null && emitIntervalMs == 0) {
                out.collect(new DimensionTotals(dimension, member, minuteStart(record), minute));
            }
        }
        if (emitIntervalMs > 0) {
            scheduleEmit(ctx);
        }
    }

    private long minuteStart(IN record) {
        long eventTimeMs = contribution.eventTimeMs(record);
        return eventTimeMs - Math.floorMod(eventTimeMs, WINDOW_SIZE_MS);
    }

    /** Adds the record to its minute and returns the minute's totals; null when it is too late. */
    private Totals addToMinute(IN record, Context ctx) throws Exception {
        long minuteStart = minuteStart(record);
        long closesAtMs = minuteStart + WINDOW_SIZE_MS + allowedLatenessMs;
        if (closesAtMs <= ctx.timerService().currentWatermark()) {
            lateRecords.inc(contribution.orders(record));
            return null;
        }
        Totals minute = minuteTotals.get(minuteStart);
        if (minute == null) {
            minute = new Totals();
            // Event-time timers are de-duplicated per key and time, so one per minute.
            ctx.timerService().registerEventTimeTimer(closesAtMs);
        }
        contribution.addTo(minute, record);
        minuteTotals.put(minuteStart, minute);
        if (emitIntervalMs > 0) {
            changedMinutes.put(minuteStart, true);
        }
        return minute;
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

    private static final class PartialContribution implements Contribution<OrderPartial> {
        @Override
        public void addTo(Totals totals, OrderPartial partial) {
            totals.add(partial.revenueCents, partial.orders);
            totals.largestOrderCents =
                    Math.max(totals.largestOrderCents, partial.largestOrderCents);
        }

        @Override
        public long orders(OrderPartial partial) {
            return partial.orders;
        }

        @Override
        public long eventTimeMs(OrderPartial partial) {
            return partial.minuteStartMs;
        }
    }

    /** Counts records and adds no money: for rejections and customers. */
    private static final class CountOnly<T> implements Contribution<T> {
        @Override
        public void addTo(Totals totals, T record) {
            totals.add(0, 1);
        }

        @Override
        public long orders(T record) {
            return 1;
        }

        @Override
        public long eventTimeMs(T record) {
            return Long.MIN_VALUE; // never asked: counts keep no windows
        }
    }
}
