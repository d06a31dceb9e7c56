package io.streamviz.it;

import static io.streamviz.testing.Orders.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamviz.launcher.EmbeddedKafkaBroker;
import io.streamviz.launcher.FlinkRestClient;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.Eventually;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.GeneratedOrders;
import io.streamviz.testing.KafkaClients;
import io.streamviz.testing.LauncherProcess;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * streamviz-job.jar on a real Flink 2.2.1 session cluster (two JVMs started by {@code
 * deploy/local-cluster/start.sh}), publishing with parallelism 2 to a standalone dashboard server
 * ({@code serve}, a child process) that needs a token: exact totals, a stop with a savepoint
 * through REST, a new submission from that savepoint, and totals that continue exactly.
 */
class SessionClusterTest {
    private static final Logger LOG = LoggerFactory.getLogger(SessionClusterTest.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String TOKEN = "cluster-test-token";

    @TempDir Path workDir;

    private EmbeddedKafkaBroker broker;
    private LauncherProcess server;
    private LocalSessionCluster cluster;
    private final List<Long> clusterPids = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
        for (long pid : clusterPids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .as("cluster process %d after stop.sh", pid)
                    .isNotEqualTo(Optional.of(true));
        }
    }

    @Test
    void jobOnASessionClusterKeepsExactTotalsAcrossAStopWithSavepoint() throws Exception {
        Path jobJar = Path.of(System.getProperty("streamviz.jobJar"));
        assumeTrue(Files.exists(jobJar), "streamviz-job.jar is built by 'mvn package' (verify)");
        Path root = Path.of(System.getProperty("streamviz.root"));

        broker = EmbeddedKafkaBroker.builder().logDir(workDir.resolve("kafka")).port(0).build();
        broker.start();
        broker.createTopic("orders", 2);
        int dashboardPort = FreePorts.next();
        server =
                LauncherProcess.start(
                        Files.createFile(workDir.resolve("serve.log")),
                        "serve",
                        "--port",
                        Integer.toString(dashboardPort),
                        "--token",
                        TOKEN,
                        "--data-dir",
                        workDir.resolve("serve").toString());
        server.awaitLine("StreamViz serve ready", TIMEOUT);
        DashboardClient dashboard = new DashboardClient(dashboardPort, TOKEN);

        long clusterStart = System.nanoTime();
        cluster = LocalSessionCluster.start(root, workDir.resolve("cluster"));
        long clusterStartMs = millisSince(clusterStart);
        clusterPids.addAll(cluster.pids());
        String jarId = cluster.upload(jobJar);
        List<String> args =
                List.of(
                        "--bootstrap-servers",
                        broker.bootstrapServers(),
                        "--dashboard-url",
                        "ws://127.0.0.1:" + dashboardPort + "/ingest",
                        "--token",
                        TOKEN,
                        "--parallelism",
                        "2",
                        "--checkpoint-interval",
                        "2s",
                        "--emit-interval",
                        "50ms");
        GeneratedOrders first = GeneratedOrders.generate(11, 400, "c", T0);
        GeneratedOrders both =
                GeneratedOrders.generate(11, 400, "c", T0).add(12, 200, "d", T0 + 600_000);

        KafkaClients.produce(broker.bootstrapServers(), "orders", first.records());
        long submitted = System.nanoTime();
        String firstJob = cluster.run(jarId, args, 2, null);
        Eventually.value(TIMEOUT, "a first figure", () -> dashboard.statValue("orders"));
        long firstUpdateMs = millisSince(submitted);
        Eventually.within(TIMEOUT, () -> first.assertShownBy(dashboard.snapshot()));
        BigDecimal revenueBefore = dashboard.statValue("revenue");

        long stopping = System.nanoTime();
        String savepoint =
                new FlinkRestClient(cluster.restAddress())
                        .stopWithSavepoint(
                                firstJob, cluster.savepointsDir().toUri().toString(), TIMEOUT);
        long stopMs = millisSince(stopping);
        KafkaClients.produce(
                broker.bootstrapServers(),
                "orders",
                both.records().subList(first.records().size(), both.records().size()));
        // The job is gone; the server still shows what it had.
        first.assertShownBy(dashboard.snapshot());

        cluster.run(jarId, args, 2, savepoint);
        Eventually.within(TIMEOUT, () -> both.assertShownBy(dashboard.snapshot()));
        BigDecimal revenueAfter = dashboard.statValue("revenue");

        assertThat(cluster.get("jobs/" + firstJob).path("state").asText()).isEqualTo("FINISHED");
        LOG.info(
                "cluster start {} ms, submit to first update {} ms, stop with savepoint {} ms;"
                        + " orders {} then {}, revenue {} then {}",
                clusterStartMs,
                firstUpdateMs,
                stopMs,
                first.orders(),
                both.orders(),
                revenueBefore,
                revenueAfter);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
