package io.streamviz.job.records;

/**
 * The orders of one region or category, added up within one flush of {@link
 * io.streamviz.job.functions.PreAggregateOrders}: what travels to the keyed totals instead of every
 * single order. For regions it covers one event-time minute; for categories the minute is {@link
 * DimensionTotals#NO_WINDOW}. A Flink POJO; it never enters state or a savepoint.
 */
public class OrderPartial {
    public String member;
    public long minuteStartMs = DimensionTotals.NO_WINDOW;
    public long orders;
    public long revenueCents;
    public long largestOrderCents;

    public OrderPartial() {}

    public OrderPartial(String member, long minuteStartMs) {
        this.member = member;
        this.minuteStartMs = minuteStartMs;
    }

    /** Counts one order of {@code amountCents}. */
    public void addOrder(long amountCents) {
        orders++;
        revenueCents = Math.addExact(revenueCents, amountCents);
        largestOrderCents = Math.max(largestOrderCents, amountCents);
    }

    @Override
    public String toString() {
        return member + "@" + minuteStartMs + ": " + revenueCents + "c/" + orders;
    }
}
