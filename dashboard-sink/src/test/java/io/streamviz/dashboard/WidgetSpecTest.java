package io.streamviz.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WidgetSpecTest {

    @Test
    void idOutsideTheAllowedCharactersIsRejectedWithTheId() {
        assertThatThrownBy(() -> StatWidget.builder("total revenue").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[A-Za-z0-9_-]+")
                .hasMessageContaining("'total revenue'");
        assertThatThrownBy(() -> ChartWidget.builder(null).build())
                .hasMessageContaining("widget id");
    }

    @Test
    void statBuilderNamesTheBadOption() {
        assertThatThrownBy(() -> StatWidget.builder("revenue").decimals(11).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stat widget 'revenue': decimals must be between 0 and 10, was 11");
        assertThatThrownBy(() -> StatWidget.builder("revenue").color("red;x:y").build())
                .hasMessageContaining("stat widget 'revenue': color must be")
                .hasMessageContaining("'red;x:y'");
        assertThatThrownBy(() -> StatWidget.builder("revenue").title(" ").build())
                .hasMessage("stat widget 'revenue': title must not be blank");
    }

    @Test
    void chartBuilderNamesTheBadOption() {
        assertThatThrownBy(() -> ChartWidget.builder("c").maxPoints(1).build())
                .hasMessage("chart widget 'c': maxPoints must be between 2 and 10000, was 1");
        assertThatThrownBy(() -> ChartWidget.builder("c").heightPx(5000).build())
                .hasMessage("chart widget 'c': heightPx must be between 80 and 2000, was 5000");
        assertThatThrownBy(() -> ChartWidget.builder("c").style(null).build())
                .hasMessage("chart widget 'c': style must not be null");
    }

    @Test
    void gaugeBuilderNamesTheBadOption() {
        assertThatThrownBy(() -> GaugeWidget.builder("g").min(10).max(10).build())
                .hasMessage("gauge widget 'g': min must be below max, was min 10.0, max 10.0");
        assertThatThrownBy(() -> GaugeWidget.builder("g").threshold(50, "#12").build())
                .hasMessageContaining("gauge widget 'g': threshold color must be");
        assertThatThrownBy(
                        () ->
                                GaugeWidget.builder("g")
                                        .threshold(50, "red")
                                        .threshold(50, "orange")
                                        .build())
                .hasMessage("gauge widget 'g': threshold 50.0 is given twice");
    }

    @Test
    void alertForJudgesAValueAgainstBothThresholdsExclusively() {
        StatWidget stat = StatWidget.builder("s").alertAbove(100).alertBelow(-2.5).build();
        StatWidget plain = StatWidget.builder("p").build();

        assertThat(stat.alertFor(new BigDecimal("100.01"))).contains(Alert.ABOVE);
        assertThat(stat.alertFor(new BigDecimal("100"))).isEmpty();
        assertThat(stat.alertFor(new BigDecimal("-2.5"))).isEmpty();
        assertThat(stat.alertFor(new BigDecimal("-2.51"))).contains(Alert.BELOW);
        assertThat(plain.alertFor(new BigDecimal("1e9"))).isEmpty();
        assertThatThrownBy(() -> GaugeWidget.builder("g").alertAbove(1).alertBelow(2).build())
                .hasMessage(
                        "gauge widget 'g': alertBelow must not be above alertAbove, was"
                                + " alertBelow 2.0, alertAbove 1.0");
        assertThatThrownBy(() -> StatWidget.builder("s").alertAbove(Double.NaN).build())
                .hasMessage("stat widget 's': alertAbove must be a finite number, was NaN");
    }

    @Test
    void gaugeThresholdsAreSortedByTheirStart() {
        GaugeWidget gauge = TestDashboards.ORDERS_PER_SEC;

        assertThat(gauge.thresholds())
                .extracting(GaugeWidget.Threshold::from)
                .containsExactly(100.0, 150.0);
    }

    @Test
    void tableBuilderNamesTheBadOption() {
        assertThatThrownBy(() -> TableWidget.builder("t").keyColumn("k").build())
                .hasMessage("table widget 't': needs at least one column");
        assertThatThrownBy(
                        () ->
                                TableWidget.builder("t")
                                        .column("region", "Region", ColumnFormat.TEXT)
                                        .keyColumn("name")
                                        .build())
                .hasMessage(
                        "table widget 't': keyColumn must name one of the columns [region], was name");
        assertThatThrownBy(
                        () ->
                                TableWidget.builder("t")
                                        .column("region", "Region", ColumnFormat.TEXT)
                                        .keyColumn("region")
                                        .sortBy("revenue", SortDirection.DESC)
                                        .build())
                .hasMessageContaining("sortBy column must name one of the columns")
                .hasMessageContaining("was revenue");
        assertThatThrownBy(
                        () ->
                                TableWidget.builder("t")
                                        .column("region", "Region", ColumnFormat.TEXT)
                                        .keyColumn("region")
                                        .maxRows(0)
                                        .build())
                .hasMessage("table widget 't': maxRows must be between 1 and 10000, was 0");
    }

    @Test
    void dashboardRejectsAWidgetIdUsedTwice() {
        assertThatThrownBy(
                        () ->
                                Dashboard.builder("Shop")
                                        .widget(TestDashboards.REVENUE)
                                        .widget(StatWidget.builder("revenue").build())
                                        .build())
                .hasMessage("dashboard 'Shop': widget id 'revenue' is used twice");
    }

    @Test
    void dashboardFindsWidgetsById() {
        Dashboard dashboard = TestDashboards.shop();

        assertThat(dashboard.widget("by_region")).contains(TestDashboards.BY_REGION);
        assertThat(dashboard.widget("nope")).isEmpty();
    }

    @Test
    void specsMakeUpdatesForThemselves() {
        assertThat(TestDashboards.REVENUE.set(new BigDecimal("12.50"), 7L))
                .isEqualTo(new StatUpdate("revenue", new BigDecimal("12.50"), 7L));
        assertThat(TestDashboards.REVENUE.set(0.1, 7L).value()).isEqualTo(new BigDecimal("0.1"));
        assertThat(TestDashboards.ORDERS_PER_SEC.set(48.0, 9L))
                .isEqualTo(new GaugeUpdate("orders_per_sec", new BigDecimal("48.0"), 9L));
        assertThat(TestDashboards.REVENUE_CHART.point(60_000L, BigDecimal.TEN))
                .isEqualTo(new ChartPointUpdate("revenue_chart", 60_000L, BigDecimal.TEN));
        assertThat(TestDashboards.BY_REGION.delete("asia", 3L))
                .isEqualTo(new TableRowDelete("by_region", "asia", 3L));
    }

    @Test
    void tableUpsertFillsTheKeyColumnAndOrdersCellsByColumn() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("orders", 9);
        row.put("revenue", new BigDecimal("410.00"));

        TableRowUpsert upsert = TestDashboards.BY_REGION.upsert("europe", row, 5L);

        assertThat(upsert.row())
                .containsExactly(
                        Map.entry("region", "europe"),
                        Map.entry("revenue", new BigDecimal("410.00")),
                        Map.entry("orders", 9L));
    }

    @Test
    void tableUpsertRejectsUnknownColumnsAndMismatchedKeys() {
        assertThatThrownBy(() -> TestDashboards.BY_REGION.upsert("europe", Map.of("revnue", 1), 5L))
                .hasMessageContaining(
                        "table 'by_region': row field 'revnue' is not one of its columns");
        assertThatThrownBy(
                        () ->
                                TestDashboards.BY_REGION.upsert(
                                        "europe", Map.of("region", "asia"), 5L))
                .hasMessageContaining(
                        "key column 'region' holds 'asia' but the row key is 'europe'");
        assertThatThrownBy(
                        () ->
                                TestDashboards.BY_REGION.upsert(
                                        "europe", Map.of("revenue", new Object()), 5L))
                .hasMessageContaining("column 'revenue' must be a String, Long");
    }

    @Test
    void updatesRejectValuesThatCannotBeShown() {
        assertThatThrownBy(() -> TestDashboards.REVENUE.set(Double.NaN, 1L))
                .hasMessage("widget 'revenue': value must be a finite number, was NaN");
        assertThatThrownBy(() -> TestDashboards.REVENUE.set((BigDecimal) null, 1L))
                .hasMessage("widget 'revenue': value must not be null");
        assertThatThrownBy(() -> TestDashboards.REVENUE.set(new BigDecimal("1E-100000"), 1L))
                .hasMessageContaining("exceeds");
    }

    @Test
    void dashboardSurvivesJavaSerializationForAFlinkJobGraph() throws Exception {
        Dashboard dashboard = TestDashboards.shop();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(dashboard);
        }
        Dashboard copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Dashboard) in.readObject();
        }

        assertThat(copy.widgets())
                .extracting(WidgetSpec::id)
                .containsExactly(
                        "revenue", "orders", "revenue_chart", "orders_per_sec", "by_region");
        assertThat(((TableWidget) copy.widget("by_region").orElseThrow()).sortColumn())
                .isEqualTo("revenue");
    }
}
