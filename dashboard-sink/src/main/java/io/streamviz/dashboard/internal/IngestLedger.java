package io.streamviz.dashboard.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest sequence number applied per writer epoch (see {@link IngestProtocol}), shared by all
 * ingest connections of one server. Only the newest {@value #MAX_EPOCHS} epochs are kept: an epoch
 * that old belongs to a writer that ended long ago, and a writer never comes back to it.
 */
final class IngestLedger {
    private static final int MAX_EPOCHS = 64;

    /** Guarded by this; iteration order is least recently used first. */
    private final Map<String, Long> appliedSeq =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > MAX_EPOCHS;
                }
            };

    synchronized long applied(String epoch) {
        return appliedSeq.getOrDefault(epoch, 0L);
    }

    /**
     * Runs {@code apply} if {@code seq} is above the epoch's applied seq, and records it; returns
     * whether it ran. Holding the lock while applying keeps two connections of one epoch (an old
     * one not yet noticed as dead, and its replacement) from both applying the same message.
     */
    synchronized boolean applyOnce(String epoch, long seq, Runnable apply) {
        if (seq <= appliedSeq.getOrDefault(epoch, 0L)) {
            return false;
        }
        apply.run();
        appliedSeq.put(epoch, seq);
        return true;
    }
}
