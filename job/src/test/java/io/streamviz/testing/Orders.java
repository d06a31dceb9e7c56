package io.streamviz.testing;

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
}
