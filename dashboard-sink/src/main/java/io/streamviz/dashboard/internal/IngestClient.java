package io.streamviz.dashboard.internal;

import io.streamviz.dashboard.ChartPointUpdate;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.TableRowDelete;
import io.streamviz.dashboard.TableRowUpsert;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a dashboard's updates to a remote dashboard server over {@link IngestProtocol}, and
 * keeps a mirror of the dashboard's state, which is what the sink checkpoints.
 *
 * <p>The caller's thread only applies an update to the mirror and puts it into a pending buffer;
 * one sender thread connects, batches and sends. While the server is unreachable the buffer
 * conflates: it keeps the newest update per stat or gauge, chart point and table row, so its size
 * is bounded by the dashboard, not by the time spent disconnected. Past {@link
 * #MAX_PENDING_UPDATES} (a chart that keeps getting new points) it is dropped and the next message
 * is the mirror's whole state instead. Sent but unacknowledged messages are kept, at most {@link
 * #MAX_UNACKED_MESSAGES}, and sent again after a reconnect when the server has not applied them.
 */
public final class IngestClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestClient.class);

    static final int MAX_PENDING_UPDATES = 50_000;
    static final int MAX_UNACKED_MESSAGES = 16;
    private static final int MAX_UPDATES_PER_MESSAGE = 1_000;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final URI uri;
    private final String token;
    private final String epoch;
    private final WidgetStore mirror;
    private final HttpClient http;
    private final Thread sender;

    private final Object lock = new Object();

    /** Conflated updates not yet in a message, by conflation key; guarded by lock. */
    private final LinkedHashMap<String, DashboardUpdate> pending = new LinkedHashMap<>();

    /** Whether the next message must be the whole state; guarded by lock. */
    private boolean stateNeeded;

    /** Sent or to be sent, not yet acknowledged, in seq order; guarded by lock. */
    private final Deque<Outgoing> unacked = new ArrayDeque<>();

    /** Guarded by lock. */
    private long nextSeq = 1;

    /** The highest seq the server acknowledged; guarded by lock. */
    private long highestAcked;

    /** Guarded by lock. */
    private boolean closed;

    /** The open connection; null while disconnected. Only the sender thread sets it. */
    private volatile Connection connection;

    private record Outgoing(long seq, String text) {}

    /**
     * @param restored the state to start from, sent to the server before any update; null to start
     *     empty and leave what the server shows as it is
     * @param token sent as a bearer token; null for none
     */
    public IngestClient(
            Dashboard dashboard, URI uri, String token, DashboardState restored, String name) {
        this.uri = uri;
        this.token = token;
        this.epoch = name + "-" + UUID.randomUUID();
        this.mirror = new WidgetStore(dashboard);
        this.http = HttpClient.newBuilder().connectTimeout(REPLY_TIMEOUT).build();
        if (restored != null) {
            mirror.restore(restored);
            stateNeeded = true;
        }
        this.sender = new Thread(this::sendLoop, "streamviz-ingest-" + name);
        sender.setDaemon(true);
        sender.start();
    }

    /** This writer's epoch, as the server's ledger knows it. */
    public String epoch() {
        return epoch;
    }

    /**
     * Applies {@code update} to the mirror and queues it for the server; never blocks on the
     * network.
     *
     * @throws IllegalArgumentException if the update does not fit the dashboard
     */
    public void accept(DashboardUpdate update) {
        synchronized (lock) {
            // Under the lock: a whole-state message taken now must hold either both the mirror's
            // change and no pending copy, or neither.
            mirror.apply(update);
            if (stateNeeded) {
                return;
            }
            pending.put(conflationKey(update), update);
            if (pending.size() > MAX_PENDING_UPDATES) {
                LOG.warn(
                        "Ingest buffer for {} exceeded {} updates; the whole state follows instead",
                        uri,
                        MAX_PENDING_UPDATES);
                pending.clear();
                stateNeeded = true;
            }
            lock.notifyAll();
        }
    }

    /** Adds a marker to the mirror, and sends the whole state so that the server shows it too. */
    public void addMarker(DashboardState.Marker marker) {
        synchronized (lock) {
            mirror.addMarker(marker);
            pending.clear();
            stateNeeded = true;
            lock.notifyAll();
        }
    }

    /** The mirror's state, which is what the server shows once everything is acknowledged. */
    public DashboardState state() {
        return mirror.state();
    }

    /** Whether everything accepted so far was acknowledged by the server. */
    public boolean drained() {
        synchronized (lock) {
            return pending.isEmpty() && !stateNeeded && unacked.isEmpty();
        }
    }

    private static String conflationKey(DashboardUpdate update) {
        if (update instanceof ChartPointUpdate point) {
            return "point\u0000" + point.widgetId() + "\u0000" + point.timestampMs();
        }
        if (update instanceof TableRowUpsert upsert) {
            return "row\u0000" + upsert.widgetId() + "\u0000" + upsert.key();
        }
        if (update instanceof TableRowDelete delete) {
            return "row\u0000" + delete.widgetId() + "\u0000" + delete.key();
        }
        return "value\u0000" + update.widgetId();
    }

    private void sendLoop() {
        Duration backoff = FIRST_BACKOFF;
        while (!isClosed()) {
            Connection current = connection;
            if (current == null || current.broken()) {
                current = connect();
                if (current == null) {
                    waitQuietly(backoff);
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                    continue;
                }
                backoff = FIRST_BACKOFF;
                connection = current;
            }
            Outgoing next = nextMessage();
            if (next != null && !current.send(next.text())) {
                current.abort();
            }
        }
        Connection last = connection;
        if (last != null) {
            last.close();
        }
    }

    /** Connects, says hello and sends again what the server has not applied; null on failure. */
    private Connection connect() {
        Connection connection = new Connection();
        try {
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(REPLY_TIMEOUT);
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            connection.socket =
                    builder.buildAsync(uri, connection)
                            .get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!connection.send(IngestProtocol.hello(epoch))) {
                connection.abort();
                return null;
            }
            long acked = connection.welcome.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<Outgoing> resend;
            synchronized (lock) {
                if (acked < highestAcked) {
                    // The server forgot what it applied (it restarted without its data): only the
                    // whole state brings it back, and it covers everything buffered.
                    LOG.warn(
                            "Dashboard server {} lost this writer's updates up to {}; sending the"
                                    + " whole state",
                            uri,
                            highestAcked);
                    unacked.clear();
                    pending.clear();
                    stateNeeded = true;
                }
                acknowledge(acked);
                resend = new ArrayList<>(unacked);
            }
            for (Outgoing outgoing : resend) {
                if (!connection.send(outgoing.text())) {
                    connection.abort();
                    return null;
                }
            }
            LOG.info(
                    "Publishing the dashboard to {} (epoch {}, {} messages sent again)",
                    uri,
                    epoch,
                    resend.size());
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.abort();
            return null;
        } catch (Exception e) {
            // Routine while the server restarts: retried with back-off, logged once per attempt.
            LOG.info("Dashboard server {} not reachable, retrying: {}", uri, e.toString());
            connection.abort();
            return null;
        }
    }

    /** Waits up to 100 ms for something to send and room in the window; null if nothing. */
    private Outgoing nextMessage() {
        synchronized (lock) {
            if (!stateNeeded && pending.isEmpty() || unacked.size() >= MAX_UNACKED_MESSAGES) {
                waitOnLock(100);
            }
            if (closed && !stateNeeded && pending.isEmpty()
                    || unacked.size() >= MAX_UNACKED_MESSAGES) {
                return null;
            }
            Outgoing outgoing;
            if (stateNeeded) {
                outgoing =
                        new Outgoing(nextSeq, IngestProtocol.state(epoch, nextSeq, mirror.state()));
                stateNeeded = false;
            } else if (!pending.isEmpty()) {
                List<DashboardUpdate> batch = new ArrayList<>();
                var entries = pending.entrySet().iterator();
                while (entries.hasNext() && batch.size() < MAX_UPDATES_PER_MESSAGE) {
                    batch.add(entries.next().getValue());
                    entries.remove();
                }
                outgoing = new Outgoing(nextSeq, IngestProtocol.updates(epoch, nextSeq, batch));
            } else {
                return null;
            }
            nextSeq++;
            unacked.addLast(outgoing);
            return outgoing;
        }
    }

    /** Guarded by lock. */
    private void acknowledge(long seq) {
        highestAcked = Math.max(highestAcked, seq);
        while (!unacked.isEmpty() && unacked.peekFirst().seq() <= seq) {
            unacked.removeFirst();
        }
        lock.notifyAll();
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed && (drained() || connection == null);
        }
    }

    private void waitOnLock(long ms) {
        try {
            lock.wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitQuietly(Duration duration) {
        synchronized (lock) {
            if (!closed) {
                waitOnLock(duration.toMillis());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Stops publishing. Waits a few seconds for the server to acknowledge what is buffered, so that
     * a job stopping normally leaves the server showing its last figures.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + CLOSE_DRAIN_TIMEOUT.toNanos();
        synchronized (lock) {
            while (!drained() && connection != null && System.nanoTime() < deadline) {
                waitOnLock(50);
            }
            closed = true;
            pending.clear();
            stateNeeded = false;
            unacked.clear();
            lock.notifyAll();
        }
        try {
            sender.join(REPLY_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One WebSocket connection; its listener runs on the HTTP client's threads. */
    private final class Connection implements WebSocket.Listener {
        final CompletableFuture<Long> welcome = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean broken;

        /** Set once built; only the sender thread uses it to send. */
        volatile WebSocket socket;

        boolean broken() {
            return broken;
        }

        /** Sends one message and waits until it is written; false if the connection broke. */
        boolean send(String text) {
            if (broken || socket == null) {
                return false;
            }
            try {
                socket.sendText(text, true).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                LOG.info("Lost the dashboard server {}: {}", uri, e.toString());
                broken = true;
                return false;
            }
        }

        void abort() {
            broken = true;
            welcome.completeExceptionally(new IllegalStateException("connection aborted"));
            if (socket != null) {
                socket.abort();
            }
        }

        void close() {
            if (socket != null && !broken) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "writer closed");
            }
            abort();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                handle(text);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(String text) {
            IngestProtocol.Message message;
            try {
                message = IngestProtocol.parse(text);
            } catch (RuntimeException e) {
                LOG.warn("Unreadable message from dashboard server {}: {}", uri, e.getMessage());
                return;
            }
            switch (message.type()) {
                case "welcome" -> welcome.complete(message.acked());
                case "ack" -> {
                    synchronized (lock) {
                        acknowledge(message.seq());
                    }
                }
                case "error" ->
                        LOG.warn(
                                "Dashboard server {} refused this writer: {}",
                                uri,
                                message.error());
                default -> LOG.debug("Ignoring '{}' from dashboard server {}", message.type(), uri);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            LOG.info("Dashboard server {} closed the connection ({} {})", uri, statusCode, reason);
            broken = true;
            welcome.completeExceptionally(new IllegalStateException("closed: " + reason));
            wakeSender();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            LOG.info("Connection to dashboard server {} failed: {}", uri, error.toString());
            broken = true;
            welcome.completeExceptionally(error);
            wakeSender();
        }

        private void wakeSender() {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }
}
