package io.streamviz.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Order records as JSON text, the way a producer would write them. */
public final class Orders {
    /** 2026-01-01T00:00:00Z: a minute boundary, so test minutes start at known instants. */
    public static final long T0 = 1_767_225_600_000L;

    private Orders() {}

    public static String order(
            String id, String amount, String region, String category, long eventTimeMs) {
        return String.format(
                Locale.ROOT,
                "{\"order_id\":\"%s\",\"amount\":%s,\"region\":\"%s\",\"category\":\"%s\","
                        + "\"customer_id\":\"c-%s\",\"ts\":%d}",
                id,
                amount,
                region,
                category,
                id,
                eventTimeMs);
    }

    /**
     * {@code count} orders of 0.25, 0.50, 0.75 … in the minute starting at {@code T0 +
     * minuteOffsetMs}, alternately europe and asia, all books: 40 of them sum to 205.00, 30 to
     * 116.25.
     */
    public static List<String> quarterSteps(String prefix, long minuteOffsetMs, int count) {
        List<String> orders = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String amount = String.format(Locale.ROOT, "%d.%02d", (i * 25) / 100, (i * 25) % 100);
            orders.add(
                    order(
                            prefix + i,
                            amount,
                            i % 2 == 0 ? "europe" : "asia",
                            "books",
                            T0 + minuteOffsetMs + i * 100L));
        }
        return orders;
    }
}
