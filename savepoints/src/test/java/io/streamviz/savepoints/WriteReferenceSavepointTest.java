package io.streamviz.savepoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.TestJobOptions;
import io.streamviz.launcher.EmbeddedKafkaBroker;
import io.streamviz.launcher.LocalJobSession;
import io.streamviz.launcher.RestorePoints;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.Eventually;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.GeneratedOrders;
import io.streamviz.testing.KafkaClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the reference savepoint of the current build. Not part of the normal test run: it runs
 * once per release, with the command in {@code savepoints/README.md}, and its output is committed
 * under {@code src/test/resources/reference/<version>/savepoint}.
 */
@EnabledIfSystemProperty(named = "streamviz.writeReferenceSavepoint", matches = ".+")
class WriteReferenceSavepointTest {
    @TempDir Path dataDir;

    @Test
    void writeReferenceSavepoint() throws Exception {
        Path target = Path.of(System.getProperty("streamviz.writeReferenceSavepoint"));
        assertThat(target.resolve("savepoint")).as("already written").doesNotExist();
        GeneratedOrders orders = ReferenceJob.referenceOrders();
        int port = FreePorts.next();
        DashboardClient dashboard = new DashboardClient(port);

        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().logDir(dataDir.resolve("kafka")).port(0).build()) {
            broker.start();
            broker.createTopic("orders", 1);
            broker.createTopic("orders-dlq", 1);
            LocalJobSession session =
                    LocalJobSession.start(
                            TestJobOptions.forBroker(
                                    broker.bootstrapServers(), port, Duration.ofMinutes(1)),
                            dataDir,
                            0,
                            null,
                            false);
            try {
                KafkaClients.produce(broker.bootstrapServers(), "orders", orders.records());
                Eventually.within(
                        Duration.ofSeconds(60), () -> orders.assertShownBy(dashboard.snapshot()));
                // Quiescent first: once a checkpoint completed after the last dead letter, no
                // Kafka transaction is pending in the savepoint, so it also restores against
                // another Kafka cluster (the test's fresh broker).
                long settledAtMs = System.currentTimeMillis();
                Eventually.within(
                        Duration.ofSeconds(60),
                        () -> assertThat(newestCheckpointMs(dataDir)).isGreaterThan(settledAtMs));
                String savepoint =
                        session.cluster()
                                .stopWithSavepoint(session.jobId(), target.toAbsolutePath());
                Files.move(Path.of(java.net.URI.create(savepoint)), target.resolve("savepoint"));
            } finally {
                session.close();
                EmbeddedDashboardServers.closeAll();
            }
        }
    }

    private static long newestCheckpointMs(Path dataDir) {
        return RestorePoints.newest(dataDir)
                .map(point -> point.path().resolve("_metadata").toFile().lastModified())
                .orElse(0L);
    }
}
