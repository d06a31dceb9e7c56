package io.streamviz.job.records;

/**
 * The running totals of one member of one dimension (region {@code europe}, category {@code books},
 * or the rejected-record counter), or of one member within one event-time minute when {@link
 * #windowStartMs} is set. Emitted by {@link io.streamviz.job.functions.DimensionTotalsFunction} and
 * combined into dashboard figures by {@link io.streamviz.job.functions.DashboardFigures}.
 *
 * <p>Values are absolute (the totals so far), not increments, so a replayed or repeated record
 * changes nothing downstream.
 */
public class DimensionTotals {
    public static final String REGION = "region";
    public static final String CATEGORY = "category";
    public static final String REJECTED = "rejected";
    public static final String CUSTOMERS = "customers";

    /** Marks a running total that belongs to no window. */
    public static final long NO_WINDOW = Long.MIN_VALUE;

    public String dimension;
    public String member;
    public long windowStartMs = NO_WINDOW;
    public long revenueCents;
    public long orders;
    public long largestOrderCents;

    public DimensionTotals() {}

    public DimensionTotals(String dimension, String member, long windowStartMs, Totals totals) {
        this.dimension = dimension;
        this.member = member;
        this.windowStartMs = windowStartMs;
        this.revenueCents = totals.revenueCents;
        this.orders = totals.orders;
        this.largestOrderCents = totals.largestOrderCents;
    }

    public boolean isWindow() {
        return windowStartMs != NO_WINDOW;
    }

    public Totals totals() {
        Totals totals = new Totals(revenueCents, orders);
        totals.largestOrderCents = largestOrderCents;
        return totals;
    }

    @Override
    public String toString() {
        return dimension
                + ":"
                + member
                + (isWindow() ? "@" + windowStartMs : "")
                + "="
                + revenueCents
                + "c/"
                + orders;
    }
}
