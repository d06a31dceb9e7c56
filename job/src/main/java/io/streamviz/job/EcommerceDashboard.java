package io.streamviz.job;

import io.streamviz.dashboard.ChartStyle;
import io.streamviz.dashboard.ChartWidget;
import io.streamviz.dashboard.ColumnFormat;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.GaugeWidget;
import io.streamviz.dashboard.SortDirection;
import io.streamviz.dashboard.StatWidget;
import io.streamviz.dashboard.TableWidget;
import java.util.List;

/**
 * The widgets of the e-commerce dashboard. Their ids are part of the public contract and must never
 * change: stored history, embeds and restored dashboard state are keyed by them.
 */
public final class EcommerceDashboard {
    /** The regions the order generator uses; each has its own stat. */
    public static final List<String> REGIONS = List.of("us_east", "us_west", "europe", "asia");

    /** The categories the order generator uses; each has its own stat. */
    public static final List<String> CATEGORIES =
            List.of("electronics", "apparel", "books", "grocery");

    public static final StatWidget REVENUE = money("revenue", "Revenue", "#4caf50");
    public static final StatWidget ORDERS =
            StatWidget.builder("orders").title("Orders").decimals(0).delta(true).build();
    public static final StatWidget AVG_ORDER = money("avg_order", "Average order", "#03a9f4");

    /** Added in 0.2.0: counts customers from the first order each places after the upgrade. */
    public static final StatWidget CUSTOMERS =
            StatWidget.builder("customers").title("Customers").decimals(0).delta(true).build();

    public static final StatWidget REJECTED =
            StatWidget.builder("rejected")
                    .title("Rejected records")
                    .color("#f44336")
                    .decimals(0)
                    .delta(true)
                    // Any invalid record is worth a look: something upstream writes bad data.
                    .alertAbove(0)
                    .build();

    public static final ChartWidget REVENUE_CHART =
            ChartWidget.builder("revenue_chart")
                    .title("Revenue per minute")
                    .unit("$")
                    .color("#4caf50")
                    .style(ChartStyle.AREA)
                    .maxPoints(120)
                    .build();
    public static final ChartWidget ORDERS_CHART =
            ChartWidget.builder("orders_chart")
                    .title("Orders per minute")
                    .color("#ff9800")
                    .style(ChartStyle.LINE)
                    .maxPoints(120)
                    .build();

    public static final GaugeWidget ORDERS_PER_SEC =
            GaugeWidget.builder("orders_per_sec")
                    .title("Orders per second")
                    .unit("/s")
                    .min(0)
                    .max(200)
                    .color("#4caf50")
                    .threshold(100, "#ff9800")
                    .threshold(160, "#f44336")
                    // No orders at all: the source, Kafka or the job has stopped.
                    .alertBelow(0.1)
                    .build();

    public static final TableWidget BY_REGION = breakdown("by_region", "region", "Region");
    public static final TableWidget BY_CATEGORY = breakdown("by_category", "category", "Category");

    private EcommerceDashboard() {}

    public static Dashboard dashboard() {
        Dashboard.Builder dashboard = Dashboard.builder("StreamViz e-commerce");
        dashboard.widget(REVENUE).widget(ORDERS).widget(AVG_ORDER).widget(ORDERS_PER_SEC);
        dashboard.widget(REVENUE_CHART).widget(ORDERS_CHART);
        REGIONS.forEach(region -> dashboard.widget(regionStat(region)));
        CATEGORIES.forEach(category -> dashboard.widget(categoryStat(category)));
        dashboard.widget(BY_REGION).widget(BY_CATEGORY).widget(CUSTOMERS).widget(REJECTED);
        return dashboard.build();
    }

    /** The stat of a generator region, whose id is the region's name. */
    public static StatWidget regionStat(String region) {
        return money(region, "Revenue " + region, "#9c27b0");
    }

    /** The stat of a generator category, whose id is the category's name. */
    public static StatWidget categoryStat(String category) {
        return money(category, "Revenue " + category, "#3f51b5");
    }

    private static StatWidget money(String id, String title, String color) {
        return StatWidget.builder(id)
                .title(title)
                .unit("$")
                .color(color)
                .decimals(2)
                .delta(true)
                .build();
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
