package io.streamviz.launcher;

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
import io.streamviz.testing.Orders;
import java.nio.file.Path;
import java.time.Duration;
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
            KafkaClients.produce(
                    broker.bootstrapServers(), "orders", Orders.quarterSteps("a", 0, 40));
            Eventually.within(
                    TIMEOUT,
                    () ->
                            assertThat(dashboard.statValue("revenue"))
                                    .isEqualByComparingTo("205.00"));
            FlinkRest.awaitCheckpointCompletedAfter(
                    first.cluster().restAddress(), first.jobId(), System.currentTimeMillis());
        }

        try (LocalJobSession second = LocalJobSession.start(options, dataDir, 0, null, false)) {
            assertThat(second.restoredFrom()).isNotNull();
            JsonNode restored = dashboard.snapshot();
            assertThat(DashboardClient.decimal(restored.get("revenue").get("value")))
                    .isEqualByComparingTo("205.00");
            assertThat(restored.get("revenue_chart").get("points")).hasSize(1);
            assertThat(dashboard.get("/api/snapshot").body())
                    .containsPattern("\"label\":\\s*\"restored from checkpoint \\d+\"");

            KafkaClients.produce(
                    broker.bootstrapServers(), "orders", Orders.quarterSteps("b", 60_000, 30));

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
}
