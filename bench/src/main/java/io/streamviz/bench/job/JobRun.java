package io.streamviz.bench.job;

import io.streamviz.dashboard.DashboardServer;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.CommandLine;
import io.streamviz.job.EcommerceJob;
import io.streamviz.job.JobOptions;
import io.streamviz.launcher.LocalFlinkCluster;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The e-commerce job as a user runs it ({@code run}: the dashboard embedded, the DuckDB history,
 * checkpoints every 10 s), on a MiniCluster in this JVM, with a fresh consumer group and data
 * directory, so it reads its topic from the earliest offsets.
 */
public final class JobRun implements AutoCloseable {
    /** Which keyed state backend the job runs on. */
    public enum Backend {
        ROCKSDB("rocksdb"),
        HEAP("hashmap");

        final String configValue;

        Backend(String configValue) {
            this.configValue = configValue;
        }
    }

    /** The options {@code run} reads: the job's, and its data directory. */
    private static final Set<String> RUN_OPTIONS =
            Stream.concat(JobOptions.VALUE_OPTIONS.stream(), Stream.of("data-dir"))
                    .collect(Collectors.toUnmodifiableSet());

    private final LocalFlinkCluster cluster;
    private final DashboardServer dashboard;
    private final JobID jobId;

    private JobRun(LocalFlinkCluster cluster, DashboardServer dashboard, JobID jobId) {
        this.cluster = cluster;
        this.dashboard = dashboard;
        this.jobId = jobId;
    }

    public static JobRun start(
            String bootstrapServers,
            String topic,
            int parallelism,
            Backend backend,
            int dashboardPort,
            Path dataDir)
            throws Exception {
        Files.createDirectories(dataDir);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                bootstrapServers,
                                "--topic",
                                topic,
                                "--group-id",
                                "bench-" + System.nanoTime(),
                                "--port",
                                Integer.toString(dashboardPort),
                                "--bind-address",
                                "127.0.0.1",
                                "--parallelism",
                                Integer.toString(parallelism),
                                "--checkpoint-interval",
                                "10s",
                                "--data-dir",
                                dataDir.toString()));
        // For trying the job's options while working on it: -Dbench.job.args="--emit-interval 20ms"
        String extra = System.getProperty("bench.job.args", "").trim();
        if (!extra.isEmpty()) {
            args.addAll(List.of(extra.split("\\s+")));
        }
        JobOptions options =
                JobOptions.from(CommandLine.parse(args, RUN_OPTIONS, Set.of(), name -> null));
        DashboardServer dashboard = EcommerceJob.dashboardSink(options).startEmbeddedServer();
        LocalFlinkCluster cluster = LocalFlinkCluster.start(dataDir, 0, Math.max(2, parallelism));
        try {
            Configuration conf = EcommerceJob.jobConfiguration(options);
            conf.set(StateBackendOptions.STATE_BACKEND, backend.configValue);
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    cluster.checkpointsDir().toUri().toString());
            StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
            EcommerceJob.build(env, options);
            JobID jobId = cluster.submit(env, "bench " + topic, null, false, false);
            cluster.awaitRunning(jobId, Duration.ofMinutes(2));
            return new JobRun(cluster, dashboard, jobId);
        } catch (Exception e) {
            cluster.close();
            EmbeddedDashboardServers.closeAll();
            throw e;
        }
    }

    public int dashboardPort() {
        return dashboard.port();
    }

    /** What the dashboard shows now, read in this process. */
    public long ordersShown() {
        return statValue("orders").longValueExact();
    }

    public BigDecimal statValue(String widgetId) {
        DashboardState.WidgetState state = dashboard.snapshotState().widgets().get(widgetId);
        return state instanceof DashboardState.ValueState value ? value.value() : BigDecimal.ZERO;
    }

    /** The orders counted and the time it took, from the first order shown to the last. */
    public record Progress(long firstShown, long firstShownNanos, long lastNanos) {}

    /**
     * Waits until the dashboard shows {@code orders} orders, polling every 50 ms (a snapshot of the
     * whole dashboard costs the job some CPU), and returns when it first showed any and when it
     * showed them all.
     */
    public Progress awaitOrders(long orders, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long firstShown = 0;
        long firstShownNanos = 0;
        while (true) {
            long shown = ordersShown();
            long now = System.nanoTime();
            if (shown > 0 && firstShownNanos == 0) {
                firstShown = shown;
                firstShownNanos = now;
            }
            if (shown >= orders) {
                return new Progress(firstShown, firstShownNanos, now);
            }
            if (now > deadline) {
                throw new IllegalStateException(
                        "the job showed " + shown + " of " + orders + " orders after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.cancel(jobId);
        } finally {
            cluster.close();
            EmbeddedDashboardServers.closeAll();
        }
    }
}
