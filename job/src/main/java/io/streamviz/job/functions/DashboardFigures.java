package io.streamviz.job.functions;

import static io.streamviz.job.EcommerceDashboard.AVG_ORDER;
import static io.streamviz.job.EcommerceDashboard.BY_CATEGORY;
import static io.streamviz.job.EcommerceDashboard.BY_REGION;
import static io.streamviz.job.EcommerceDashboard.CUSTOMERS;
import static io.streamviz.job.EcommerceDashboard.ORDERS;
import static io.streamviz.job.EcommerceDashboard.ORDERS_CHART;
import static io.streamviz.job.EcommerceDashboard.ORDERS_PER_SEC;
import static io.streamviz.job.EcommerceDashboard.REJECTED;
import static io.streamviz.job.EcommerceDashboard.REVENUE;
import static io.streamviz.job.EcommerceDashboard.REVENUE_CHART;

import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.job.EcommerceDashboard;
import io.streamviz.job.records.DimensionTotals;
import io.streamviz.job.records.Totals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Combines the per-region and per-category totals into the figures the dashboard shows, and turns
 * each changed figure into a widget update.
 *
 * <p>Runs with parallelism 1 on a single constant key. That is affordable because its input is
 * already pre-aggregated by {@link DimensionTotalsFunction}: a few records per key and emit
 * interval, whatever the order rate.
 *
 * <p>The inputs carry absolute totals, so the overall totals are kept by replacing a member's old
 * contribution with its new one; the arithmetic is on whole cents and exact.
 */
public class DashboardFigures
        extends KeyedProcessFunction<String, DimensionTotals, DashboardUpdate> {
    /** The one key this operator runs on. */
    public static final String SINGLE_KEY = "all";

    static final long RATE_TICK_MS = 1_000;
    private static final int RATE_WINDOW_TICKS = 5;

    private final long allowedLatenessMs;

    private transient ValueState<Totals> overall;
    private transient MapState<String, Totals> regions;
    private transient MapState<String, Totals> categories;

    /** Minute start -> region -> totals: the partials behind each chart point still open. */
    private transient MapState<Long, Map<String, Totals>> openMinutes;

    private transient ValueState<Long> rejected;

    /**
     * The categories the table shows. With thousands of categories most updates concern rows the
     * table would evict at once; sending them would only cost the dashboard and the history
     * database work for rows nobody sees. Rebuilt from {@link #categories} after a restore.
     */
    private transient RevenueLeaders categoryLeaders;

    /**
     * Order counts of the last few rate ticks. Not checkpointed: after a restore the gauge needs a
     * few seconds to be smooth again, which is cheaper than storing samples in every checkpoint.
     */
    private transient ArrayDeque<long[]> rateSamples;

    public DashboardFigures(long allowedLatenessMs) {
        this.allowedLatenessMs = allowedLatenessMs;
    }

    /**
     * Every state this function registers: what a savepoint of {@code dashboard-figures} holds, and
     * what {@code savepoint check} compares a savepoint against.
     */
    public static List<StateDescriptor<?, ?>> stateDescriptors() {
        return List.of(
                overallDescriptor(),
                regionsDescriptor(),
                categoriesDescriptor(),
                openMinutesDescriptor(),
                rejectedDescriptor());
    }

    public static ValueStateDescriptor<Totals> overallDescriptor() {
        return new ValueStateDescriptor<>("overall", Totals.class);
    }

    public static MapStateDescriptor<String, Totals> regionsDescriptor() {
        return new MapStateDescriptor<>("regions", Types.STRING, Types.POJO(Totals.class));
    }

    public static MapStateDescriptor<String, Totals> categoriesDescriptor() {
        return new MapStateDescriptor<>("categories", Types.STRING, Types.POJO(Totals.class));
    }

    public static MapStateDescriptor<Long, Map<String, Totals>> openMinutesDescriptor() {
        return new MapStateDescriptor<>(
                "open-minutes", Types.LONG, Types.MAP(Types.STRING, Types.POJO(Totals.class)));
    }

    public static ValueStateDescriptor<Long> rejectedDescriptor() {
        return new ValueStateDescriptor<>("rejected", Types.LONG);
    }

    @Override
    public void open(OpenContext openContext) {
        overall = getRuntimeContext().getState(overallDescriptor());
        regions = getRuntimeContext().getMapState(regionsDescriptor());
        categories = getRuntimeContext().getMapState(categoriesDescriptor());
        openMinutes = getRuntimeContext().getMapState(openMinutesDescriptor());
        rejected = getRuntimeContext().getState(rejectedDescriptor());
        rateSamples = new ArrayDeque<>();
        categoryLeaders = new RevenueLeaders(BY_CATEGORY.maxRows());
    }

    @Override
    public void processElement(DimensionTotals totals, Context ctx, Collector<DashboardUpdate> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        if (rejected.value() == null) {
            // No rejection yet is a figure too: show 0 rather than no value at all.
            rejected.update(0L);
            out.collect(REJECTED.set(BigDecimal.ZERO, now));
        }
        switch (totals.dimension) {
            case DimensionTotals.REGION -> {
                if (totals.isWindow()) {
                    updateMinute(totals, ctx, out);
                } else {
                    updateRegion(totals, now, out);
                }
            }
            case DimensionTotals.CATEGORY -> updateCategory(totals, now, out);
            case DimensionTotals.CUSTOMERS ->
                    out.collect(CUSTOMERS.set(BigDecimal.valueOf(totals.orders), now));
            case DimensionTotals.REJECTED -> {
                rejected.update(totals.orders);
                out.collect(REJECTED.set(BigDecimal.valueOf(totals.orders), now));
            }
            default -> throw new IllegalStateException("unknown dimension: " + totals.dimension);
        }
        scheduleRateTick(now, ctx);
    }

    private void updateRegion(DimensionTotals update, long now, Collector<DashboardUpdate> out)
            throws Exception {
        Totals previous = regions.get(update.member);
        Totals current = update.totals();
        regions.put(update.member, current);

        Totals sum = overall.value() == null ? new Totals() : overall.value();
        if (previous != null) {
            sum.add(-previous.revenueCents, -previous.orders);
        }
        // The largest order only ever grows, so the maximum taken by add() needs no undoing.
        sum.add(current);
        overall.update(sum);

        out.collect(REVENUE.set(money(sum.revenueCents), now));
        out.collect(ORDERS.set(BigDecimal.valueOf(sum.orders), now));
        out.collect(AVG_ORDER.set(average(sum), now));
        if (EcommerceDashboard.REGIONS.contains(update.member)) {
            out.collect(
                    EcommerceDashboard.regionStat(update.member)
                            .set(money(current.revenueCents), now));
        }
        out.collect(BY_REGION.upsert(update.member, row("region", update.member, current), now));
    }

    private void updateCategory(DimensionTotals update, long now, Collector<DashboardUpdate> out)
            throws Exception {
        Totals current = update.totals();
        categories.put(update.member, current);
        if (EcommerceDashboard.CATEGORIES.contains(update.member)) {
            out.collect(
                    EcommerceDashboard.categoryStat(update.member)
                            .set(money(current.revenueCents), now));
        }
        if (categoryLeaders.isEmpty()) {
            for (Map.Entry<String, Totals> category : categories.entries()) {
                categoryLeaders.offer(category.getKey(), category.getValue().revenueCents);
            }
        }
        if (categoryLeaders.offer(update.member, current.revenueCents)) {
            out.collect(
                    BY_CATEGORY.upsert(
                            update.member, row("category", update.member, current), now));
        }
    }

    private void updateMinute(DimensionTotals update, Context ctx, Collector<DashboardUpdate> out)
            throws Exception {
        Map<String, Totals> byRegion = openMinutes.get(update.windowStartMs);
        if (byRegion == null) {
            byRegion = new LinkedHashMap<>();
            // Drop the partials once no region can change this minute any more.
            ctx.timerService()
                    .registerEventTimeTimer(
                            update.windowStartMs
                                    + DimensionTotalsFunction.WINDOW_SIZE_MS
                                    + allowedLatenessMs);
        }
        byRegion.put(update.member, update.totals());
        openMinutes.put(update.windowStartMs, byRegion);

        Totals minute = new Totals();
        byRegion.values().forEach(minute::add);
        out.collect(REVENUE_CHART.point(update.windowStartMs, money(minute.revenueCents)));
        out.collect(ORDERS_CHART.point(update.windowStartMs, BigDecimal.valueOf(minute.orders)));
    }

    private void scheduleRateTick(long now, Context ctx) {
        ctx.timerService().registerProcessingTimeTimer(now - now % RATE_TICK_MS + RATE_TICK_MS);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DashboardUpdate> out)
            throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            openMinutes.remove(
                    timestamp - DimensionTotalsFunction.WINDOW_SIZE_MS - allowedLatenessMs);
            return;
        }
        Totals sum = overall.value();
        long orders = sum == null ? 0 : sum.orders;
        rateSamples.addLast(new long[] {timestamp, orders});
        while (rateSamples.size() > RATE_WINDOW_TICKS + 1) {
            rateSamples.removeFirst();
        }
        long[] oldest = rateSamples.peekFirst();
        double seconds = (timestamp - oldest[0]) / 1000.0;
        double perSecond = seconds <= 0 ? 0 : (orders - oldest[1]) / seconds;
        out.collect(
                ORDERS_PER_SEC.set(
                        BigDecimal.valueOf(perSecond).setScale(1, RoundingMode.HALF_UP),
                        timestamp));
        // Keep ticking while the rate is not yet known to be zero, so the gauge falls to 0 when
        // orders stop instead of freezing at the last rate.
        if (perSecond > 0 || rateSamples.size() <= RATE_WINDOW_TICKS) {
            ctx.timerService().registerProcessingTimeTimer(timestamp + RATE_TICK_MS);
        } else {
            rateSamples.clear();
        }
    }

    static BigDecimal money(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    static BigDecimal average(Totals totals) {
        if (totals.orders == 0) {
            return money(0);
        }
        return BigDecimal.valueOf(totals.revenueCents)
                .divide(BigDecimal.valueOf(totals.orders), 0, RoundingMode.HALF_UP)
                .movePointLeft(2);
    }

    private static Map<String, Object> row(String keyColumn, String key, Totals totals) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(keyColumn, key);
        row.put("revenue", money(totals.revenueCents));
        row.put("orders", totals.orders);
        row.put("avg_order", average(totals));
        return row;
    }
}
