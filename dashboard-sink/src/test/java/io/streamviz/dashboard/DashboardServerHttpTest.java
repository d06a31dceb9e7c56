package io.streamviz.dashboard;

import static io.streamviz.dashboard.TestDashboards.BY_REGION;
import static io.streamviz.dashboard.TestDashboards.ORDERS;
import static io.streamviz.dashboard.TestDashboards.ORDERS_PER_SEC;
import static io.streamviz.dashboard.TestDashboards.REVENUE;
import static io.streamviz.dashboard.TestDashboards.REVENUE_CHART;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardServerHttpTest {

    private DashboardServer server;
    private HttpProbe http;

    @BeforeEach
    void startServer() {
        server =
                DashboardServer.builder()
                        .dashboard(TestDashboards.shop())
                        .port(0)
                        .bindAddress("127.0.0.1")
                        .build()
                        .start();
        http = new HttpProbe(server.port());
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    private static Map<String, Object> regionRow(String revenue, long orders, String avgOrder) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("revenue", new BigDecimal(revenue));
        row.put("orders", orders);
        row.put("avg_order", new BigDecimal(avgOrder));
        return row;
    }

    @Test
    void snapshotShowsTheAcceptedStateWithExactMoney() {
        BigDecimal cents = BigDecimal.ZERO;
        double drifting = 0;
        for (int i = 0; i < 1000; i++) {
            cents = cents.add(new BigDecimal("0.10"));
            drifting += 0.10;
        }
        server.accept(REVENUE.set(cents, 1_000L));
        server.accept(REVENUE.set(cents.add(new BigDecimal("1134.50")), 2_000L));
        server.accept(ORDERS.set(27, 2_000L));
        server.accept(REVENUE_CHART.point(1_764_770_040_000L, new BigDecimal("1.00")));
        server.accept(REVENUE_CHART.point(1_764_769_980_000L, new BigDecimal("310.25")));
        server.accept(REVENUE_CHART.point(1_764_770_040_000L, new BigDecimal("99.99")));
        server.accept(ORDERS_PER_SEC.set(48.0, 3_000L));
        server.accept(BY_REGION.upsert("europe", regionRow("410.00", 9, "45.56"), 4_000L));
        server.accept(BY_REGION.upsert("asia", regionRow("0.30", 1, "0.30"), 4_000L));

        HttpResponse<String> response = http.get("/api/snapshot");

        assertThat(drifting).isNotEqualTo(100.0);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(Json.parse(response.body()))
                .isEqualTo(
                        Json.parse(
                                """
                                {"widgets": {
                                  "revenue": {"type": "stat", "value": 1234.50, "ts": 2000,
                                              "previous": 100.00, "delta": 1134.50, "alert": null},
                                  "orders": {"type": "stat", "value": 27, "ts": 2000,
                                             "alert": null},
                                  "revenue_chart": {"type": "chart", "points": [
                                      [1764769980000, 310.25], [1764770040000, 99.99]]},
                                  "orders_per_sec": {"type": "gauge", "value": 48.0, "ts": 3000,
                                                     "alert": null},
                                  "by_region": {"type": "table", "rows": {
                                      "europe": {"region": "europe", "revenue": 410.00,
                                                 "orders": 9, "avg_order": 45.56},
                                      "asia": {"region": "asia", "revenue": 0.30,
                                               "orders": 1, "avg_order": 0.30}}}},
                                 "markers": []}
                                """));
        assertThat(response.body()).contains("\"revenue\":410.00").doesNotContain("E+");
    }

    @Test
    void snapshotListsWidgetsWithoutDataAsEmpty() {
        JsonNode widgets = Json.parse(http.get("/api/snapshot").body()).get("widgets");

        assertThat(widgets.get("revenue"))
                .isEqualTo(Json.parse("{\"type\": \"stat\", \"value\": null, \"ts\": null}"));
        assertThat(widgets.get("revenue_chart"))
                .isEqualTo(Json.parse("{\"type\": \"chart\", \"points\": []}"));
        assertThat(widgets.get("by_region"))
                .isEqualTo(Json.parse("{\"type\": \"table\", \"rows\": {}}"));
    }

    @Test
    void widgetsListsEveryOptionOfEverySpec() {
        JsonNode dashboard = Json.parse(http.get("/api/widgets").body());

        assertThat(dashboard.get("title").asText()).isEqualTo("Shop");
        assertThat(dashboard.get("widgets"))
                .containsExactly(
                        Json.parse(
                                """
                                {"id": "revenue", "type": "stat", "title": "Revenue",
                                 "unit": "USD", "color": null, "decimals": 2,
                                 "thousandsSeparators": true, "delta": true,
                                 "alert_above": null, "alert_below": null}"""),
                        Json.parse(
                                """
                                {"id": "orders", "type": "stat", "title": "Orders", "unit": "",
                                 "color": null, "decimals": 0, "thousandsSeparators": true,
                                 "delta": false, "alert_above": null, "alert_below": null}"""),
                        Json.parse(
                                """
                                {"id": "revenue_chart", "type": "chart",
                                 "title": "Revenue per minute", "unit": "USD",
                                 "color": "#4f9dff", "style": "area", "maxPoints": 120,
                                 "heightPx": 240}"""),
                        Json.parse(
                                """
                                {"id": "orders_per_sec", "type": "gauge",
                                 "title": "Orders per second", "unit": "orders/s",
                                 "color": "#3ecf8e", "min": 0.0, "max": 200.0, "decimals": 0,
                                 "alert_above": 180.0, "alert_below": 1.0,
                                 "thresholds": [{"from": 100.0, "color": "orange"},
                                                {"from": 150.0, "color": "red"}]}"""),
                        Json.parse(
                                """
                                {"id": "by_region", "type": "table", "title": "By region",
                                 "keyColumn": "region",
                                 "columns": [
                                   {"name": "region", "label": "Region", "format": "text"},
                                   {"name": "revenue", "label": "Revenue", "format": "money"},
                                   {"name": "orders", "label": "Orders", "format": "integer"},
                                   {"name": "avg_order", "label": "Average order",
                                    "format": "money"}],
                                 "maxRows": 10,
                                 "sortBy": {"column": "revenue", "direction": "desc"}}"""));
    }

    @Test
    void valuesCarryTheirAlertStateThroughSnapshotAndRestore() {
        server.accept(ORDERS_PER_SEC.set(190, 1_000L));
        JsonNode above = Json.parse(http.get("/api/snapshot").body()).get("widgets");
        server.accept(ORDERS_PER_SEC.set(0.5, 2_000L));
        JsonNode below = Json.parse(http.get("/api/snapshot").body()).get("widgets");
        server.accept(REVENUE.set(new BigDecimal("10.00"), 3_000L));
        server.accept(ORDERS_PER_SEC.set(50, 3_000L));
        JsonNode none = Json.parse(http.get("/api/snapshot").body()).get("widgets");
        server.accept(ORDERS_PER_SEC.set(190, 4_000L));
        byte[] checkpoint = server.snapshotState().toBytes();

        server.restoreState(DashboardState.empty());
        server.restoreState(DashboardState.fromBytes(checkpoint));
        JsonNode restored = Json.parse(http.get("/api/snapshot").body()).get("widgets");

        assertThat(above.get("orders_per_sec").get("alert").asText()).isEqualTo("above");
        assertThat(below.get("orders_per_sec").get("alert").asText()).isEqualTo("below");
        assertThat(none.get("orders_per_sec").get("alert").isNull()).isTrue();
        assertThat(none.get("revenue").get("alert").isNull()).isTrue();
        assertThat(restored.get("orders_per_sec").get("alert").asText()).isEqualTo("above");
        assertThat(ORDERS_PER_SEC.alertFor(new BigDecimal("180.01"))).contains(Alert.ABOVE);
        assertThat(ORDERS_PER_SEC.alertFor(new BigDecimal("180"))).isEmpty();
    }

    @Test
    void restoreMarkersAreInTheSnapshotBoundedAndCheckpointed() {
        for (int i = 1; i <= DashboardState.MAX_MARKERS + 1; i++) {
            server.markRestored("restored from checkpoint " + i, 60_000L * i);
        }
        byte[] checkpoint = server.snapshotState().toBytes();
        server.restoreState(DashboardState.empty());
        assertThat(Json.parse(http.get("/api/snapshot").body()).get("markers")).isEmpty();

        server.restoreState(DashboardState.fromBytes(checkpoint));
        JsonNode markers = Json.parse(http.get("/api/snapshot").body()).get("markers");

        assertThat(markers).hasSize(DashboardState.MAX_MARKERS);
        assertThat(markers.get(0))
                .isEqualTo(
                        Json.parse("{\"ts\": 120000, \"label\": \"restored from checkpoint 2\"}"));
        assertThat(markers.get(DashboardState.MAX_MARKERS - 1).get("label").asText())
                .isEqualTo("restored from checkpoint 21");
    }

    @Test
    void embedIndexIsThePageAndThePageCarriesTheServerDefaults() {
        HttpResponse<String> index = http.get("/embed");
        HttpResponse<String> slash = http.get("/embed/");

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(slash.statusCode()).isEqualTo(200);
        assertThat(index.body())
                .contains("<html lang=\"en\" data-theme=\"dark\" data-stale-after-ms=\"10000\">");
    }

    @Test
    void healthzAnswers200() {
        HttpResponse<String> response = http.get("/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void pageAndEmbedPageAreServedWithASecurityPolicy() {
        HttpResponse<String> page = http.get("/");
        HttpResponse<String> embed = http.get("/embed/revenue_chart");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .contains(
                        "default-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.body()).contains("/assets/app.js").doesNotContain("<script>");
        assertThat(embed.statusCode()).isEqualTo(200);
        assertThat(embed.body()).isEqualTo(page.body());
    }

    @Test
    void everyAssetThePageReferencesIsServedFromTheJar() {
        String page = http.get("/").body();
        List<String> assets = new ArrayList<>();
        Matcher reference = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(page);
        while (reference.find()) {
            assets.add(reference.group(1));
        }

        assertThat(assets)
                .contains(
                        "/assets/app.js",
                        "/assets/app.css",
                        "/assets/uplot/1.6.30/uPlot.iife.min.js",
                        "/assets/uplot/1.6.30/uPlot.min.css");
        for (String asset : assets) {
            HttpResponse<String> response = http.get(asset);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.body()).as(asset).isNotEmpty();
        }
        assertThat(http.get("/assets/uplot/1.6.30/uPlot.iife.min.js").body()).contains("uPlot");
    }

    @Test
    void unknownWidgetAnswers404WithAJsonError() {
        HttpResponse<String> response = http.get("/embed/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(Json.parse(response.body()))
                .isEqualTo(Json.parse("{\"error\": \"unknown widget: nope\"}"));
    }

    @Test
    void unknownRouteAnswers404WithAJsonError() {
        HttpResponse<String> response = http.get("/api/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Json.parse(response.body()).get("error").asText())
                .isEqualTo("not found: /api/nothing-here");
    }

    @Test
    void methodsOtherThanGetAnswer405() {
        HttpResponse<String> response = http.post("/api/snapshot", "{}");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("GET");
        assertThat(Json.parse(response.body()).get("error").asText()).contains("POST");
    }

    @Test
    void updateForAnUnknownWidgetIsRejectedNamingTheId() {
        assertThatThrownBy(() -> server.accept(new StatUpdate("nope", BigDecimal.ONE, 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void updateOfTheWrongTypeIsRejectedNamingTheId() {
        assertThatThrownBy(() -> server.accept(new StatUpdate("revenue_chart", BigDecimal.ONE, 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("widget 'revenue_chart' is a chart and cannot take a StatUpdate");
        assertThatThrownBy(
                        () ->
                                server.accept(
                                        new TableRowUpsert(
                                                "by_region", "x", Map.of("bogus", 1), 1L)))
                .hasMessageContaining("row field 'bogus' is not one of its columns");
    }

    @Test
    void chartKeepsTheNewestMaxPointsSortedAndReplacesByTimestamp() {
        for (int minute = 150; minute >= 1; minute--) {
            server.accept(REVENUE_CHART.point(minute * 60_000L, BigDecimal.valueOf(minute)));
        }
        server.accept(REVENUE_CHART.point(150 * 60_000L, new BigDecimal("7.77")));

        DashboardState.ChartState chart =
                (DashboardState.ChartState) server.snapshotState().widgets().get("revenue_chart");

        assertThat(chart.points()).hasSize(120);
        assertThat(chart.points().get(0).timestampMs()).isEqualTo(31 * 60_000L);
        assertThat(chart.points().get(119))
                .isEqualTo(new DashboardState.ChartPoint(150 * 60_000L, new BigDecimal("7.77")));
    }

    @Test
    void tableKeepsTheTopRowsBySortColumnAndHonoursDeletes() {
        for (int i = 1; i <= 15; i++) {
            server.accept(BY_REGION.upsert("r" + i, regionRow(i + ".00", i, "1.00"), i));
        }
        server.accept(BY_REGION.delete("r15", 20L));
        server.accept(BY_REGION.upsert("r2", regionRow("100.00", 2, "1.00"), 21L));

        JsonNode rows = Json.parse(http.get("/api/snapshot").body()).at("/widgets/by_region/rows");

        List<String> keys = new ArrayList<>();
        rows.fieldNames().forEachRemaining(keys::add);
        assertThat(keys)
                .containsExactly("r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r2");
    }

    @Test
    void restoredStateShowsInTheSnapshot() {
        server.accept(ORDERS.set(5, 1L));
        DashboardState restored =
                DashboardState.of(
                        Map.of(
                                "revenue",
                                new DashboardState.ValueState(
                                        new BigDecimal("99.95"), new BigDecimal("90.00"), 42L)));

        server.restoreState(restored);

        JsonNode widgets = Json.parse(http.get("/api/snapshot").body()).get("widgets");
        assertThat(widgets.get("revenue"))
                .isEqualTo(
                        Json.parse(
                                "{\"type\": \"stat\", \"value\": 99.95, \"ts\": 42,"
                                        + " \"previous\": 90.00, \"delta\": 9.95, \"alert\": null}"));
        assertThat(widgets.at("/orders/value").isNull()).isTrue();
        assertThat(server.snapshotState()).isEqualTo(restored);
    }

    @Test
    void stateTakenFromOneServerRestoresIntoANewOneBeforeItStarts() {
        server.accept(REVENUE.set(new BigDecimal("10.10"), 1L));
        server.accept(REVENUE_CHART.point(60_000L, new BigDecimal("10.10")));
        server.accept(BY_REGION.upsert("asia", regionRow("10.10", 1, "10.10"), 1L));
        byte[] checkpoint = server.snapshotState().toBytes();

        try (DashboardServer restarted =
                DashboardServer.builder()
                        .dashboard(TestDashboards.shop())
                        .port(0)
                        .bindAddress("127.0.0.1")
                        .build()) {
            restarted.restoreState(DashboardState.fromBytes(checkpoint));
            restarted.start();

            String before = http.get("/api/snapshot").body();
            String after = new HttpProbe(restarted.port()).get("/api/snapshot").body();
            assertThat(Json.parse(after)).isEqualTo(Json.parse(before));
            assertThat(restarted.snapshotState().toBytes()).isEqualTo(checkpoint);
        }
    }
}
