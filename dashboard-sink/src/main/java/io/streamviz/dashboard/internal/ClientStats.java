package io.streamviz.dashboard.internal;

/**
 * What the server holds for one WebSocket viewer, for tests and metrics.
 *
 * @param pendingFrames frames written to the channel and not yet handed to the socket
 * @param pendingBytes payload bytes of those frames
 * @param lagging true while deltas are paused until the viewer drains and gets a snapshot
 * @param overflows how often the viewer fell behind
 * @param resyncs how many snapshots it got after falling behind
 */
public record ClientStats(
        String remoteAddress,
        int pendingFrames,
        long pendingBytes,
        boolean lagging,
        long overflows,
        long resyncs) {}
