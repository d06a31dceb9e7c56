package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.internal.IngestClient;
import java.net.URI;
import java.util.List;
import java.util.OptionalLong;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each update to a standalone dashboard server and checkpoints a local mirror of the
 * dashboard's state, so that a restore sends the restored state to the server, whatever the server
 * showed meanwhile. The server keeps serving viewers while this writer is gone.
 */
final class RemoteDashboardSinkWriter
        implements StatefulSinkWriter<DashboardUpdate, DashboardState> {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDashboardSinkWriter.class);

    private final IngestClient client;

    RemoteDashboardSinkWriter(
            Dashboard dashboard,
            URI serverUri,
            String token,
            String name,
            DashboardState restoredState,
            OptionalLong restoredCheckpointId) {
        this.client = new IngestClient(dashboard, serverUri, token, restoredState, name);
        if (restoredState != null) {
            String label =
                    restoredCheckpointId.isPresent()
                            ? "restored from checkpoint " + restoredCheckpointId.getAsLong()
                            : "restored";
            client.addMarker(new DashboardState.Marker(System.currentTimeMillis(), label));
            LOG.info("Dashboard {}, publishing to {}", label, serverUri);
        } else {
            LOG.info("Dashboard publishing to {} (epoch {})", serverUri, client.epoch());
        }
    }

    @Override
    public void write(DashboardUpdate update, Context context) {
        client.accept(update);
    }

    @Override
    public void flush(boolean endOfInput) {
        // Delivery to the server is live, not transactional; the checkpoint holds the mirror.
    }

    @Override
    public List<DashboardState> snapshotState(long checkpointId) {
        return List.of(client.state());
    }

    @Override
    public void close() {
        client.close();
    }
}
