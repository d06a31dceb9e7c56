package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardServer;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.history.HistoryOptions;
import io.streamviz.dashboard.history.HistoryStore;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Flink sink that shows a stream of {@link DashboardUpdate}s on a live dashboard.
 *
 * <p>The dashboard's state (last values, chart points, table rows) is part of each checkpoint, so
 * after a failure, a restart or an upgrade from a savepoint the dashboard shows exactly what it
 * showed at that checkpoint and continues from there; no chart starts empty.
 *
 * <p>In embedded mode the dashboard server runs inside the sink's task manager process, one per
 * port and process (see {@link EmbeddedDashboardServers}); run the sink with parallelism 1.
 *
 * <pre>{@code
 * updates.sinkTo(DashboardSink.embedded(dashboard).port(3000).build())
 *        .setParallelism(1).uid("dashboard-sink");
 * }</pre>
 *
 * <p>In remote mode ({@link #remote}) the sink publishes to a standalone dashboard server (the
 * launcher's {@code serve}) over its ingest WebSocket, described in {@link
 * io.streamviz.dashboard.internal.IngestProtocol}; the server keeps serving viewers while the job
 * restarts, and each restore sends the restored state to it. Both modes checkpoint the same state,
 * so a job can switch between them through a savepoint.
 */
public final class DashboardSink
        implements Sink<DashboardUpdate>, SupportsWriterState<DashboardUpdate, DashboardState> {
    private static final long serialVersionUID = 1L;

    private final Dashboard dashboard;
    private final int port;
    private final String bindAddress;
    private final String token;
    private final String defaultTheme;
    private final Duration staleAfter;
    private final HistoryOptions history;

    /** The ingest WebSocket of a standalone server; null in embedded mode. */
    private final URI remoteUri;

    private DashboardSink(Builder builder) {
        this.remoteUri = builder.remoteUri;
        this.dashboard = builder.dashboard;
        this.port = builder.port;
        this.bindAddress = builder.bindAddress;
        this.token = builder.token;
        this.defaultTheme = builder.defaultTheme;
        this.staleAfter = builder.staleAfter;
        this.history = builder.history;
    }

    /** A sink whose dashboard server runs in the task manager that runs the sink. */
    public static Builder embedded(Dashboard dashboard) {
        return new Builder(dashboard);
    }

    /**
     * A sink that publishes to the standalone dashboard server at {@code ingestUri}, such as {@code
     * ws://dashboard:3000/ingest}; {@link Builder#token} is then the server's token. Port, bind
     * address, theme and staleness are the server's own settings there.
     */
    public static Builder remote(Dashboard dashboard, URI ingestUri) {
        Builder builder = new Builder(dashboard);
        builder.remoteUri = Objects.requireNonNull(ingestUri, "ingestUri");
        return builder;
    }

    @Override
    public StatefulSinkWriter<DashboardUpdate, DashboardState> createWriter(
            WriterInitContext context) {
        if (remoteUri != null) {
            return remoteWriter(context, null);
        }
        return new DashboardSinkWriter(server(), null, context.getRestoredCheckpointId());
    }

    @Override
    public StatefulSinkWriter<DashboardUpdate, DashboardState> restoreWriter(
            WriterInitContext context, Collection<DashboardState> recoveredState) {
        if (remoteUri != null) {
            return remoteWriter(context, latest(recoveredState));
        }
        return new DashboardSinkWriter(
                server(), latest(recoveredState), context.getRestoredCheckpointId());
    }

    private RemoteDashboardSinkWriter remoteWriter(
            WriterInitContext context, DashboardState restored) {
        return new RemoteDashboardSinkWriter(
                dashboard,
                remoteUri,
                token,
                "dashboard-sink-" + context.getTaskInfo().getIndexOfThisSubtask(),
                restored,
                context.getRestoredCheckpointId());
    }

    /** Whether this sink publishes to a standalone server rather than running one. */
    public boolean isRemote() {
        return remoteUri != null;
    }

    @Override
    public SimpleVersionedSerializer<DashboardState> getWriterStateSerializer() {
        return new DashboardStateSerializer();
    }

    /**
     * The embedded server this sink feeds, started if this JVM runs none on its port yet. A
     * launcher that runs the job in its own process may call it before the job starts, so that the
     * dashboard is up (and a taken port reported) before Flink is.
     */
    public DashboardServer startEmbeddedServer() {
        if (remoteUri != null) {
            throw new IllegalStateException(
                    "dashboard sink publishes to " + remoteUri + ", it runs no server of its own");
        }
        return EmbeddedDashboardServers.obtain(
                port,
                () ->
                        DashboardServer.builder()
                                .dashboard(dashboard)
                                .port(port)
                                .bindAddress(bindAddress)
                                .token(token)
                                .defaultTheme(defaultTheme)
                                .staleAfter(staleAfter)
                                .history(openHistory())
                                .build());
    }

    /**
     * The history database the embedded server preloads from and answers queries from, with its
     * retention running; null without one.
     */
    private HistoryStore openHistory() {
        if (history == null) {
            return null;
        }
        HistoryStore store = HistoryStore.open(history.jdbcUrl());
        store.startRetention(history.retention());
        return store;
    }

    private DashboardServer server() {
        return startEmbeddedServer();
    }

    /** Options of the dashboard sink; validated by {@link #build()}. */
    public static final class Builder {
        private final Dashboard dashboard;
        private int port = 3000;
        private String bindAddress = "0.0.0.0";
        private String token;
        private String defaultTheme = DashboardServer.DEFAULT_THEME;
        private Duration staleAfter = DashboardServer.DEFAULT_STALE_AFTER;
        private HistoryOptions history;
        private URI remoteUri;

        private Builder(Dashboard dashboard) {
            this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /** The token viewers (embedded) or this sink (remote) must present; null for none. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** "dark" or "light": the page's theme when the viewer asks for none. */
        public Builder defaultTheme(String defaultTheme) {
            this.defaultTheme = defaultTheme;
            return this;
        }

        /** How old a widget's value may get before the page marks it stale. */
        public Builder staleAfter(Duration staleAfter) {
            this.staleAfter = staleAfter;
            return this;
        }

        /**
         * The history database the embedded server preloads from and answers history queries from,
         * when this sink starts it; null (the default) for none. The rows themselves are written by
         * {@link DashboardHistory}.
         */
        public Builder history(HistoryOptions history) {
            this.history = history;
            return this;
        }

        public DashboardSink build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(
                        "dashboard port must be from 0 to 65535, was " + port);
            }
            if (bindAddress == null || bindAddress.isBlank()) {
                throw new IllegalArgumentException("dashboard bind address must not be empty");
            }
            if (remoteUri != null
                    && !"ws".equals(remoteUri.getScheme())
                    && !"wss".equals(remoteUri.getScheme())) {
                throw new IllegalArgumentException(
                        "dashboard server URL must start with ws:// or wss://, was " + remoteUri);
            }
            return new DashboardSink(this);
        }
    }

    private static DashboardState latest(Collection<DashboardState> states) {
        // One writer, one state. More appear only if the sink ran with parallelism > 1, which
        // neither mode supports (each writer would replace the other's widgets); the last one is
        // then as good as any.
        DashboardState latest = null;
        for (DashboardState state : states) {
            latest = state;
        }
        return latest;
    }

    static IOException unreadableState(Exception cause) {
        return new IOException("cannot read the dashboard state of a checkpoint", cause);
    }
}
