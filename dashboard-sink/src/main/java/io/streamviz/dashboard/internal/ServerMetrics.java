package io.streamviz.dashboard.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The dashboard server's own counters, and their rendering for {@code GET /metrics} in the
 * Prometheus text exposition format 0.0.4. The hot paths (every update applied, every frame
 * written) only bump an adder; all formatting happens when a scraper asks.
 */
public final class ServerMetrics {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final AtomicInteger viewers = new AtomicInteger();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder viewersResynced = new LongAdder();
    private final LongAdder viewersDropped = new LongAdder();
    private final LongAdder updatesReceived = new LongAdder();

    /** Largest {@code ts} of any update applied, epoch ms; {@link Long#MIN_VALUE} before one. */
    private final AtomicLong newestUpdateTsMs = new AtomicLong(Long.MIN_VALUE);

    void viewers(int connected) {
        viewers.set(connected);
    }

    void frameSent() {
        framesSent.increment();
    }

    void viewerResynced() {
        viewersResynced.increment();
    }

    void viewerDropped() {
        viewersDropped.increment();
    }

    void updateApplied(long timestampMs) {
        updatesReceived.increment();
        // Usually already the largest: one read, no write.
        if (timestampMs > newestUpdateTsMs.get()) {
            newestUpdateTsMs.accumulateAndGet(timestampMs, Math::max);
        }
    }

    /**
     * The exposition document as of {@code nowMs}.
     *
     * @param widgetAgesMs how long ago each widget with a state last changed, as {@link
     *     WidgetStore#agesMs} gives it
     */
    public byte[] render(long nowMs, Map<String, Long> widgetAgesMs) {
        StringBuilder out = new StringBuilder(1024);
        family(out, "streamviz_viewers", "gauge", "WebSocket viewers connected now.");
        sample(out, "streamviz_viewers", viewers.get());
        family(
                out,
                "streamviz_frames_sent_total",
                "counter",
                "WebSocket frames (snapshots and updates) written to viewers.");
        sample(out, "streamviz_frames_sent_total", framesSent.sum());
        family(
                out,
                "streamviz_viewers_resynced_total",
                "counter",
                "Times a viewer that fell behind got a fresh snapshot instead of the updates it"
                        + " missed.");
        sample(out, "streamviz_viewers_resynced_total", viewersResynced.sum());
        family(
                out,
                "streamviz_viewers_dropped_total",
                "counter",
                "Viewers disconnected because they stayed too slow.");
        sample(out, "streamviz_viewers_dropped_total", viewersDropped.sum());
        family(
                out,
                "streamviz_updates_received_total",
                "counter",
                "Widget updates applied, from the embedded sink or from /ingest.");
        sample(out, "streamviz_updates_received_total", updatesReceived.sum());
        family(
                out,
                "streamviz_ingest_lag_seconds",
                "gauge",
                "Server time now minus the largest ts of any update applied (in remote mode the ts"
                        + " the job set on the updates of its ingest messages); absent before the"
                        + " first update.");
        long newest = newestUpdateTsMs.get();
        if (newest != Long.MIN_VALUE) {
            sample(out, "streamviz_ingest_lag_seconds", seconds(nowMs - newest));
        }
        family(
                out,
                "streamviz_widget_last_update_age_seconds",
                "gauge",
                "Seconds since a widget last changed, by server time; after a restore, since the"
                        + " newest ts in its restored state.");
        widgetAgesMs.forEach(
                (id, ageMs) ->
                        out.append("streamviz_widget_last_update_age_seconds{widget=\"")
                                .append(escapeLabelValue(id))
                                .append("\"} ")
                                .append(seconds(ageMs))
                                .append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, Object value) {
        out.append(name).append(' ').append(value).append('\n');
    }

    private static String seconds(long ms) {
        return Double.toString(ms / 1000.0);
    }

    /** Backslash, double quote and line feed are the characters a label value must escape. */
    static String escapeLabelValue(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '"' -> escaped.append("\\\"");
                case '\n' -> escaped.append("\\n");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
