package io.streamviz.dashboard;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dashboard with the widget ids of the e-commerce job (CONTRACT.md), and options that exercise
 * every formatting path of the page. The job's own module depends on this one, not the other way
 * round, hence this copy.
 */
final class EcommerceLikeDashboard {

    static final List<String> REGIONS = List.of("us_east", "us_west", "europe", "asia");
    static final List<String> CATEGORIES = List.of("electronics", "apparel", "books", "grocery");

    static final StatWidget REVENUE = money("revenue", "Revenue");
    static final StatWidget ORDERS =
            StatWidget.builder("orders").title("Orders").delta(true).build();
    static final StatWidget AVG_ORDER = money("avg_order", "Average order");
    static final StatWidget REJECTED =
            StatWidget.builder("rejected")
                    .title("Rejected records")
                    .thousandsSeparators(false)
                    .delta(true)
                    .alertAbove(100)
                    .build();
    static final ChartWidget REVENUE_CHART =
            ChartWidget.builder("revenue_chart")
                    .title("Revenue per minute")
                    .unit("$")
                    .color("#4caf50")
                    .style(ChartStyle.AREA)
                    .maxPoints(60)
                    .build();
    static final ChartWidget ORDERS_CHART =
            ChartWidget.builder("orders_chart")
                    .title("Orders per minute")
                    .unit("orders")
                    .color("#4caf50")
                    .style(ChartStyle.LINE)
                    .maxPoints(60)
                    .heightPx(180)
                    .build();
    static final GaugeWidget ORDERS_PER_SEC =
            GaugeWidget.builder("orders_per_sec")
                    .title("Orders per second")
                    .unit("/s")
                    .max(200)
                    .decimals(1)
                    .color("#4caf50")
                    .threshold(100, "#ff9800")
                    .threshold(160, "#f44336")
                    .alertAbove(180)
                    .build();
    static final TableWidget BY_REGION = breakdown("by_region", "region", "Region");
    static final TableWidget BY_CATEGORY = breakdown("by_category", "category", "Category");

    private EcommerceLikeDashboard() {}

    static Dashboard dashboard() {
        Dashboard.Builder dashboard = Dashboard.builder("StreamViz e-commerce");
        dashboard.widget(REVENUE).widget(ORDERS).widget(AVG_ORDER).widget(ORDERS_PER_SEC);
        dashboard.widget(REVENUE_CHART).widget(ORDERS_CHART);
        REGIONS.forEach(region -> dashboard.widget(money(region, "Revenue " + region)));
        CATEGORIES.forEach(category -> dashboard.widget(money(category, "Revenue " + category)));
        dashboard.widget(BY_REGION).widget(BY_CATEGORY).widget(REJECTED);
        return dashboard.build();
    }

    /** Puts a plausible shop's figures on {@code ingest}, chart minutes ending at {@code nowMs}. */
    static void feed(DashboardIngest ingest, long nowMs) {
        long minute = nowMs - nowMs % 60_000L;
        ingest.accept(REVENUE.set(new BigDecimal("1200000.00"), nowMs - 1_000));
        ingest.accept(REVENUE.set(new BigDecimal("1234567.89"), nowMs));
        ingest.accept(ORDERS.set(27_431, nowMs));
        ingest.accept(AVG_ORDER.set(new BigDecimal("45.01"), nowMs));
        ingest.accept(ORDERS_PER_SEC.set(new BigDecimal("123.4"), nowMs));
        ingest.accept(REJECTED.set(1_234, nowMs));
        for (int i = 0; i < 30; i++) {
            long ts = minute - (29 - i) * 60_000L;
            ingest.accept(REVENUE_CHART.point(ts, new BigDecimal(2_000 + 37 * (i % 7) + 15 * i)));
            ingest.accept(ORDERS_CHART.point(ts, 40 + (i * 13) % 17));
        }
        String[] regionRevenue = {"512345.10", "301234.55", "288000.00", "132988.24"};
        for (int i = 0; i < REGIONS.size(); i++) {
            String region = REGIONS.get(i);
            ingest.accept(
                    StatWidget.builder(region)
                            .build()
                            .set(new BigDecimal(regionRevenue[i]), nowMs));
            ingest.accept(
                    BY_REGION.upsert(
                            region, row(regionRevenue[i], 1_000 + 7L * i, "45.0" + i), nowMs));
        }
        for (int i = 0; i < CATEGORIES.size(); i++) {
            String category = CATEGORIES.get(i);
            String revenue = (100_000 * (i + 1)) + ".50";
            ingest.accept(StatWidget.builder(category).build().set(new BigDecimal(revenue), nowMs));
            ingest.accept(
                    BY_CATEGORY.upsert(category, row(revenue, 500L * (i + 1), "20.10"), nowMs));
        }
    }

    static Map<String, Object> row(String revenue, long orders, String avgOrder) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("revenue", new BigDecimal(revenue));
        row.put("orders", orders);
        row.put("avg_order", new BigDecimal(avgOrder));
        return row;
    }

    private static StatWidget money(String id, String title) {
        return StatWidget.builder(id).title(title).unit("$").decimals(2).delta(true).build();
    }

    private static TableWidget breakdown(String id, String keyColumn, String keyLabel) {
        return TableWidget.builder(id)
                .title("Revenue by " + keyColumn)
                .keyColumn(keyColumn)
                .column(keyColumn, keyLabel, ColumnFormat.TEXT)
                .column("revenue", "Revenue ($)", ColumnFormat.MONEY)
                .column("orders", "Orders", ColumnFormat.INTEGER)
                .column("avg_order", "Average ($)", ColumnFormat.MONEY)
                .sortBy("revenue", SortDirection.DESC)
                .maxRows(50)
                .build();
    }
}
