package io.streamviz.dashboard;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamviz.dashboard.history.HistoryStore;
import io.streamviz.dashboard.history.PreloadMerge;
import io.streamviz.dashboard.internal.Broadcaster;
import io.streamviz.dashboard.internal.ClientStats;
import io.streamviz.dashboard.internal.DashboardChannelInitializer;
import io.streamviz.dashboard.internal.PageSettings;
import io.streamviz.dashboard.internal.ServerMetrics;
import io.streamviz.dashboard.internal.WidgetStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one {@link Dashboard} over HTTP and WebSocket, and takes its updates.
 *
 * <p>Routes: {@code GET /} the page, {@code /embed/{id}} one widget alone, {@code /embed} every
 * widget with its iframe snippet, {@code /ws} the WebSocket, {@code /api/widgets} the dashboard's
 * specs, {@code /api/snapshot} every widget's state, {@code /healthz}, {@code /metrics} (Prometheus
 * text format, names in {@link ServerMetrics}), the page's assets under {@code /assets/}, and
 * {@code /ingest}, the WebSocket a job's remote sink publishes to (protocol in {@link
 * io.streamviz.dashboard.internal.IngestProtocol}). With a token, every route but {@code /healthz}
 * needs {@code Authorization: Bearer <token>} or {@code ?token=<token>}.
 *
 * <p>WebSocket protocol: text frames, one JSON object each, server to viewer only. Every message
 * has a {@code seq} that increases strictly on each connection (it may skip numbers).
 *
 * <ul>
 *   <li>First, and again whenever the viewer must start over (after it fell behind, or the state
 *       was restored): {@code {"type": "snapshot", "seq": N, "dashboard": <as /api/widgets>,
 *       "widgets": <as the "widgets" of /api/snapshot>, "markers": [{"ts", "label"}, …]}}. It
 *       replaces everything the viewer holds, so a late viewer gets all current values and each
 *       chart's whole history at once. Each widget with a state also has {@code "age_ms"}: how long
 *       ago it last changed.
 *   <li>Then, at most once per conflation interval and only when something changed (a change after
 *       a quiet interval goes out within a few milliseconds): {@code {"type": "update", "seq": N,
 *       "updates": [...]}} with one entry per changed widget, and {@code "markers"} with every
 *       marker when they changed:
 *       <ul>
 *         <li>{@code {"id", "type": "stat"|"gauge", "value", "ts", "previous", "delta", "alert"}},
 *             {@code previous} and {@code delta} only once there was an earlier value, {@code
 *             alert} {@code "above"}, {@code "below"} or null;
 *         <li>{@code {"id", "type": "chart", "points": [[ts, value], …]}}: points added or
 *             replaced, by timestamp; the viewer drops the oldest beyond {@code maxPoints};
 *         <li>{@code {"id", "type": "table", "upsert": {key: row, …}, "delete": [key, …]}}, or
 *             {@code {"id", "type": "table", "rows": {key: row, …}}} to replace all rows.
 *       </ul>
 * </ul>
 *
 * <p>Updates are conflated: within one interval only the newest value of a stat or gauge, of each
 * chart point and of each table row is sent, and a delete wins over an older upsert. A viewer that
 * cannot keep up gets no updates until it drains, then a fresh snapshot; one that stays stalled is
 * disconnected (the policy is stated on {@link io.streamviz.dashboard.internal.Broadcaster}).
 *
 * <p>Thread-safety: {@link #accept}, {@link #markRestored}, {@link #snapshotState} and {@link
 * #restoreState} may be calledfrom any thread at any time, before or after {@link #start}.
 */
public final class DashboardServer implements DashboardIngest, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    public static final int DEFAULT_PORT = 3000;
    public static final Duration DEFAULT_CONFLATION_INTERVAL = Duration.ofMillis(50);
    public static final int DEFAULT_CLIENT_QUEUE_LIMIT = 256;
    public static final Duration DEFAULT_SLOW_CLIENT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(10);
    public static final String DEFAULT_THEME = "dark";

    private static final int IO_THREADS = 2;

    private final Dashboard dashboard;
    private final int requestedPort;
    private final String bindAddress;
    private final String token;
    private final PageSettings pageSettings;
    private final WidgetStore store;
    private final Broadcaster broadcaster;
    private final ServerMetrics metrics = new ServerMetrics();

    /** Null when the dashboard keeps no history. */
    private final HistoryStore history;

    /**
     * True from a preload until the first update or restore: while it holds, what the store shows
     * came from the database only, and a restored checkpoint is merged with it.
     */
    private volatile boolean showsOnlyPreloaded;

    private final Object lifecycleLock = new Object();

    /** Null until started; guarded by lifecycleLock. */
    private EventLoopGroup eventLoops;

    /** Null until started; guarded by lifecycleLock. */
    private Channel serverChannel;

    private boolean closed;

    /** The bound port; -1 until started. */
    private volatile int port = -1;

    private DashboardServer(Builder builder) {
        this.dashboard = builder.dashboard;
        this.requestedPort = builder.port;
        this.bindAddress = builder.bindAddress;
        this.token = builder.token;
        this.pageSettings = new PageSettings(builder.defaultTheme, builder.staleAfter.toMillis());
        this.store = new WidgetStore(dashboard, metrics);
        this.history = builder.history;
        this.broadcaster =
                new Broadcaster(
                        dashboard,
                        store,
                        builder.conflationInterval,
                        builder.clientQueueLimit,
                        builder.slowClientTimeout,
                        metrics);
        store.onChange(broadcaster::changed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving; returns once the server is listening.
     *
     * @throws UncheckedIOException if the address cannot be bound, e.g. the port is in use
     * @throws IllegalStateException if already started or closed
     */
    public DashboardServer start() {
        synchronized (lifecycleLock) {
            if (closed || serverChannel != null) {
                throw new IllegalStateException(
                        "dashboard server was already " + (closed ? "closed" : "started"));
            }
            if (history != null) {
                preload();
            }
            DashboardChannelInitializer initializer =
                    new DashboardChannelInitializer(
                            dashboard, store, broadcaster, token, pageSettings, history, metrics);
            eventLoops =
                    new MultiThreadIoEventLoopGroup(
                            IO_THREADS,
                            new DefaultThreadFactory("streamviz-dashboard-io", true),
                            NioIoHandler.newFactory());
            ServerBootstrap bootstrap =
                    new ServerBootstrap()
                            .group(eventLoops)
                            .channel(NioServerSocketChannel.class)
                            .childOption(
                                    ChannelOption.WRITE_BUFFER_WATER_MARK,
                                    initializer.writeBufferWaterMark())
                            .childOption(ChannelOption.TCP_NODELAY, true)
                            .childHandler(initializer);
            try {
                serverChannel =
                        bootstrap.bind(bindAddress, requestedPort).syncUninterruptibly().channel();
            } catch (Exception e) {
                // Netty rethrows the bind's checked exception (a BindException) undeclared.
                eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
                eventLoops = null;
                throw bindFailure(e);
            }
            port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
            broadcaster.start();
        }
        LOG.info(
                "Dashboard '{}' listening on http://{}:{}/{}",
                dashboard.title(),
                bindAddress,
                port,
                token == null ? "" : " (token required)");
        return this;
    }

    /** Before viewers can connect: the newest stored values, so nothing starts empty. */
    private void preload() {
        try {
            DashboardState stored = history.latest(dashboard);
            store.restore(stored);
            showsOnlyPreloaded = true;
            LOG.info(
                    "Dashboard '{}' preloaded {} widgets from the history database",
                    dashboard.title(),
                    stored.widgets().size());
        } catch (Exception e) {
            // The live dashboard must come up without its database; the job fills it again.
            LOG.warn(
                    "Dashboard '{}' starts without history: cannot read {}: {}",
                    dashboard.title(),
                    history.jdbcUrl(),
                    e.toString());
        }
    }

    private RuntimeException bindFailure(Exception e) {
        String where = bindAddress + ":" + requestedPort;
        if (e instanceof IOException io) {
            return new UncheckedIOException(
                    "cannot listen on " + where + ": " + io.getMessage(), io);
        }
        return new IllegalStateException("cannot listen on " + where, e);
    }

    /** The port the server listens on, which is the chosen one when built with port 0. */
    public int port() {
        int bound = port;
        if (bound < 0) {
            throw new IllegalStateException("dashboard server is not started");
        }
        return bound;
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    @Override
    public void accept(DashboardUpdate update) {
        showsOnlyPreloaded = false;
        store.apply(update);
    }

    /** Every widget's state now. */
    public DashboardState snapshotState() {
        return store.state();
    }

    /**
     * Replaces every widget's state with {@code state}: widgets it lacks become empty, and its
     * widgets that this dashboard lacks or types differently are skipped with a warning. Viewers
     * get a fresh snapshot.
     *
     * <p>Exception: when the server shows only what it preloaded from its history database (no
     * update arrived since), {@code state} is merged with that instead, the newer value winning per
     * widget, chart point and table row ({@link PreloadMerge}).
     */
    public void restoreState(DashboardState state) {
        if (state == null) {
            throw new IllegalArgumentException(
                    "state must not be null, use DashboardState.empty()");
        }
        if (showsOnlyPreloaded) {
            // Nothing live arrived since the preload: keep whatever the database has that is
            // newer than the checkpoint (see PreloadMerge for the rule).
            showsOnlyPreloaded = false;
            state = PreloadMerge.newerWins(dashboard, store.state(), state);
        }
        store.restore(state);
        broadcaster.resyncAll();
        LOG.info("Dashboard '{}' restored {} widgets", dashboard.title(), state.widgets().size());
    }

    /**
     * Adds a marker that charts draw as a vertical line labelled {@code label} at {@code
     * timestampMs}, such as {@code "restored from checkpoint 41"} when a job recovers. The newest
     * {@value DashboardState#MAX_MARKERS} are kept in the state, so they are checkpointed with it;
     * viewers get them with the next update.
     */
    public void markRestored(String label, long timestampMs) {
        store.addMarker(new DashboardState.Marker(timestampMs, label));
    }

    /** Stops serving and waits for the server's threads to end. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (closed) {
                return;
            }
            closed = true;
            broadcaster.close();
            if (history != null) {
                history.close();
            }
            if (eventLoops == null) {
                return;
            }
            serverChannel.close().syncUninterruptibly();
            // Closes every open connection; waits for the event loop threads to end.
            eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        LOG.info("Dashboard '{}' on port {} stopped", dashboard.title(), port);
    }

    /** The WebSocket viewers' outgoing queues; for tests. */
    List<ClientStats> clientStats() {
        return broadcaster.clientStats();
    }

    public static final class Builder {
        private Dashboard dashboard;
        private int port = DEFAULT_PORT;
        private String bindAddress = "0.0.0.0";
        private String token;
        private Duration conflationInterval = DEFAULT_CONFLATION_INTERVAL;
        private int clientQueueLimit = DEFAULT_CLIENT_QUEUE_LIMIT;
        private Duration slowClientTimeout = DEFAULT_SLOW_CLIENT_TIMEOUT;
        private String defaultTheme = DEFAULT_THEME;
        private Duration staleAfter = DEFAULT_STALE_AFTER;
        private HistoryStore history;

        private Builder() {}

        /**
         * The history database: the server preloads the newest stored state before it accepts
         * viewers, answers {@code /api/history/{id}} and {@code /api/snapshot?at=} from it, and
         * closes it on {@link #close()}. Null (the default) for none.
         */
        public Builder history(HistoryStore history) {
            this.history = history;
            return this;
        }

        /** Required. */
        public Builder dashboard(Dashboard dashboard) {
            this.dashboard = dashboard;
            return this;
        }

        /** Default 3000; 0 picks a free port, see {@link DashboardServer#port()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Default {@code 0.0.0.0}, every interface. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /** The token viewers and API clients must present; null (the default) for none. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** How often viewers get the changes, newest values only; 1 ms to 10 s, default 50 ms. */
        public Builder conflationInterval(Duration conflationInterval) {
            this.conflationInterval = conflationInterval;
            return this;
        }

        /**
         * Frames that may wait for one viewer's socket before it counts as fallen behind and is
         * resynced with a snapshot once it drains; 2 to 65,536, default 256.
         */
        public Builder clientQueueLimit(int clientQueueLimit) {
            this.clientQueueLimit = clientQueueLimit;
            return this;
        }

        /** How long a fallen-behind viewer may stay unwritable before it is disconnected. */
        public Builder slowClientTimeout(Duration slowClientTimeout) {
            this.slowClientTimeout = slowClientTimeout;
            return this;
        }

        /** The page's theme, {@code "dark"} (default) or {@code "light"}; {@code ?theme=} wins. */
        public Builder defaultTheme(String defaultTheme) {
            this.defaultTheme = defaultTheme;
            return this;
        }

        /** A widget whose value is older than this shows its age on the page; default 10 s. */
        public Builder staleAfter(Duration staleAfter) {
            this.staleAfter = staleAfter;
            return this;
        }

        public DashboardServer build() {
            if (dashboard == null) {
                throw new IllegalArgumentException("dashboard server: dashboard is required");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(
                        "dashboard server: port must be between 0 and 65535, was " + port);
            }
            if (bindAddress == null || bindAddress.isBlank()) {
                throw new IllegalArgumentException(
                        "dashboard server: bindAddress must not be blank");
            }
            if (token != null && token.isBlank()) {
                throw new IllegalArgumentException(
                        "dashboard server: token must not be blank; pass null for no token");
            }
            if (conflationInterval == null
                    || conflationInterval.compareTo(Duration.ofMillis(1)) < 0
                    || conflationInterval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException(
                        "dashboard server: conflationInterval must be between 1 ms and 10 s, was "
                                + conflationInterval);
            }
            if (clientQueueLimit < 2 || clientQueueLimit > 65_536) {
                throw new IllegalArgumentException(
                        "dashboard server: clientQueueLimit must be between 2 and 65536, was "
                                + clientQueueLimit);
            }
            if (slowClientTimeout == null
                    || slowClientTimeout.isNegative()
                    || slowClientTimeout.isZero()) {
                throw new IllegalArgumentException(
                        "dashboard server: slowClientTimeout must be positive, was "
                                + slowClientTimeout);
            }
            if (!"dark".equals(defaultTheme) && !"light".equals(defaultTheme)) {
                throw new IllegalArgumentException(
                        "dashboard server: defaultTheme must be \"dark\" or \"light\", was "
                                + defaultTheme);
            }
            if (staleAfter == null || staleAfter.toMillis() < 1) {
                throw new IllegalArgumentException(
                        "dashboard server: staleAfter must be at least 1 ms, was " + staleAfter);
            }
            return new DashboardServer(this);
        }
    }
}
