package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardServer;
import io.streamviz.dashboard.history.HistoryOptions;
import io.streamviz.dashboard.history.HistoryStore;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard servers running in this JVM, one per port.
 *
 * <p>A server outlives the sink writers that use it: when Flink restarts a failed task, the new
 * writer finds the same server, so viewers stay connected and see the dashboard jump back to the
 * restored checkpoint instead of losing their connection. Servers stop with {@link #closeAll()}
 * (the launcher and tests call it) or with the JVM.
 */
public final class EmbeddedDashboardServers {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDashboardServers.class);

    /** Guarded by the class lock. */
    private static final Map<Integer, DashboardServer> SERVERS = new HashMap<>();

    private EmbeddedDashboardServers() {}

    /**
     * Returns the server on {@code port}, starting it if this JVM runs none there yet. Port 0
     * cannot be shared (each call would get a new server), so it is refused.
     */
    public static synchronized DashboardServer obtain(
            Dashboard dashboard, int port, String bindAddress, String token) {
        return obtain(dashboard, port, bindAddress, token, null);
    }

    /**
     * As {@link #obtain(Dashboard, int, String, String)}; a server started here with {@code
     * history} (null for none) preloads from that database, answers history queries from it and
     * applies its retention. A server already running keeps what it was started with.
     */
    public static synchronized DashboardServer obtain(
            Dashboard dashboard,
            int port,
            String bindAddress,
            String token,
            HistoryOptions history) {
        if (port == 0) {
            throw new IllegalArgumentException(
                    "an embedded dashboard needs a fixed port to be found again after a restart");
        }
        DashboardServer server = SERVERS.get(port);
        if (server == null) {
            HistoryStore store = history == null ? null : HistoryStore.open(history.jdbcUrl());
            server =
                    DashboardServer.builder()
                            .dashboard(dashboard)
                            .port(port)
                            .bindAddress(bindAddress)
                            .token(token)
                            .history(store)
                            .build();
            server.start();
            if (store != null) {
                store.startRetention(history.retention());
            }
            SERVERS.put(port, server);
            LOG.info("Dashboard listening on http://{}:{}/", bindAddress, server.port());
        } else if (!server.dashboard().title().equals(dashboard.title())) {
            throw new IllegalStateException(
                    "port "
                            + port
                            + " already serves dashboard '"
                            + server.dashboard().title()
                            + "', not '"
                            + dashboard.title()
                            + "'");
        }
        return server;
    }

    /** The server on {@code port}, or null. */
    public static synchronized DashboardServer running(int port) {
        return SERVERS.get(port);
    }

    /** Stops every server of this JVM. */
    public static synchronized void closeAll() {
        for (DashboardServer server : SERVERS.values()) {
            server.close();
        }
        SERVERS.clear();
    }
}
