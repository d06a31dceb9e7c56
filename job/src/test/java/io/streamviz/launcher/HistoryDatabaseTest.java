package io.streamviz.launcher;

import static io.streamviz.testing.Orders.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.JobOptions;
import io.streamviz.job.TestJobOptions;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.Eventually;
import io.streamviz.testing.FlinkRest;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.HistoryDb;
import io.streamviz.testing.KafkaClients;
import io.streamviz.testing.Orders;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The history database with the real job, on a DuckDB file and on the real PostgreSQL: known orders
 * end up as exact rows; a stop with orders in flight and a restore from the retained checkpoint
 * leave no duplicate and no missing window; the history routes answer from the database; and a
 * brand-new job with empty state starts its dashboard with the stored values.
 */
class HistoryDatabaseTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir Path dataDir;

    private EmbeddedKafkaBroker broker;

    @AfterEach
    void stopBroker() throws Exception {
        EmbeddedDashboardServers.closeAll();
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"duckdb", "postgresql"})
    void historyIsExactSurvivesAStopInFlightAndPreloadsANewJob(String database) throws Exception {
        broker = EmbeddedKafkaBroker.builder().logDir(dataDir.resolve("kafka")).port(0).build();
        broker.start();
        broker.createTopic("orders", 1);
        broker.createTopic("idle", 1);
        String jdbcUrl =
                database.equals("duckdb")
                        ? "jdbc:duckdb:" + dataDir.resolve("streamviz.duckdb")
                        : HistoryDb.freshPostgresSchema();
        int port = FreePorts.next();
        JobOptions options =
                TestJobOptions.forBroker(
                        broker.bootstrapServers(), port, Duration.ofMinutes(1), jdbcUrl);
        DashboardClient dashboard = new DashboardClient(port);
        Path jobDir = dataDir.resolve("job");

        long beforeSecondMinuteMs;
        try (LocalJobSession first = LocalJobSession.start(options, jobDir, 0, null, false)) {
            KafkaClients.produce(
                    broker.bootstrapServers(), "orders", Orders.quarterSteps("a", 0, 40));
            Eventually.within(
                    TIMEOUT,
                    () -> {
                        assertThat(HistoryDb.latestMetric(jdbcUrl, "revenue"))
                                .isEqualByComparingTo("205.00");
                        assertThat(HistoryDb.chartPoints(jdbcUrl, "revenue_chart"))
                                .containsOnlyKeys(T0);
                    });
            FlinkRest.awaitCheckpointCompletedAfter(
                    first.cluster().restAddress(), first.jobId(), System.currentTimeMillis());
            beforeSecondMinuteMs = System.currentTimeMillis();
            // Stopped while these are being read: some are in the last checkpoint, some not.
            KafkaClients.produce(
                    broker.bootstrapServers(), "orders", Orders.quarterSteps("b", 60_000, 30));
        }

        try (LocalJobSession second = LocalJobSession.start(options, jobDir, 0, null, false)) {
            assertThat(second.restoredFrom()).isNotNull();
            Eventually.within(
                    TIMEOUT,
                    () -> {
                        assertThat(HistoryDb.latestMetric(jdbcUrl, "revenue"))
                                .isEqualByComparingTo("321.25");
                        assertThat(HistoryDb.latestMetric(jdbcUrl, "orders"))
                                .isEqualByComparingTo("70");
                        assertPoints(
                                HistoryDb.chartPoints(jdbcUrl, "revenue_chart"),
                                "205.00",
                                "116.25");
                        assertPoints(HistoryDb.chartPoints(jdbcUrl, "orders_chart"), "40", "30");
                    });
            assertThat(HistoryDb.duplicateKeys(jdbcUrl)).isZero();

            assertHistoryRoutes(dashboard, beforeSecondMinuteMs);
        }

        JobOptions newJob =
                TestJobOptions.forTopic(broker.bootstrapServers(), port, "idle", jdbcUrl);
        try (LocalJobSession fresh =
                LocalJobSession.start(newJob, dataDir.resolve("new-job"), 0, null, false)) {
            assertThat(fresh.restoredFrom()).isNull();

            JsonNode widgets = dashboard.snapshot();

            assertThat(DashboardClient.decimal(widgets.get("revenue").get("value")))
                    .isEqualByComparingTo("321.25");
            assertThat(DashboardClient.decimal(widgets.get("orders").get("value")))
                    .isEqualByComparingTo("70");
            assertThat(widgets.get("revenue_chart").get("points")).hasSize(2);
            assertThat(
                            DashboardClient.decimal(
                                    widgets.get("revenue_chart").get("points").get(1).get(1)))
                    .isEqualByComparingTo("116.25");
            assertThat(widgets.get("by_region").get("rows").has("europe")).isTrue();
        }
    }

    private static void assertHistoryRoutes(DashboardClient dashboard, long beforeSecondMinuteMs)
            throws Exception {
        JsonNode chart =
                json(
                        dashboard,
                        "/api/history/revenue_chart?from=" + T0 + "&to=" + (T0 + 60_000),
                        200);
        assertThat(chart.get("points")).hasSize(2);
        assertThat(chart.get("points").get(0).get(0).asLong()).isEqualTo(T0);
        assertThat(DashboardClient.decimal(chart.get("points").get(1).get(1)))
                .isEqualByComparingTo("116.25");
        assertThat(
                        json(dashboard, "/api/history/revenue_chart?from=" + (T0 + 1), 200)
                                .get("points"))
                .hasSize(1);

        JsonNode revenue = json(dashboard, "/api/history/revenue?from=0", 200);
        JsonNode points = revenue.get("points");
        assertThat(DashboardClient.decimal(points.get(points.size() - 1).get(1)))
                .isEqualByComparingTo("321.25");
        assertThat(json(dashboard, "/api/history/by_region", 200).get("rows").size()).isPositive();

        JsonNode past = json(dashboard, "/api/snapshot?at=" + beforeSecondMinuteMs, 200);
        assertThat(DashboardClient.decimal(past.get("widgets").get("revenue").get("value")))
                .isEqualByComparingTo("205.00");
        assertThat(past.get("widgets").get("revenue_chart").get("points")).hasSize(1);

        assertThat(
                        json(dashboard, "/api/history/revenue?from=yesterday", 400)
                                .get("error")
                                .asText())
                .contains("from");
        json(dashboard, "/api/history/revenue?from=10&to=5", 400);
        json(dashboard, "/api/history/revenue?to=-3", 400);
        json(dashboard, "/api/snapshot?at=now", 400);
        json(dashboard, "/api/history/no_such_widget", 404);
    }

    private static JsonNode json(DashboardClient dashboard, String path, int status)
            throws Exception {
        HttpResponse<String> response = dashboard.get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    private static void assertPoints(Map<Long, BigDecimal> points, String first, String second) {
        assertThat(points).containsOnlyKeys(T0, T0 + 60_000);
        assertThat(points.get(T0)).isEqualByComparingTo(first);
        assertThat(points.get(T0 + 60_000)).isEqualByComparingTo(second);
    }
}
