package io.streamviz.launcher;

import static io.streamviz.testing.Orders.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.JobOptions;
import io.streamviz.job.TestJobOptions;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.Eventually;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.GeneratedOrders;
import io.streamviz.testing.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code savepoint trigger} and {@code savepoint stop} against the REST API of a running local job,
 * then a plain restart that continues from the savepoint.
 */
class SavepointStopTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path dataDir;

    private EmbeddedKafkaBroker broker;

    @AfterEach
    void stopEverything() throws Exception {
        EmbeddedDashboardServers.closeAll();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void stopWritesASavepointTheNextStartContinuesFrom() throws Exception {
        broker = EmbeddedKafkaBroker.builder().logDir(dataDir.resolve("kafka")).port(0).build();
        broker.start();
        broker.createTopic("orders", 1);
        int port = FreePorts.next();
        JobOptions options =
                TestJobOptions.forBroker(broker.bootstrapServers(), port, Duration.ofMinutes(1));
        DashboardClient dashboard = new DashboardClient(port);
        GeneratedOrders first = GeneratedOrders.generate(1, 120, "s", T0);
        GeneratedOrders both =
                GeneratedOrders.generate(1, 120, "s", T0).add(2, 60, "t", T0 + 600_000);

        try (LocalJobSession session = LocalJobSession.start(options, dataDir, 0, null, false)) {
            String rest = session.cluster().restAddress().toString();
            KafkaClients.produce(broker.bootstrapServers(), "orders", first.records());
            Eventually.within(TIMEOUT, () -> first.assertShownBy(dashboard.snapshot()));

            String triggered =
                    launch(
                            "savepoint",
                            "trigger",
                            "--rest-url",
                            rest,
                            "--data-dir",
                            dataDir.toString());
            assertThat(Path.of(java.net.URI.create(triggered)).resolve("_metadata")).exists();
            String stopped =
                    launch(
                            "savepoint",
                            "stop",
                            "--rest-url",
                            rest,
                            "--data-dir",
                            dataDir.toString());

            assertThat(stopped)
                    .startsWith(
                            dataDir.resolve("savepoints")
                                    .toUri()
                                    .toString()
                                    .replace("file:///", "file:/"));
            assertThat(session.jobEnded().get()).isEqualTo(ApplicationStatus.SUCCEEDED);
        }

        try (LocalJobSession next = LocalJobSession.start(options, dataDir, 0, null, false)) {
            assertThat(next.restoredFrom().savepoint()).isTrue();
            first.assertShownBy(dashboard.snapshot());

            KafkaClients.produce(
                    broker.bootstrapServers(),
                    "orders",
                    both.records().subList(first.records().size(), both.records().size()));

            Eventually.within(TIMEOUT, () -> both.assertShownBy(dashboard.snapshot()));
        }
    }

    /** Runs a launcher command in this JVM and returns what it printed, trimmed. */
    private static String launch(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                Launcher.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
