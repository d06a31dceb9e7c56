package io.streamviz.dashboard;

/** The widgets of a small shop dashboard, shaped like the e-commerce job's. */
final class TestDashboards {

    static final StatWidget REVENUE =
            StatWidget.builder("revenue")
                    .title("Revenue")
                    .unit("USD")
                    .decimals(2)
                    .delta(true)
                    .build();

    static final StatWidget ORDERS = StatWidget.builder("orders").title("Orders").build();

    static final ChartWidget REVENUE_CHART =
            ChartWidget.builder("revenue_chart")
                    .title("Revenue per minute")
                    .unit("USD")
                    .color("#4f9dff")
                    .style(ChartStyle.AREA)
                    .maxPoints(120)
                    .heightPx(240)
                    .build();

    static final GaugeWidget ORDERS_PER_SEC =
            GaugeWidget.builder("orders_per_sec")
                    .title("Orders per second")
                    .unit("orders/s")
                    .min(0)
                    .max(200)
                    .color("#3ecf8e")
                    .threshold(150, "red")
                    .threshold(100, "orange")
                    .alertAbove(180)
                    .alertBelow(1)
                    .build();

    static final TableWidget BY_REGION =
            TableWidget.builder("by_region")
                    .title("By region")
                    .keyColumn("region")
                    .column("region", "Region", ColumnFormat.TEXT)
                    .column("revenue", "Revenue", ColumnFormat.MONEY)
                    .column("orders", "Orders", ColumnFormat.INTEGER)
                    .column("avg_order", "Average order", ColumnFormat.MONEY)
                    .maxRows(10)
                    .sortBy("revenue", SortDirection.DESC)
                    .build();

    private TestDashboards() {}

    static Dashboard shop() {
        return Dashboard.builder("Shop")
                .widget(REVENUE)
                .widget(ORDERS)
                .widget(REVENUE_CHART)
                .widget(ORDERS_PER_SEC)
                .widget(BY_REGION)
                .build();
    }
}
