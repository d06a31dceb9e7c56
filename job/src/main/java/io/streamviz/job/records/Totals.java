package io.streamviz.job.records;

/**
 * Revenue in cents and an order count: the unit every aggregation of the job adds up. A Flink POJO,
 * kept in RocksDB state.
 */
public class Totals {
    public long revenueCents;
    public long orders;

    public Totals() {}

    public Totals(long revenueCents, long orders) {
        this.revenueCents = revenueCents;
        this.orders = orders;
    }

    public void add(long amountCents, long count) {
        revenueCents = Math.addExact(revenueCents, amountCents);
        orders = Math.addExact(orders, count);
    }

    public void add(Totals other) {
        add(other.revenueCents, other.orders);
    }

    @Override
    public String toString() {
        return revenueCents + "c/" + orders;
    }
}
