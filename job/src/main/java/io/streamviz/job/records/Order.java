package io.streamviz.job.records;

import java.util.Objects;

/**
 * A valid order, as the parser accepted it.
 *
 * <p>A Flink POJO (public no-arg constructor, public fields) so that Flink serializes it with its
 * own POJO serializer and savepoints can evolve it by adding fields. Money is held in whole cents:
 * sums of cents are exact, sums of doubles drift.
 */
public class Order {
    public String orderId;
    public long amountCents;
    public String region;
    public String category;
    public String customerId;
    public long eventTimeMs;

    public Order() {}

    public Order(
            String orderId,
            long amountCents,
            String region,
            String category,
            String customerId,
            long eventTimeMs) {
        this.orderId = orderId;
        this.amountCents = amountCents;
        this.region = region;
        this.category = category;
        this.customerId = customerId;
        this.eventTimeMs = eventTimeMs;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Order)) {
            return false;
        }
        Order other = (Order) o;
        return amountCents == other.amountCents
                && eventTimeMs == other.eventTimeMs
                && Objects.equals(orderId, other.orderId)
                && Objects.equals(region, other.region)
                && Objects.equals(category, other.category)
                && Objects.equals(customerId, other.customerId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(orderId, amountCents, region, category, customerId, eventTimeMs);
    }

    @Override
    public String toString() {
        return "Order{" + orderId + ", " + amountCents + "c, " + region + ", " + category + "}";
    }
}
