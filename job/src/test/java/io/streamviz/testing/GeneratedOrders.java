package io.streamviz.testing;

import static io.streamviz.testing.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A repeatable stream of records (valid orders in event-time order over a few minutes, one invalid
 * record in every hundred) and the exact figures the dashboard must show for it.
 */
public final class GeneratedOrders {
    private static final List<String> REGIONS = List.of("us_east", "us_west", "europe", "asia");
    private static final List<String> CATEGORIES =
            List.of("electronics", "apparel", "books", "grocery");

    private final List<String> records = new ArrayList<>();
    private long revenueCents;
    private long orders;
    private int invalidRecords;
    private final Map<String, Long> byRegion = new TreeMap<>();
    private final Map<String, Long> byCategory = new TreeMap<>();
    private final Map<Long, Long> revenueByMinute = new TreeMap<>();
    private final Map<Long, Long> ordersByMinute = new TreeMap<>();

    /**
     * @param idPrefix makes order ids unique across several generated streams
     * @param firstEventTimeMs event time of the first record; each next one is 150 ms later
     */
    public static GeneratedOrders generate(
            long seed, int count, String idPrefix, long firstEventTimeMs) {
        return new GeneratedOrders().add(seed, count, idPrefix, firstEventTimeMs);
    }

    /** Appends another stream to this one, so that the figures are those of both. */
    public GeneratedOrders add(long seed, int count, String idPrefix, long firstEventTimeMs) {
        Random random = new Random(seed);
        for (int i = 1; i <= count; i++) {
            if (i % 100 == 0) {
                records.add(
                        "{\"order_id\": \"" + idPrefix + "broken-" + i + "\", \"amount\": 1.001}");
                invalidRecords++;
                continue;
            }
            long cents = 1 + random.nextInt(99_999);
            String region = REGIONS.get(random.nextInt(REGIONS.size()));
            String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
            long eventTimeMs = firstEventTimeMs + (i - 1) * 150L;
            String amount = String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
            records.add(order(idPrefix + i, amount, region, category, eventTimeMs));
            revenueCents += cents;
            orders++;
            byRegion.merge(region, cents, Long::sum);
            byCategory.merge(category, cents, Long::sum);
            long minute = eventTimeMs - eventTimeMs % 60_000;
            revenueByMinute.merge(minute, cents, Long::sum);
            ordersByMinute.merge(minute, 1L, Long::sum);
        }
        return this;
    }

    /** Every record, in order; the last {@code count} are those of the last {@link #add}. */
    public List<String> records() {
        return records;
    }

    public long orders() {
        return orders;
    }

    public int invalidRecords() {
        return invalidRecords;
    }

    /** The invalid records, in order: what the dead-letter topic must hold. */
    public List<String> invalidRecordTexts() {
        return records.stream().filter(record -> record.contains("broken-")).toList();
    }

    /** Revenue in cents of each event-time minute, by the minute's start. */
    public Map<Long, Long> revenueCentsByMinute() {
        return Map.copyOf(revenueByMinute);
    }

    /** Asserts that the widgets of a snapshot show exactly these figures. */
    public void assertShownBy(JsonNode widgets) {
        assertMoney(widgets, "revenue", revenueCents);
        assertThat(value(widgets, "orders")).isEqualByComparingTo(Long.toString(orders));
        assertThat(value(widgets, "rejected"))
                .isEqualByComparingTo(Integer.toString(invalidRecords));
        byRegion.forEach((region, cents) -> assertMoney(widgets, region, cents));
        byCategory.forEach((category, cents) -> assertMoney(widgets, category, cents));
        Map<Long, BigDecimal> revenuePoints = new TreeMap<>();
        Map<Long, Long> orderPoints = new TreeMap<>();
        for (JsonNode point : widgets.get("revenue_chart").get("points")) {
            revenuePoints.put(point.get(0).asLong(), DashboardClient.decimal(point.get(1)));
        }
        for (JsonNode point : widgets.get("orders_chart").get("points")) {
            orderPoints.put(point.get(0).asLong(), point.get(1).asLong());
        }
        assertThat(revenuePoints.keySet()).isEqualTo(revenueByMinute.keySet());
        revenueByMinute.forEach(
                (minute, cents) ->
                        assertThat(revenuePoints.get(minute))
                                .as("revenue of minute %d", minute)
                                .isEqualByComparingTo(BigDecimal.valueOf(cents, 2)));
        assertThat(orderPoints).isEqualTo(ordersByMinute);
    }

    private static void assertMoney(JsonNode widgets, String id, long cents) {
        assertThat(value(widgets, id)).as(id).isEqualByComparingTo(BigDecimal.valueOf(cents, 2));
    }

    private static BigDecimal value(JsonNode widgets, String id) {
        return DashboardClient.decimal(widgets.path(id).path("value"));
    }
}
