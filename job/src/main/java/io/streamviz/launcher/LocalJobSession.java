package io.streamviz.launcher;

import io.streamviz.dashboard.DashboardServer;
import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.EcommerceJob;
import io.streamviz.job.JobOptions;
import io.streamviz.launcher.RestorePoints.RestorePoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The e-commerce job running on a local MiniCluster with its dashboard, as {@code demo} and {@code
 * run} start it. On start it resumes from the newest retained checkpoint or savepoint under the
 * data directory, unless a savepoint is given; on close it cancels the job, which keeps the latest
 * checkpoint for the next start.
 */
public final class LocalJobSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalJobSession.class);
    static final String JOB_NAME = "StreamViz e-commerce";

    private final LocalFlinkCluster cluster;
    private final DashboardServer dashboard;
    private final JobID jobId;
    private final RestorePoint restoredFrom;

    private LocalJobSession(
            LocalFlinkCluster cluster,
            DashboardServer dashboard,
            JobID jobId,
            RestorePoint restoredFrom) {
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
        return start(
                options,
                dataDir,
                flinkUiPort,
                savepoint,
                allowNonRestoredState,
                CompletableFuture.completedFuture(options.bootstrapServers()));
    }

    /**
     * Like {@link #start(JobOptions, Path, int, Path, boolean)}, for a Kafka that is still
     * starting: the dashboard and the cluster start meanwhile, and the job is submitted, to the
     * bootstrap servers {@code kafkaReady} completes with, once it has. A Kafka that fails to start
     * fails this with its own exception.
     */
    public static LocalJobSession start(
            JobOptions options,
            Path dataDir,
            int flinkUiPort,
            Path savepoint,
            boolean allowNonRestoredState,
            CompletableFuture<String> kafkaReady)
            throws Exception {
        Files.createDirectories(dataDir);
        // Up before Flink, so that a taken port fails the command at once; the job's sink finds
        // this same server.
        DashboardServer dashboard = EcommerceJob.dashboardSink(options).startEmbeddedServer();
        LocalFlinkCluster cluster = null;
        try {
            cluster =
                    LocalFlinkCluster.start(
                            dataDir, flinkUiPort, Math.max(2, options.parallelism()));
            JobOptions jobOptions = options.withBootstrapServers(awaitKafka(kafkaReady));
            RestorePoint restorePoint =
                    savepoint != null
                            ? new RestorePoint(savepoint, true)
                            : RestorePoints.newest(dataDir).orElse(null);
            if (restorePoint != null) {
                LOG.info("Resuming from {}", restorePoint);
            }
            Configuration jobConfiguration = EcommerceJob.jobConfiguration(jobOptions);
            // The job's own configuration decides where its checkpoints go, not the cluster's.
            jobConfiguration.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    cluster.checkpointsDir().toUri().toString());
            jobConfiguration.set(
                    CheckpointingOptions.SAVEPOINT_DIRECTORY,
                    cluster.savepointsDir().toUri().toString());
            StreamExecutionEnvironment env = new StreamExecutionEnvironment(jobConfiguration);
            EcommerceJob.build(env, jobOptions);
            // A retained checkpoint of our own is claimed, so Flink deletes it once a newer one
            // subsumes it; a savepoint is never claimed and stays for the next upgrade.
            JobID jobId =
                    cluster.submit(
                            env,
                            JOB_NAME,
                            restorePoint == null ? null : restorePoint.path(),
                            restorePoint != null && !restorePoint.savepoint(),
                            allowNonRestoredState);
            cluster.awaitRunning(jobId, Duration.ofMinutes(2));
            return new LocalJobSession(cluster, dashboard, jobId, restorePoint);
        } catch (Exception e) {
            if (cluster != null) {
                cluster.close();
            }
            EmbeddedDashboardServers.closeAll();
            throw e;
        }
    }

    private static String awaitKafka(CompletableFuture<String> kafkaReady) throws Exception {
        try {
            return kafkaReady.get();
        } catch (ExecutionException e) {
            // The broker's own failure (a taken port, say) is what the user needs to read.
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
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
    public RestorePoint restoredFrom() {
        return restoredFrom;
    }

    /** Completes when the job ends: stopped with a savepoint, cancelled or failed for good. */
    public CompletableFuture<ApplicationStatus> jobEnded() {
        return cluster.jobEnded(jobId);
    }

    /** Cancels the job (keeping its latest checkpoint) and stops the cluster and dashboard. */
    @Override
    public void close() throws Exception {
        try {
            if (!cluster.status(jobId).isGloballyTerminalState()) {
                cluster.cancel(jobId);
            }
        } finally {
            cluster.close();
            EmbeddedDashboardServers.closeAll();
        }
    }
}
