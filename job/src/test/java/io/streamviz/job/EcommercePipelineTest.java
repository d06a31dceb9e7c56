package io.streamviz.job;

import static io.streamviz.testing.Orders.T0;
import static io.streamviz.testing.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.launcher.EmbeddedKafkaBroker;
import io.streamviz.launcher.LocalJobSession;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.Eventually;
import io.streamviz.testing.FlinkRest;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.KafkaClients;
import io.streamviz.testing.WebSocketRecorder;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job against a real Kafka broker and a Flink MiniCluster: known orders in (valid,
 * out-of-order, late and invalid ones), exact figures out on the dashboard and exact dead letters
 * in Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EcommercePipelineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** In order of production: minute 0 and 1, one order out of order within the bound. */
    private static final List<String> FIRST_ORDERS =
            List.of(
                    order("o1", "19.99", "us_east", "electronics", T0 + 1_000),
                    order("o2", "0.10", "europe", "books", T0 + 2_000),
                    order("o3", "0.20", "europe", "books", T0 + 3_000),
                    order("o4", "100", "asia", "grocery", T0 + 61_000),
                    // 2 s older than o4: within the 5 s bound, so it still counts in minute 0.
                    order("o5", "12.5", "us_west", "apparel", T0 + 59_000),
                    order("o6", "45.67", "brazil", "electronics", T0 + 62_000),
                    order("o7", "1000000000", "us_east", "toys", T0 + 65_000),
                    // Moves the watermark past the end of minute 0 plus its 10 s lateness.
                    order("o8", "7.77", "asia", "books", T0 + 125_000));

    private static final List<String> INVALID_RECORDS =
            List.of(
                    "not json at all",
                    order("bad-decimals", "12.345", "europe", "books", T0 + 4_000),
                    "{\"order_id\":\"no-amount\",\"region\":\"asia\",\"category\":\"books\","
                            + "\"customer_id\":\"c\",\"ts\":1}",
                    order("bad-type", "\"12\"", "asia", "books", T0 + 5_000),
                    order("negative", "-1", "asia", "books", T0 + 6_000),
                    order("too-much", "1000000000.01", "asia", "books", T0 + 7_000),
                    order("empty-region", "1", "", "books", T0 + 8_000));

    /** Produced once the watermark passed minute 0's lateness: late, and later still. */
    private static final List<String> LATE_ORDERS =
            List.of(
                    // Minute 0 is closed: counts in the totals, not in the chart.
                    order("o9", "5.00", "europe", "apparel", T0 + 30_000),
                    // Minute 1 is behind the watermark but within its lateness: counts in both.
                    order("o10", "3.33", "us_west", "grocery", T0 + 90_000));

    @TempDir static Path dataDir;

    private EmbeddedKafkaBroker broker;
    private LocalJobSession session;
    private DashboardClient dashboard;

    @BeforeAll
    void startKafkaAndJob() throws Exception {
        broker = EmbeddedKafkaBroker.builder().logDir(dataDir.resolve("kafka")).port(0).build();
        broker.start();
        broker.createTopic("orders", 1);
        broker.createTopic("orders-dlq", 1);

        int dashboardPort = FreePorts.next();
        JobOptions options =
                TestJobOptions.forBroker(
                        broker.bootstrapServers(), dashboardPort, Duration.ofSeconds(10));
        session = LocalJobSession.start(options, dataDir, 0, null, false);
        dashboard = new DashboardClient(dashboardPort);

        KafkaClients.produce(broker.bootstrapServers(), "orders", FIRST_ORDERS);
        KafkaClients.produce(broker.bootstrapServers(), "orders", INVALID_RECORDS);
        FlinkRest.awaitInputWatermark(
                session.cluster().restAddress(),
                session.jobId(),
                "Totals per region",
                T0 + 120_000 - 1);
        KafkaClients.produce(broker.bootstrapServers(), "orders", LATE_ORDERS);
        // Every figure settled: the tests below then read a dashboard that no longer moves.
        Eventually.within(
                TIMEOUT,
                () -> {
                    assertExpectedStats(dashboard.snapshot());
                    assertThat(dashboard.snapshot().get("orders_chart").get("points")).hasSize(3);
                });
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (session != null) {
            session.close();
        }
        EmbeddedDashboardServers.closeAll();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void statsShowExactTotalsToTheCent() throws Exception {
        Eventually.within(TIMEOUT, () -> assertExpectedStats(dashboard.snapshot()));
    }

    private static void assertExpectedStats(JsonNode widgets) {
        assertStat(widgets, "revenue", "1000000194.56");
        assertStat(widgets, "orders", "10");
        assertStat(widgets, "avg_order", "100000019.46");
        assertStat(widgets, "us_east", "1000000019.99");
        assertStat(widgets, "us_west", "15.83");
        assertStat(widgets, "europe", "5.30");
        assertStat(widgets, "asia", "107.77");
        assertStat(widgets, "electronics", "65.66");
        assertStat(widgets, "apparel", "17.50");
        assertStat(widgets, "books", "8.07");
        assertStat(widgets, "grocery", "103.33");
        assertStat(widgets, "rejected", "7");
        assertStat(widgets, "customers", "10");
    }

    @Test
    void chartsHoldOnePointPerMinuteWithoutTheLateOrder() throws Exception {
        Eventually.within(
                TIMEOUT,
                () -> {
                    JsonNode widgets = dashboard.snapshot();
                    assertThat(points(widgets.get("revenue_chart")))
                            .isEqualTo(
                                    Map.of(
                                            T0,
                                            exact("32.79"),
                                            T0 + 60_000,
                                            exact("1000000149.00"),
                                            T0 + 120_000,
                                            exact("7.77")));
                    assertThat(points(widgets.get("orders_chart")))
                            .isEqualTo(
                                    Map.of(
                                            T0,
                                            exact("4"),
                                            T0 + 60_000,
                                            exact("4"),
                                            T0 + 120_000,
                                            exact("1")));
                });
    }

    @Test
    void tablesHaveOneRowPerRegionAndCategoryIncludingUnknownOnes() throws Exception {
        Eventually.within(
                TIMEOUT,
                () -> {
                    JsonNode byRegion = dashboard.snapshot().get("by_region").get("rows");
                    assertThat(fieldNames(byRegion))
                            .containsExactlyInAnyOrder(
                                    "us_east", "us_west", "europe", "asia", "brazil");
                    assertRow(byRegion.get("europe"), "region", "europe", "5.30", 3, "1.77");
                    assertRow(byRegion.get("brazil"), "region", "brazil", "45.67", 1, "45.67");

                    JsonNode byCategory = dashboard.snapshot().get("by_category").get("rows");
                    assertThat(fieldNames(byCategory))
                            .containsExactlyInAnyOrder(
                                    "electronics", "apparel", "books", "grocery", "toys");
                    assertRow(
                            byCategory.get("toys"),
                            "category",
                            "toys",
                            "1000000000.00",
                            1,
                            "1000000000.00");
                    assertRow(byCategory.get("books"), "category", "books", "8.07", 3, "2.69");
                });
    }

    @Test
    void gaugeShowsARecentRate() throws Exception {
        Eventually.within(
                TIMEOUT,
                () -> {
                    JsonNode gauge = dashboard.snapshot().get("orders_per_sec");
                    assertThat(gauge.get("type").asText()).isEqualTo("gauge");
                    assertThat(DashboardClient.decimal(gauge.get("value"))).isNotNull();
                });
    }

    @Test
    void deadLetterTopicHoldsExactlyTheInvalidRecordsWithReasons() throws Exception {
        Eventually.within(
                TIMEOUT,
                () -> {
                    List<String> deadLetters =
                            KafkaClients.readCommitted(broker.bootstrapServers(), "orders-dlq");
                    assertThat(deadLetters).hasSize(INVALID_RECORDS.size());
                    for (int i = 0; i < INVALID_RECORDS.size(); i++) {
                        JsonNode letter = JSON.readTree(deadLetters.get(i));
                        assertThat(letter.get("record").asText()).isEqualTo(INVALID_RECORDS.get(i));
                        assertThat(letter.get("error").asText()).isNotBlank();
                    }
                    assertThat(JSON.readTree(deadLetters.get(1)).get("error").asText())
                            .isEqualTo("amount has more than 2 decimal places: 12.345");
                    assertThat(JSON.readTree(deadLetters.get(2)).get("error").asText())
                            .isEqualTo("missing field: amount");
                });
    }

    @Test
    void aWebSocketViewerReceivesTheWholeStateInItsFirstMessage() throws Exception {
        try (WebSocketRecorder viewer =
                WebSocketRecorder.connect(session.dashboard().port(), "/ws")) {
            JsonNode first = viewer.awaitMessages(1, TIMEOUT).get(0);

            assertThat(first.get("type").asText()).isEqualTo("snapshot");
            JsonNode widgets = first.get("widgets");
            assertExpectedStats(widgets);
            assertThat(points(widgets.get("revenue_chart")))
                    .isEqualTo(points(dashboard.snapshot().get("revenue_chart")));
            assertThat(fieldNames(widgets.get("by_category").get("rows"))).hasSize(5);
        }
    }

    @Test
    void unknownWidgetAnswers404WithAJsonError() throws Exception {
        HttpResponse<String> response = dashboard.get("/embed/no_such_widget");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains("no_such_widget");
    }

    @Test
    void jobKeepsRunningAfterInvalidRecords() throws Exception {
        assertThat(session.cluster().status(session.jobId())).isEqualTo(JobStatus.RUNNING);
    }

    private static void assertStat(JsonNode widgets, String id, String expected) {
        JsonNode widget = widgets.get(id);
        assertThat(widget).as("widget %s", id).isNotNull();
        assertThat(DashboardClient.decimal(widget.get("value")))
                .as("value of %s", id)
                .isEqualByComparingTo(expected);
    }

    private static void assertRow(
            JsonNode row, String keyColumn, String key, String revenue, long orders, String avg) {
        assertThat(row.get(keyColumn).asText()).isEqualTo(key);
        assertThat(DashboardClient.decimal(row.get("revenue"))).isEqualByComparingTo(revenue);
        assertThat(row.get("orders").asLong()).isEqualTo(orders);
        assertThat(DashboardClient.decimal(row.get("avg_order"))).isEqualByComparingTo(avg);
    }

    /** Chart points by timestamp; values without trailing zeros, so that 4.0 equals 4. */
    static Map<Long, BigDecimal> points(JsonNode chart) {
        Map<Long, BigDecimal> points = new TreeMap<>();
        for (JsonNode point : chart.get("points")) {
            points.put(point.get(0).asLong(), exact(point.get(1).asText()));
        }
        return points;
    }

    private static BigDecimal exact(String number) {
        return new BigDecimal(number).stripTrailingZeros();
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new java.util.HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
