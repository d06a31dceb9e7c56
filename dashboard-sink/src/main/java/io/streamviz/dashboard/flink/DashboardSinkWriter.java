package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.DashboardServer;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardUpdate;
import java.util.List;
import java.util.OptionalLong;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each update to the dashboard server and snapshots the server's state into every checkpoint.
 * Runs on the sink's task thread only.
 */
final class DashboardSinkWriter implements StatefulSinkWriter<DashboardUpdate, DashboardState> {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardSinkWriter.class);

    private final DashboardServer server;

    /**
     * @param restoredState the state of the checkpoint the job restored from, or null on a fresh
     *     start (then the server keeps whatever it already shows)
     */
    DashboardSinkWriter(
            DashboardServer server,
            DashboardState restoredState,
            OptionalLong restoredCheckpointId) {
        this.server = server;
        if (restoredState != null) {
            // Replace, not merge: updates the server received after that checkpoint belong to an
            // attempt that failed, and the job replays them from the checkpoint's offsets.
            server.restoreState(restoredState);
            String label =
                    restoredCheckpointId.isPresent()
                            ? "restored from checkpoint " + restoredCheckpointId.getAsLong()
                            : "restored";
            // A marker on the charts, so that a viewer can tell a restore from a quiet spell.
            server.markRestored(label, System.currentTimeMillis());
            LOG.info("Dashboard {}", label);
        }
    }

    @Override
    public void write(DashboardUpdate update, Context context) {
        server.accept(update);
    }

    @Override
    public void flush(boolean endOfInput) {
        // Nothing is buffered here; the server conflates and broadcasts on its own schedule.
    }

    @Override
    public List<DashboardState> snapshotState(long checkpointId) {
        return List.of(server.snapshotState());
    }

    @Override
    public void close() {
        // The server stays up for the writer of the next attempt: see EmbeddedDashboardServers.
    }
}
