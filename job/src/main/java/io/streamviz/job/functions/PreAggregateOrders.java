package io.streamviz.job.functions;

import io.streamviz.job.records.DimensionTotals;
import io.streamviz.job.records.Order;
import io.streamviz.job.records.OrderPartial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Adds orders up in the source's own task, before any {@code keyBy}, so that the keyed totals
 * receive one {@link OrderPartial} per region and minute, per category and per new customer every
 * flush instead of one record per order. This is what lets the job run near the speed of reading
 * and parsing: an order is touched once, in a hash map, and never serialized, shuffled or written
 * to RocksDB on its own.
 *
 * <p>Region partials are the main output; category partials and the ids of customers not yet passed
 * on are side outputs ({@link #CATEGORIES}, {@link #CUSTOMERS}).
 *
 * <p>It flushes every {@code flushIntervalMs} of processing time, when it holds partials for {@link
 * #MAX_PENDING_MEMBERS} members, before it forwards a watermark and before a checkpoint barrier.
 * The last two keep the results exactly what per-order processing gives: a checkpoint never holds
 * an order in this buffer (so the operator has no state of its own), and downstream sees every
 * order before the watermark that followed it, so lateness is judged as before.
 */
public class PreAggregateOrders extends AbstractStreamOperator<OrderPartial>
        implements OneInputStreamOperator<Order, OrderPartial> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<OrderPartial> CATEGORIES =
            new OutputTag<>("category-partials", TypeInformation.of(OrderPartial.class));
    public static final OutputTag<String> CUSTOMERS =
            new OutputTag<>("new-customers", Types.STRING);

    /** A flush bound for many distinct categories: memory stays small, partials stay useful. */
    static final int MAX_PENDING_MEMBERS = 10_000;

    /**
     * How many customer ids this task remembers having passed on. Once passed on, a customer never
     * needs to go downstream again ({@link FirstOrderPerCustomer} keeps the authoritative flag), so
     * this only saves traffic; it is not checkpointed and is cleared when full, which costs nothing
     * but one more record per customer.
     */
    static final int MAX_REMEMBERED_CUSTOMERS = 100_000;

    private final long flushIntervalMs;

    private transient Map<String, Map<Long, OrderPartial>> regionMinutes;
    private transient Map<String, OrderPartial> categories;
    private transient Set<String> newCustomers;
    private transient Set<String> customersPassedOn;
    private transient int pendingMembers;

    public PreAggregateOrders(long flushIntervalMs) {
        if (flushIntervalMs <= 0) {
            throw new IllegalArgumentException("flush interval must be positive");
        }
        this.flushIntervalMs = flushIntervalMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        regionMinutes = new HashMap<>();
        categories = new HashMap<>();
        newCustomers = new HashSet<>();
        customersPassedOn = new HashSet<>();
        scheduleFlush();
    }

    @Override
    public void processElement(StreamRecord<Order> element) {
        Order order = element.getValue();
        long minuteStart =
                order.eventTimeMs
                        - Math.floorMod(order.eventTimeMs, DimensionTotalsFunction.WINDOW_SIZE_MS);
        Map<Long, OrderPartial> minutes = regionMinutes.get(order.region);
        if (minutes == null) {
            minutes = new HashMap<>(4);
            regionMinutes.put(order.region, minutes);
        }
        OrderPartial regionMinute = minutes.get(minuteStart);
        if (regionMinute == null) {
            regionMinute = new OrderPartial(order.region, minuteStart);
            minutes.put(minuteStart, regionMinute);
            pendingMembers++;
        }
        regionMinute.addOrder(order.amountCents);

        OrderPartial category = categories.get(order.category);
        if (category == null) {
            category = new OrderPartial(order.category, DimensionTotals.NO_WINDOW);
            categories.put(order.category, category);
            pendingMembers++;
        }
        category.addOrder(order.amountCents);

        if (!customersPassedOn.contains(order.customerId) && newCustomers.add(order.customerId)) {
            pendingMembers++;
        }
        if (pendingMembers >= MAX_PENDING_MEMBERS) {
            flush();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void scheduleFlush() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
                .registerTimer(
                        now + flushIntervalMs,
                        timestamp -> {
                            flush();
                            scheduleFlush();
                        });
    }

    private void flush() {
        if (pendingMembers == 0) {
            return;
        }
        // Partials carry no event timestamp of their own: the keyed totals place them by their
        // minute, and timestamps on records matter to no operator downstream.
        for (Map<Long, OrderPartial> minutes : regionMinutes.values()) {
            for (OrderPartial partial : minutes.values()) {
                output.collect(new StreamRecord<>(partial));
            }
        }
        for (OrderPartial partial : categories.values()) {
            output.collect(CATEGORIES, new StreamRecord<>(partial));
        }
        if (customersPassedOn.size() + newCustomers.size() > MAX_REMEMBERED_CUSTOMERS) {
            customersPassedOn.clear();
        }
        List<String> customers = new ArrayList<>(newCustomers);
        for (String customerId : customers) {
            output.collect(CUSTOMERS, new StreamRecord<>(customerId));
        }
        customersPassedOn.addAll(customers);
        regionMinutes.clear();
        categories.clear();
        newCustomers.clear();
        pendingMembers = 0;
    }
}
