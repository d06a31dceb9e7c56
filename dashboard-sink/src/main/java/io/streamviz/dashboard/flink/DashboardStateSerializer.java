package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.DashboardState;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Stores the dashboard's state in checkpoints. {@link DashboardState#toBytes()} carries its own
 * format version, so this serializer's version only changes if the framing around it does.
 */
final class DashboardStateSerializer implements SimpleVersionedSerializer<DashboardState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(DashboardState state) {
        return state.toBytes();
    }

    @Override
    public DashboardState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "dashboard state of serializer version "
                            + version
                            + " is not readable by this version ("
                            + VERSION
                            + ")");
        }
        try {
            return DashboardState.fromBytes(serialized);
        } catch (RuntimeException e) {
            throw DashboardSink.unreadableState(e);
        }
    }
}
