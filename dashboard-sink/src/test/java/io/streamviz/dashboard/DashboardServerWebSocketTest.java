package io.streamviz.dashboard;

import static io.streamviz.dashboard.TestDashboards.BY_REGION;
import static io.streamviz.dashboard.TestDashboards.ORDERS;
import static io.streamviz.dashboard.TestDashboards.ORDERS_PER_SEC;
import static io.streamviz.dashboard.TestDashboards.REVENUE;
import static io.streamviz.dashboard.TestDashboards.REVENUE_CHART;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardServerWebSocketTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private DashboardServer server;
    private HttpProbe http;

    @BeforeEach
    void startServer() {
        server =
                DashboardServer.builder()
                        .dashboard(TestDashboards.shop())
                        .port(0)
                        .bindAddress("127.0.0.1")
                        .conflationInterval(Duration.ofMillis(50))
                        .build()
                        .start();
        http = new HttpProbe(server.port());
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    /** The entry for {@code widgetId} in an update message, or null. */
    private static JsonNode entryFor(JsonNode message, String widgetId) {
        if (!message.path("type").asText().equals("update")) {
            return null;
        }
        for (JsonNode entry : message.get("updates")) {
            if (entry.get("id").asText().equals(widgetId)) {
                return entry;
            }
        }
        return null;
    }

    @Test
    void lateViewerGetsAllStateAndTheWholeChartHistoryInItsFirstMessage() {
        for (int minute = 1; minute <= 150; minute++) {
            server.accept(REVENUE_CHART.point(minute * 60_000L, new BigDecimal(minute + ".25")));
        }
        server.accept(REVENUE.set(new BigDecimal("1234.50"), 1L));
        server.accept(ORDERS_PER_SEC.set(48.0, 2L));
        server.accept(BY_REGION.upsert("europe", Map.of("revenue", new BigDecimal("410.00")), 3L));

        try (WsTestClient viewer = WsTestClient.connect(server.port())) {
            JsonNode first = viewer.next(TIMEOUT);

            assertThat(first.get("type").asText()).isEqualTo("snapshot");
            assertThat(first.get("seq").asLong()).isPositive();
            assertThat(first.get("dashboard"))
                    .isEqualTo(Json.parse(http.get("/api/widgets").body()));
            assertThat(first.at("/widgets/revenue/age_ms").asLong()).isNotNegative();
            first.get("widgets").forEach(widget -> ((ObjectNode) widget).remove("age_ms"));
            assertThat(first.get("widgets"))
                    .isEqualTo(Json.parse(http.get("/api/snapshot").body()).get("widgets"));
            assertThat(first.get("markers")).isEmpty();
            JsonNode points = first.at("/widgets/revenue_chart/points");
            assertThat(points).hasSize(120);
            assertThat(points.get(0)).isEqualTo(Json.parse("[1860000, 31.25]"));
            assertThat(points.get(119)).isEqualTo(Json.parse("[9000000, 150.25]"));
            assertThat(first.at("/widgets/revenue/value").decimalValue())
                    .isEqualTo(new BigDecimal("1234.50"));
            assertThat(first.at("/widgets/by_region/rows/europe/revenue").decimalValue())
                    .isEqualTo(new BigDecimal("410.00"));
        }
    }

    @Test
    void restoreMarkersAreBroadcastToViewers() {
        try (WsTestClient viewer = WsTestClient.connect(server.port())) {
            viewer.next(TIMEOUT);

            server.markRestored("restored from checkpoint 41", 1_764_770_000_000L);
            JsonNode update = viewer.awaitMessage(TIMEOUT, m -> m.has("markers"), "markers");

            assertThat(update.get("type").asText()).isEqualTo("update");
            assertThat(update.get("markers"))
                    .isEqualTo(
                            Json.parse(
                                    "[{\"ts\": 1764770000000,"
                                            + " \"label\": \"restored from checkpoint 41\"}]"));
        }
    }

    @Test
    void updatesFollowTheSnapshotWithIncreasingSeq() {
        try (WsTestClient viewer = WsTestClient.connect(server.port())) {
            long snapshotSeq = viewer.next(TIMEOUT).get("seq").asLong();

            server.accept(REVENUE.set(new BigDecimal("10.00"), 100L));
            JsonNode first =
                    viewer.awaitMessage(TIMEOUT, m -> entryFor(m, "revenue") != null, "revenue");
            server.accept(REVENUE.set(new BigDecimal("12.50"), 200L));
            JsonNode second =
                    viewer.awaitMessage(
                            TIMEOUT,
                            m ->
                                    entryFor(m, "revenue") != null
                                            && entryFor(m, "revenue").get("ts").asLong() == 200L,
                            "revenue at 200");

            assertThat(first.get("seq").asLong()).isGreaterThan(snapshotSeq);
            assertThat(second.get("seq").asLong()).isGreaterThan(first.get("seq").asLong());
            assertThat(entryFor(second, "revenue"))
                    .isEqualTo(
                            Json.parse(
                                    """
                                    {"id": "revenue", "type": "stat", "value": 12.50, "ts": 200,
                                     "previous": 10.00, "delta": 2.50, "alert": null}"""));
        }
    }

    @Test
    void chartAndTableUpdatesCarryOnlyWhatChanged() {
        try (WsTestClient viewer = WsTestClient.connect(server.port())) {
            viewer.next(TIMEOUT);

            server.accept(REVENUE_CHART.point(60_000L, new BigDecimal("5.00")));
            server.accept(BY_REGION.upsert("asia", Map.of("orders", 3), 1L));
            JsonNode chart =
                    entryFor(
                            viewer.awaitMessage(
                                    TIMEOUT, m -> entryFor(m, "revenue_chart") != null, "chart"),
                            "revenue_chart");
            server.accept(BY_REGION.delete("asia", 2L));
            JsonNode delete =
                    viewer.awaitMessage(
                            TIMEOUT,
                            m ->
                                    entryFor(m, "by_region") != null
                                            && entryFor(m, "by_region").get("delete").size() == 1,
                            "a table delete");

            assertThat(chart)
                    .isEqualTo(
                            Json.parse(
                                    "{\"id\": \"revenue_chart\", \"type\": \"chart\","
                                            + " \"points\": [[60000, 5.00]]}"));
            assertThat(entryFor(delete, "by_region"))
                    .isEqualTo(
                            Json.parse(
                                    "{\"id\": \"by_region\", \"type\": \"table\", \"upsert\": {},"
                                            + " \"delete\": [\"asia\"]}"));
        }
    }

    @Test
    void tenThousandUpdatesOfOneStatAreConflatedIntoFewFramesEndingWithTheLastValue() {
        try (WsTestClient viewer = WsTestClient.connect(server.port())) {
            viewer.next(TIMEOUT);

            for (int i = 1; i <= 10_000; i++) {
                server.accept(ORDERS.set(i, i));
            }

            List<Long> valuesSeen = new ArrayList<>();
            viewer.awaitMessage(
                    TIMEOUT,
                    message -> {
                        JsonNode orders = entryFor(message, "orders");
                        if (orders != null) {
                            valuesSeen.add(orders.get("value").asLong());
                        }
                        return orders != null && orders.get("value").asLong() == 10_000L;
                    },
                    "orders = 10000");
            assertThat(valuesSeen).hasSizeLessThan(100).isSorted().endsWith(10_000L);
        }
    }

    @Test
    void restoringStateSendsConnectedViewersAFreshSnapshot() {
        server.accept(ORDERS.set(5, 1L));
        try (WsTestClient viewer = WsTestClient.connect(server.port())) {
            viewer.next(TIMEOUT);

            server.restoreState(
                    DashboardState.of(
                            Map.of(
                                    "revenue_chart",
                                    new DashboardState.ChartState(
                                            List.of(
                                                    new DashboardState.ChartPoint(
                                                            60_000L, new BigDecimal("7.00")))))));

            JsonNode snapshot =
                    viewer.awaitMessage(
                            TIMEOUT, m -> m.get("type").asText().equals("snapshot"), "a snapshot");
            assertThat(snapshot.at("/widgets/revenue_chart/points"))
                    .isEqualTo(Json.parse("[[60000, 7.00]]"));
            assertThat(snapshot.at("/widgets/orders/value").isNull()).isTrue();
        }
    }

    @Test
    void everyViewerGetsTheSameUpdates() {
        try (WsTestClient first = WsTestClient.connect(server.port());
                WsTestClient second = WsTestClient.connect(server.port())) {
            first.next(TIMEOUT);
            second.next(TIMEOUT);

            server.accept(ORDERS_PER_SEC.set(new BigDecimal("61.5"), 9L));

            JsonNode a =
                    first.awaitMessage(
                            TIMEOUT, m -> entryFor(m, "orders_per_sec") != null, "gauge");
            JsonNode b =
                    second.awaitMessage(
                            TIMEOUT, m -> entryFor(m, "orders_per_sec") != null, "gauge");
            assertThat(a).isEqualTo(b);
            assertThat(entryFor(a, "orders_per_sec"))
                    .isEqualTo(
                            Json.parse(
                                    "{\"id\": \"orders_per_sec\", \"type\": \"gauge\","
                                            + " \"value\": 61.5, \"ts\": 9, \"alert\": null}"));
        }
    }
}
