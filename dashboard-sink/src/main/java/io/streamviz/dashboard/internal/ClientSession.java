package io.streamviz.dashboard.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connected viewer and its outgoing queue. The counters are updated by the channel's event loop
 * when it writes a frame and when the write completes, and read by the broadcaster thread; every
 * other field is only touched by the broadcaster thread.
 */
final class ClientSession {

    /**
     * Netty marks a channel unwritable once more than the high mark of bytes wait for its socket,
     * and writable again below the low mark. One update frame is rarely more than a few KiB.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);

    final Channel channel;

    private final ServerMetrics metrics;

    private final AtomicInteger pendingFrames = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();

    /** Bytes of a snapshot still queued; they do not count against the high water mark. */
    private final AtomicLong pendingSnapshotBytes = new AtomicLong();

    private boolean lagging;
    private long laggingSinceNanos;
    private long overflowWindowStartNanos;
    private int overflowsInWindow;
    private long overflows;
    private long resyncs;

    ClientSession(Channel channel, ServerMetrics metrics) {
        this.channel = channel;
        this.metrics = metrics;
    }

    /**
     * Whether one more delta may be queued: fewer than {@code queueLimit} frames are waiting, and
     * the bytes waiting, a snapshot in flight aside, are under the high water mark. A snapshot may
     * alone be larger than the mark; a viewer that just got one is not behind.
     */
    boolean hasRoomForDelta(int queueLimit) {
        if (pendingFrames.get() >= queueLimit) {
            return false;
        }
        return channel.isWritable()
                || pendingBytes.get() - pendingSnapshotBytes.get() < WATER_MARK.high();
    }

    /** Whether a lagging viewer has caught up enough to take a snapshot and updates again. */
    boolean hasDrained(int queueLimit) {
        return channel.isWritable() && pendingFrames.get() <= queueLimit / 2;
    }

    /**
     * Writes {@code wire}, an encoded WebSocket frame with {@code payloadBytes} of payload, taking
     * over its reference. Runs on the channel's event loop, so the write goes straight to the
     * socket without a task of its own.
     */
    void send(ByteBuf wire, int payloadBytes, boolean snapshot) {
        pendingFrames.incrementAndGet();
        pendingBytes.addAndGet(payloadBytes);
        if (snapshot) {
            pendingSnapshotBytes.addAndGet(payloadBytes);
        }
        // Completes, successfully or not, once the frame left Netty's queue; a closed channel
        // fails every frame still queued, so the counters always return to zero.
        channel.writeAndFlush(wire)
                .addListener(
                        written -> {
                            pendingFrames.decrementAndGet();
                            pendingBytes.addAndGet(-payloadBytes);
                            if (snapshot) {
                                pendingSnapshotBytes.addAndGet(-payloadBytes);
                            }
                            // Frames failed by a closed channel never reached the viewer.
                            if (written.isSuccess()) {
                                metrics.frameSent();
                            }
                        });
    }

    boolean isLagging() {
        return lagging;
    }

    long laggingSinceNanos() {
        return laggingSinceNanos;
    }

    /**
     * Pauses deltas and returns how often the viewer fell behind within the current {@code
     * windowNanos}, this time included.
     */
    int startLagging(long nowNanos, long windowNanos) {
        lagging = true;
        laggingSinceNanos = nowNanos;
        overflows++;
        if (overflowsInWindow == 0 || nowNanos - overflowWindowStartNanos > windowNanos) {
            overflowWindowStartNanos = nowNanos;
            overflowsInWindow = 0;
        }
        return ++overflowsInWindow;
    }

    /** Resumes deltas; the caller sends a snapshot first. */
    void resume() {
        lagging = false;
        resyncs++;
    }

    ClientStats stats() {
        return new ClientStats(
                String.valueOf(channel.remoteAddress()),
                pendingFrames.get(),
                pendingBytes.get(),
                lagging,
                overflows,
                resyncs);
    }
}
