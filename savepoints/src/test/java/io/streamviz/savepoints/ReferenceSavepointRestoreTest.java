package io.streamviz.savepoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.TestJobOptions;
import io.streamviz.launcher.EmbeddedKafkaBroker;
import io.streamviz.launcher.LocalJobSession;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.Eventually;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.GeneratedOrders;
import io.streamviz.testing.KafkaClients;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Restores the savepoint of every released version into the current build: the dashboard shows the
 * stored figures at once, and new orders continue them exactly. A change that breaks restoring an
 * older version fails here.
 *
 * <p>The restored Kafka source remembers an offset past the end of the fresh test topic (the
 * reference run wrote {@link ReferenceJob#RECORDS} records, the follow-up writes fewer), so it
 * falls back to the topic's earliest offset and reads exactly the follow-up orders.
 */
class ReferenceSavepointRestoreTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path dataDir;

    static List<Path> referenceSavepoints() throws IOException, URISyntaxException {
        Path root = Path.of(ReferenceSavepointRestoreTest.class.getResource("/reference").toURI());
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("savepoint"))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceSavepoints")
    void everyWidgetContinuesFromAReleasedSavepoint(Path savepoint) throws Exception {
        int port = FreePorts.next();
        DashboardClient dashboard = new DashboardClient(port);
        GeneratedOrders both = ReferenceJob.referenceAndFollowUpOrders();
        List<String> followUp = both.records().subList(ReferenceJob.RECORDS, both.records().size());

        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().logDir(dataDir.resolve("kafka")).port(0).build()) {
            broker.start();
            broker.createTopic("orders", 1);
            broker.createTopic("orders-dlq", 1);
            try (LocalJobSession session =
                    LocalJobSession.start(
                            TestJobOptions.forBroker(
                                    broker.bootstrapServers(), port, Duration.ofMinutes(1)),
                            dataDir,
                            0,
                            savepoint,
                            false)) {
                ReferenceJob.referenceOrders().assertShownBy(dashboard.snapshot());

                KafkaClients.produce(broker.bootstrapServers(), "orders", followUp);

                Eventually.within(TIMEOUT, () -> both.assertShownBy(dashboard.snapshot()));
                assertThat(session.restoredFrom().savepoint()).isTrue();
                // Operators added since the savepoint's version start empty: the customer count
                // (new in 0.2.0) counts exactly the customers of the follow-up orders.
                Eventually.within(
                        TIMEOUT,
                        () ->
                                assertThat(dashboard.statValue("customers"))
                                        .isEqualByComparingTo(
                                                Long.toString(
                                                        both.orders()
                                                                - ReferenceJob.referenceOrders()
                                                                        .orders())));
            } finally {
                EmbeddedDashboardServers.closeAll();
            }
        }
    }
}
