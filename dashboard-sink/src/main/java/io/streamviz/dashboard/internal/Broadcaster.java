package io.streamviz.dashboard.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardState.Marker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the dashboard to its WebSocket viewers from one thread. Once per conflation interval it
 * drains the store's changes, serializes them into one frame, encodes that frame's WebSocket bytes
 * once, and hands the same buffer to every viewer: one task per event loop writes and flushes it to
 * all the viewers that loop serves. Viewers that connect at about the same time share one snapshot,
 * which they get before any update. Every write for a viewer goes through its event loop's task
 * queue in the order this thread made it, so each viewer receives frames in {@code seq} order, and
 * its snapshot precedes the updates that follow it.
 *
 * <p>Promptness. Frames go out at most once per conflation interval, but not on a fixed beat: a
 * change arriving after a quiet interval is sent {@link #GATHER_NANOS} later (long enough to gather
 * the other updates of the same burst), one arriving sooner waits only until a full interval has
 * passed since the last frame. A periodic tick, once per interval, catches anything else (viewers
 * to resume or drop, changes left over while the event loops were busy).
 *
 * <p>Overload. While the event loops have not yet run the previous frame's write tasks, a tick
 * sends nothing: changes stay conflated in the store and go out, merged, with the next frame. So
 * under load frames carry more changes each instead of queueing up in front of the sockets.
 *
 * <p>Slow viewers. Each viewer may have at most {@code clientQueueLimit} frames, and about {@link
 * ClientSession#WATER_MARK high water mark} bytes beyond a snapshot, waiting for its socket. A
 * viewer at that bound gets no further updates: it is marked lagging. Once its channel is writable
 * again, with at most half that many frames waiting, it gets a fresh snapshot, which replaces
 * everything it missed, and updates resume. A viewer that stays unwritable for {@code
 * slowClientTimeout}, or falls behind more than {@value #MAX_OVERFLOWS_PER_WINDOW} times within
 * {@link #OVERFLOW_WINDOW}, is disconnected. So the memory a viewer can pin is bounded whatever it
 * does, and a stalled viewer never delays the others: nothing here waits for a write.
 */
public final class Broadcaster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broadcaster.class);

    static final int MAX_OVERFLOWS_PER_WINDOW = 5;
    static final Duration OVERFLOW_WINDOW = Duration.ofMinutes(1);

    private final Dashboard dashboard;
    private final WidgetStore store;
    private final Duration conflationInterval;
    private final int clientQueueLimit;
    private final long slowClientTimeoutNanos;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final ServerMetrics metrics;

    /** Null until {@link #start()}. */
    private volatile ScheduledExecutorService executor;

    /** Viewers that had their first snapshot; only touched by the executor's thread. */
    private final Set<ClientSession> clients = new LinkedHashSet<>();

    /**
     * The same viewers, by the event loop that serves their channel, so that one task per loop
     * writes a frame to all of its viewers; only touched by the executor's thread.
     */
    private final Map<EventLoop, Set<ClientSession>> clientsByLoop = new LinkedHashMap<>();

    /** Viewers waiting for their first snapshot; only touched by the executor's thread. */
    private final Set<ClientSession> joining = new LinkedHashSet<>();

    /** Write tasks handed to event loops that have not finished yet. */
    private final AtomicInteger writeTasksPending = new AtomicInteger();

    /** Last seq sent; only touched by the executor's thread. */
    private long seq;

    /**
     * How long a change that finds the viewers idle waits for the rest of its burst: a job's
     * figures for one moment arrive as several updates within a millisecond or two.
     */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final long conflationNanos;

    /** When the last update frame went out ({@code System.nanoTime()}); written by the executor. */
    private volatile long lastBroadcastNanos;

    /** Whether a prompt tick is scheduled; set by whoever schedules it, cleared when it runs. */
    private final AtomicBoolean promptTickScheduled = new AtomicBoolean();

    public Broadcaster(
            Dashboard dashboard,
            WidgetStore store,
            Duration conflationInterval,
            int clientQueueLimit,
            Duration slowClientTimeout,
            ServerMetrics metrics) {
        this.dashboard = dashboard;
        this.metrics = metrics;
        this.store = store;
        this.conflationInterval = conflationInterval;
        this.clientQueueLimit = clientQueueLimit;
        this.slowClientTimeoutNanos = slowClientTimeout.toNanos();
        this.conflationNanos = conflationInterval.toNanos();
        this.lastBroadcastNanos = System.nanoTime() - conflationNanos;
    }

    /**
     * Something changed in the store: schedules a tick for as soon as the conflation interval
     * allows, unless one is scheduled already. Called from any thread, after every update.
     */
    public void changed() {
        ScheduledExecutorService current = executor;
        if (current == null || !promptTickScheduled.compareAndSet(false, true)) {
            return;
        }
        long untilIntervalPassed = lastBroadcastNanos + conflationNanos - System.nanoTime();
        try {
            current.schedule(
                    this::promptTick,
                    Math.max(GATHER_NANOS, untilIntervalPassed),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            promptTickScheduled.set(false); // closing
        }
    }

    private void promptTick() {
        promptTickScheduled.set(false);
        tick();
    }

    public void start() {
        ScheduledExecutorService started =
                Executors.newSingleThreadScheduledExecutor(
                        new DefaultThreadFactory("streamviz-dashboard-broadcast", true));
        long periodNanos = conflationInterval.toNanos();
        started.scheduleWithFixedDelay(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        executor = started;
    }

    /**
     * Adds a viewer whose WebSocket handshake just completed; it gets a snapshot first, shared with
     * every viewer whose handshake completed before that snapshot was taken.
     */
    public void register(Channel channel) {
        runOnBroadcastThread(
                () -> {
                    if (!channel.isActive()) {
                        return;
                    }
                    ClientSession client = new ClientSession(channel, metrics);
                    if (joining.isEmpty()) {
                        // Queued behind the registrations already waiting, so they join it too.
                        runOnBroadcastThread(this::welcomeJoining);
                    }
                    joining.add(client);
                    channel.closeFuture()
                            .addListener(closed -> runOnBroadcastThread(() -> remove(client)));
                });
    }

    private void welcomeJoining() {
        List<ClientSession> welcomed = List.copyOf(joining);
        joining.clear();
        for (ClientSession client : welcomed) {
            clients.add(client);
            clientsByLoop
                    .computeIfAbsent(client.channel.eventLoop(), loop -> new LinkedHashSet<>())
                    .add(client);
        }
        metrics.viewers(clients.size());
        sendSnapshot(welcomed);
        LOG.debug("{} dashboard viewers connected, {} in all", welcomed.size(), clients.size());
    }

    /** Sends every viewer a fresh snapshot, as after the state was restored. */
    public void resyncAll() {
        runOnBroadcastThread(
                () -> {
                    List<ClientSession> live = new ArrayList<>();
                    for (ClientSession client : clients) {
                        // A lagging viewer gets its snapshot when it drains.
                        if (!client.isLagging()) {
                            live.add(client);
                        }
                    }
                    sendSnapshot(live);
                });
    }

    /** The viewers' queues as of now; waits for the broadcast thread, for at most 5 s. */
    public List<ClientStats> clientStats() {
        ScheduledExecutorService current = executor;
        if (current == null || current.isShutdown()) {
            return List.of();
        }
        try {
            return current.submit(() -> clients.stream().map(ClientSession::stats).toList())
                    .get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading viewer stats", e);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            throw new IllegalStateException("cannot read viewer stats", e);
        }
    }

    /** Stops the broadcast thread; the caller closes the channels. */
    @Override
    public void close() {
        ScheduledExecutorService current = executor;
        if (current == null) {
            return;
        }
        current.shutdownNow();
        try {
            if (!current.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Dashboard broadcast thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        // An exception escaping a scheduled task would silently end all later ticks.
        try {
            if (writeTasksPending.get() > 0) {
                // The event loops are still writing the last frame; what changed meanwhile
                // stays in the store and goes out with the next one.
                return;
            }
            long now = System.nanoTime();
            sendSnapshot(resumeOrDropLaggingClients(now));
            if (now - lastBroadcastNanos < conflationNanos) {
                // Too soon after the last frame: whatever changed goes out with a prompt tick
                // once the interval has passed.
                changed();
                return;
            }
            List<WidgetChange> changes = store.drainChanges();
            List<Marker> markers = store.drainMarkerChange();
            if ((!changes.isEmpty() || markers != null) && !clients.isEmpty()) {
                broadcast(changes, markers, now);
            }
        } catch (RuntimeException e) {
            LOG.error("Dashboard broadcast failed; trying again on the next tick", e);
        }
    }

    private void broadcast(List<WidgetChange> changes, List<Marker> markers, long now) {
        lastBroadcastNanos = now;
        ByteBuf payload = DashboardJson.updateMessage(alloc, ++seq, changes, markers);
        List<ClientSession> behind = new ArrayList<>();
        try (WebSocketTextFrame frame = WebSocketTextFrame.encode(alloc, payload)) {
            for (Map.Entry<EventLoop, Set<ClientSession>> served : clientsByLoop.entrySet()) {
                List<ClientSession> targets = new ArrayList<>(served.getValue().size());
                for (ClientSession client : served.getValue()) {
                    if (client.isLagging()) {
                        continue;
                    }
                    if (client.hasRoomForDelta(clientQueueLimit)) {
                        targets.add(client);
                    } else {
                        behind.add(client);
                    }
                }
                write(served.getKey(), targets, frame, false);
            }
        }
        for (ClientSession client : behind) {
            fellBehind(client, now);
        }
    }

    /** Hands {@code frame} to {@code loop}, which writes it to each of {@code targets}. */
    private void write(
            EventLoop loop,
            List<ClientSession> targets,
            WebSocketTextFrame frame,
            boolean snapshot) {
        if (targets.isEmpty()) {
            return;
        }
        ByteBuf wire = frame.wire().retain();
        int payloadBytes = frame.payloadBytes();
        writeTasksPending.incrementAndGet();
        try {
            loop.execute(
                    () -> {
                        try {
                            for (ClientSession client : targets) {
                                client.send(wire.retainedDuplicate(), payloadBytes, snapshot);
                            }
                        } finally {
                            wire.release();
                            writeTasksPending.decrementAndGet();
                        }
                    });
        } catch (RejectedExecutionException e) {
            // The server is closing; its channels close with the loop.
            wire.release();
            writeTasksPending.decrementAndGet();
        }
    }

    private void fellBehind(ClientSession client, long now) {
        int overflows = client.startLagging(now, OVERFLOW_WINDOW.toNanos());
        if (overflows > MAX_OVERFLOWS_PER_WINDOW) {
            disconnect(
                    client,
                    "fell behind "
                            + overflows
                            + " times within "
                            + OVERFLOW_WINDOW.toSeconds()
                            + " s");
            return;
        }
        LOG.debug(
                "{} dashboard viewer fell behind with {}; updates paused until it drains",
                client.channel,
                client.stats());
    }

    /** Returns the lagging viewers that drained and so get a snapshot now. */
    private List<ClientSession> resumeOrDropLaggingClients(long now) {
        List<ClientSession> lagging = new ArrayList<>();
        for (ClientSession client : clients) {
            if (client.isLagging()) {
                lagging.add(client);
            }
        }
        List<ClientSession> resumed = new ArrayList<>();
        for (ClientSession client : lagging) {
            if (client.hasDrained(clientQueueLimit)) {
                client.resume();
                metrics.viewerResynced();
                resumed.add(client);
            } else if (now - client.laggingSinceNanos() > slowClientTimeoutNanos) {
                disconnect(
                        client,
                        "stayed unwritable for longer than "
                                + Duration.ofNanos(slowClientTimeoutNanos).toMillis()
                                + " ms");
            }
        }
        return resumed;
    }

    /** Serializes one snapshot and writes it to each of {@code targets}. */
    private void sendSnapshot(Collection<ClientSession> targets) {
        if (targets.isEmpty()) {
            return;
        }
        ByteBuf payload =
                DashboardJson.snapshotMessage(
                        alloc,
                        ++seq,
                        dashboard,
                        store.state(),
                        store.agesMs(System.currentTimeMillis()));
        Map<EventLoop, List<ClientSession>> byLoop = new LinkedHashMap<>();
        for (ClientSession client : targets) {
            byLoop.computeIfAbsent(client.channel.eventLoop(), loop -> new ArrayList<>())
                    .add(client);
        }
        try (WebSocketTextFrame frame = WebSocketTextFrame.encode(alloc, payload)) {
            byLoop.forEach((loop, served) -> write(loop, served, frame, true));
        }
    }

    private void disconnect(ClientSession client, String reason) {
        LOG.warn(
                "Disconnecting dashboard viewer {}: it {}", client.channel.remoteAddress(), reason);
        remove(client);
        metrics.viewerDropped();
        client.channel.close();
    }

    private void remove(ClientSession client) {
        joining.remove(client);
        if (!clients.remove(client)) {
            return;
        }
        Set<ClientSession> served = clientsByLoop.get(client.channel.eventLoop());
        served.remove(client);
        if (served.isEmpty()) {
            clientsByLoop.remove(client.channel.eventLoop());
        }
        metrics.viewers(clients.size());
    }

    private void runOnBroadcastThread(Runnable task) {
        ScheduledExecutorService current = executor;
        if (current == null) {
            return;
        }
        try {
            current.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Dashboard broadcast thread stopped; dropping a task");
        }
    }
}
