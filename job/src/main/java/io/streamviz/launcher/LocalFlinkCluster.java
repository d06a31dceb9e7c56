package io.streamviz.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink MiniCluster in this process, with its REST API and web UI, running jobs whose state lives
 * under one data directory: {@code checkpoints/} and {@code savepoints/}.
 */
public final class LocalFlinkCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFlinkCluster.class);
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

    private final MiniCluster miniCluster;
    private final Path checkpointsDir;
    private final Path savepointsDir;

    private LocalFlinkCluster(MiniCluster miniCluster, Path dataDir) {
        this.miniCluster = miniCluster;
        this.checkpointsDir = dataDir.resolve("checkpoints");
        this.savepointsDir = dataDir.resolve("savepoints");
    }

    /**
     * Starts a cluster with {@code slots} task slots whose REST API listens on {@code restPort} (0
     * for any free port).
     */
    public static LocalFlinkCluster start(Path dataDir, int restPort, int slots) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.PORT, restPort);
        conf.set(RestOptions.BIND_PORT, Integer.toString(restPort));
        conf.set(RestOptions.ADDRESS, "localhost");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dataDir.resolve("checkpoints").toUri().toString());
        conf.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                dataDir.resolve("savepoints").toUri().toString());
        MiniCluster miniCluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        miniCluster.start();
        return new LocalFlinkCluster(miniCluster, dataDir);
    }

    public URI restAddress() throws Exception {
        return miniCluster.getRestAddress().get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    public Path checkpointsDir() {
        return checkpointsDir;
    }

    public Path savepointsDir() {
        return savepointsDir;
    }

    /**
     * Submits the pipeline built on {@code env}, restoring from {@code restorePath} when it is not
     * null. A retained checkpoint of our own is claimed (Flink may delete it once a newer one
     * subsumes it); a savepoint is never claimed, so it stays for the next upgrade.
     */
    public JobID submit(
            StreamExecutionEnvironment env,
            String jobName,
            Path restorePath,
            boolean claim,
            boolean allowNonRestoredState)
            throws Exception {
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName(jobName);
        JobGraph jobGraph = streamGraph.getJobGraph();
        if (restorePath != null) {
            jobGraph.setSavepointRestoreSettings(
                    SavepointRestoreSettings.forPath(
                            restorePath.toUri().toString(),
                            allowNonRestoredState,
                            claim ? RecoveryClaimMode.CLAIM : RecoveryClaimMode.NO_CLAIM));
        }
        JobID jobId =
                miniCluster
                        .submitJob(jobGraph)
                        .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .getJobID();
        LOG.info(
                "Submitted job {} ({}){}",
                jobName,
                jobId,
                restorePath == null ? "" : " restoring " + restorePath);
        return jobId;
    }

    public JobStatus status(JobID jobId) throws Exception {
        return miniCluster.getJobStatus(jobId).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Waits until every task of the job runs. Tasks restore their state while INITIALIZING, so from
     * then on the dashboard shows the restored state, not an empty one.
     */
    public void awaitRunning(JobID jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allTasksRunning(jobId)) {
            JobStatus status = status(jobId);
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException("job " + jobId + " ended as " + status);
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("job " + jobId + " not running after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private boolean allTasksRunning(JobID jobId) throws Exception {
        AccessExecutionGraph graph =
                miniCluster
                        .getExecutionGraph(jobId)
                        .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (graph.getState() != JobStatus.RUNNING) {
            return false;
        }
        for (AccessExecutionVertex task : graph.getAllExecutionVertices()) {
            if (task.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    /** Completes with the job's final status once it ends. */
    public CompletableFuture<ApplicationStatus> jobEnded(JobID jobId) {
        return miniCluster.requestJobResult(jobId).thenApply(JobResult::getApplicationStatus);
    }

    /** Cancels the job; its latest checkpoint stays (checkpoints are retained on cancellation). */
    public void cancel(JobID jobId) throws Exception {
        miniCluster.cancelJob(jobId).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        awaitTermination(jobId);
    }

    /** Stops the job with a savepoint in {@code directory} and returns the savepoint's path. */
    public String stopWithSavepoint(JobID jobId, Path directory) throws Exception {
        String path =
                miniCluster
                        .stopWithSavepoint(
                                jobId,
                                directory.toUri().toString(),
                                false,
                                SavepointFormatType.CANONICAL)
                        .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        awaitTermination(jobId);
        return path;
    }

    private void awaitTermination(JobID jobId) throws Exception {
        try {
            miniCluster.requestJobResult(jobId).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            LOG.debug("Job {} ended with {}", jobId, e.getCause().toString());
        }
    }

    @Override
    public void close() throws Exception {
        miniCluster.closeAsync().get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
