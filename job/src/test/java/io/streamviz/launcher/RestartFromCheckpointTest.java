package io.streamviz.launcher;

import static io.streamviz.testing.Orders.T0;
import static io.streamviz.testing.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.JobOptions;
import io.streamviz.job.TestJobOptions;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.Eventually;
import io.streamviz.testing.FlinkRest;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop the job (cancel, keeping its checkpoint), start it again on the same data directory, send
 * more orders: the totals continue exactly and the charts keep their history.
 */
class RestartFromCheckpointTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path dataDir;

    private EmbeddedKafkaBroker broker;

    @AfterEach
    void stopBroker() throws Exception {
        EmbeddedDashboardServers.closeAll();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void totalsAndChartsContinueExactlyAfterARestartFromTheRetainedCheckpoint() throws Exception {
        broker = EmbeddedKafkaBroker.builder().logDir(dataDir.resolve("kafka")).port(0).build();
        broker.start();
        broker.createTopic("orders", 1);
        int port = FreePorts.next();
        JobOptions options =
                TestJobOptions.forBroker(broker.bootstrapServers(), port, Duration.ofMinutes(1));
        DashboardClient dashboard = new DashboardClient(port);

        try (LocalJobSession first = LocalJobSession.start(options, dataDir, 0, null, false)) {
            KafkaClients.produce(broker.bootstrapServers(), "orders", orders("a", 0, 40));
            Eventually.within(
                    TIMEOUT,
                    () ->
                            assertThat(dashboard.statValue("revenue"))
                                    .isEqualByComparingTo("205.00"));
            awaitCheckpointCompletedAfter(first, System.currentTimeMillis());
        }

        try (LocalJobSession second = LocalJobSession.start(options, dataDir, 0, null, false)) {
            assertThat(second.restoredFrom()).isNotNull();
            JsonNode restored = dashboard.snapshot();
            assertThat(DashboardClient.decimal(restored.get("revenue").get("value")))
                    .isEqualByComparingTo("205.00");
            assertThat(restored.get("revenue_chart").get("points")).hasSize(1);
            assertThat(dashboard.get("/api/snapshot").body())
                    .containsPattern("\"label\":\\s*\"restored from checkpoint \\d+\"");

            KafkaClients.produce(broker.bootstrapServers(), "orders", orders("b", 60_000, 30));

            Eventually.within(
                    TIMEOUT,
                    () -> {
                        JsonNode widgets = dashboard.snapshot();
                        assertThat(DashboardClient.decimal(widgets.get("revenue").get("value")))
                                .isEqualByComparingTo("321.25");
                        assertThat(DashboardClient.decimal(widgets.get("orders").get("value")))
                                .isEqualByComparingTo("70");
                        assertThat(widgets.get("revenue_chart").get("points")).hasSize(2);
                    });
        }
    }

    /**
     * {@code count} orders in the minute starting at {@code T0 + minuteOffsetMs}, of 0.25, 0.50,
     * 0.75 … : 40 of them sum to 205.00, 30 to 116.25.
     */
    private static List<String> orders(String prefix, long minuteOffsetMs, int count) {
        List<String> orders = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String amount =
                    String.format(java.util.Locale.ROOT, "%d.%02d", (i * 25) / 100, (i * 25) % 100);
            orders.add(
                    order(
                            prefix + i,
                            amount,
                            i % 2 == 0 ? "europe" : "asia",
                            "books",
                            T0 + minuteOffsetMs + i * 100L));
        }
        return orders;
    }

    private static void awaitCheckpointCompletedAfter(LocalJobSession session, long afterMs)
            throws Exception {
        Eventually.within(
                TIMEOUT,
                () -> {
                    JsonNode latest =
                            FlinkRest.get(
                                            session.cluster().restAddress(),
                                            "/jobs/" + session.jobId() + "/checkpoints")
                                    .path("latest")
                                    .path("completed");
                    assertThat(latest.path("trigger_timestamp").asLong()).isGreaterThan(afterMs);
                });
    }
}
