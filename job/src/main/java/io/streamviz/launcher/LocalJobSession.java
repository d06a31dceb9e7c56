package io.streamviz.launcher;

import io.streamviz.dashboard.DashboardServer;
import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.EcommerceDashboard;
import io.streamviz.job.EcommerceJob;
import io.streamviz.job.JobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The e-commerce job running on a local MiniCluster with its dashboard, as {@code demo} and {@code
 * run} start it. On start it resumes from the newest retained checkpoint under {@code
 * <data-dir>/checkpoints}, unless a savepoint is given; on close it cancels the job, which keeps
 * the latest checkpoint for the next start.
 */
public final class LocalJobSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalJobSession.class);
    static final String JOB_NAME = "StreamViz e-commerce";

    private final LocalFlinkCluster cluster;
    private final DashboardServer dashboard;
    private final JobID jobId;
    private final Path restoredFrom;

    private LocalJobSession(
            LocalFlinkCluster cluster, DashboardServer dashboard, JobID jobId, Path restoredFrom) {
        this.cluster = cluster;
        this.dashboard = dashboard;
        this.jobId = jobId;
        this.restoredFrom = restoredFrom;
    }

    /**
     * Starts the dashboard, the cluster and the job, and returns once the job runs.
     *
     * @param savepoint a savepoint to start from, or null to resume from the newest retained
     *     checkpoint (if any)
     */
    public static LocalJobSession start(
            JobOptions options,
            Path dataDir,
            int flinkUiPort,
            Path savepoint,
            boolean allowNonRestoredState)
            throws Exception {
        Files.createDirectories(dataDir);
        DashboardServer dashboard =
                EmbeddedDashboardServers.obtain(
                        EcommerceDashboard.dashboard(),
                        options.dashboardPort(),
                        options.dashboardBindAddress(),
                        options.token(),
                        options.history());
        LocalFlinkCluster cluster =
                LocalFlinkCluster.start(dataDir, flinkUiPort, Math.max(2, options.parallelism()));
        try {
            Path restorePath = savepoint;
            boolean claim = false;
            if (restorePath == null) {
                Optional<Path> latest = LatestCheckpoint.in(cluster.checkpointsDir());
                if (latest.isPresent()) {
                    restorePath = latest.get();
                    claim = true;
                    LOG.info("Resuming from retained checkpoint {}", restorePath);
                }
            }
            Configuration jobConfiguration = EcommerceJob.jobConfiguration(options);
            // The job's own configuration decides where its checkpoints go, not the cluster's.
            jobConfiguration.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    cluster.checkpointsDir().toUri().toString());
            jobConfiguration.set(
                    CheckpointingOptions.SAVEPOINT_DIRECTORY,
                    cluster.savepointsDir().toUri().toString());
            StreamExecutionEnvironment env = new StreamExecutionEnvironment(jobConfiguration);
            EcommerceJob.build(env, options);
            JobID jobId = cluster.submit(env, JOB_NAME, restorePath, claim, allowNonRestoredState);
            cluster.awaitRunning(jobId, Duration.ofMinutes(2));
            return new LocalJobSession(cluster, dashboard, jobId, restorePath);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    public LocalFlinkCluster cluster() {
        return cluster;
    }

    public DashboardServer dashboard() {
        return dashboard;
    }

    public JobID jobId() {
        return jobId;
    }

    /** The checkpoint or savepoint this session started from, or null for a fresh start. */
    public Path restoredFrom() {
        return restoredFrom;
    }

    /** Cancels the job (keeping its latest checkpoint) and stops the cluster and dashboard. */
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
