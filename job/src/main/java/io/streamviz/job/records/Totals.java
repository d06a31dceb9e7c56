package io.streamviz.job.records;

/**
 * Revenue in cents and an order count: the unit every aggregation of the job adds up. A Flink POJO,
 * kept in RocksDB state.
 */
public class Totals {
    public long revenueCents;
    public long orders;

    /**
     * The largest single order, in cents. Added in 0.2.0: state written by 0.1.0 restores with 0
     * here (Flink's POJO serializer gives a new field its default), and it grows from there.
     */
    public long largestOrderCents;

    public Totals() {}

    public Totals(long revenueCents, long orders) {
        this.revenueCents = revenueCents;
        this.orders = orders;
    }

    public void add(long amountCents, long count) {
        revenueCents = Math.addExact(revenueCents, amountCents);
        orders = Math.addExact(orders, count);
    }

    /** Counts one order of {@code amountCents}. */
    public void addOrder(long amountCents) {
        add(amountCents, 1);
        largestOrderCents = Math.max(largestOrderCents, amountCents);
    }

    public void add(Totals other) {
        add(other.revenueCents, other.orders);
        largestOrderCents = Math.max(largestOrderCents, other.largestOrderCents);
    }

    @Override
    public String toString() {
        return revenueCents + "c/" + orders;
    }
}
