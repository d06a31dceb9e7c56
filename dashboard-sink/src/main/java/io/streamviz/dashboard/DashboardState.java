package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;
import io.streamviz.dashboard.internal.DashboardStateCodec;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of every widget's state, as {@link DashboardServer#snapshotState()} takes
 * it and {@link DashboardServer#restoreState} puts it back. Widgets that never received an update
 * are absent. It also holds the newest {@link #MAX_MARKERS} restore {@link Marker markers}, so that
 * charts keep showing where earlier recoveries happened.
 *
 * <p>{@link #toBytes()} is meant for Flink checkpoints: the same state always gives the same bytes,
 * the first int is the {@link #FORMAT_VERSION format version}, and decimals keep their exact value
 * and scale ({@code 410.00} stays {@code 410.00}).
 */
public final class DashboardState {

    /** The version {@link #toBytes()} writes; {@link #fromBytes} reads this one and older. */
    public static final int FORMAT_VERSION = 2;

    /** Markers kept; adding one more drops the oldest. */
    public static final int MAX_MARKERS = 20;

    private static final DashboardState EMPTY = new DashboardState(Map.of(), List.of());

    /** In dashboard order, which is also the order {@link #toBytes()} writes. */
    private final Map<String, WidgetState> widgets;

    /** Oldest first, at most {@link #MAX_MARKERS}. */
    private final List<Marker> markers;

    private DashboardState(Map<String, WidgetState> widgets, List<Marker> markers) {
        this.widgets = widgets;
        this.markers = markers;
    }

    public static DashboardState empty() {
        return EMPTY;
    }

    /** A state of these widgets, kept in the map's iteration order, without markers. */
    public static DashboardState of(Map<String, ? extends WidgetState> widgets) {
        return of(widgets, List.of());
    }

    /**
     * A state of these widgets and markers; of the markers only the newest {@link #MAX_MARKERS} are
     * kept, in the order given.
     */
    public static DashboardState of(
            Map<String, ? extends WidgetState> widgets, List<Marker> markers) {
        Map<String, WidgetState> copy = new LinkedHashMap<>();
        widgets.forEach(
                (id, state) -> {
                    Checks.widgetId(id);
                    if (state == null) {
                        throw new IllegalArgumentException(
                                "state of widget '" + id + "' must not be null");
                    }
                    copy.put(id, state);
                });
        for (Marker marker : markers) {
            if (marker == null) {
                throw new IllegalArgumentException("markers must not contain null");
            }
        }
        List<Marker> newest =
                markers.subList(Math.max(0, markers.size() - MAX_MARKERS), markers.size());
        return new DashboardState(Collections.unmodifiableMap(copy), List.copyOf(newest));
    }

    /**
     * Reads bytes written by {@link #toBytes()}.
     *
     * @throws IllegalArgumentException if the bytes are not a dashboard state, or were written in a
     *     format version this build does not know
     */
    public static DashboardState fromBytes(byte[] bytes) {
        return DashboardStateCodec.decode(bytes);
    }

    public byte[] toBytes() {
        return DashboardStateCodec.encode(this);
    }

    public Map<String, WidgetState> widgets() {
        return widgets;
    }

    /** Restore markers, oldest first. */
    public List<Marker> markers() {
        return markers;
    }

    /** True when no widget has a value; markers alone do not make a state non-empty. */
    public boolean isEmpty() {
        return widgets.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DashboardState other
                && widgets.equals(other.widgets)
                && markers.equals(other.markers);
    }

    @Override
    public int hashCode() {
        return 31 * widgets.hashCode() + markers.hashCode();
    }

    @Override
    public String toString() {
        return "DashboardState" + widgets + (markers.isEmpty() ? "" : " markers " + markers);
    }

    /** A moment charts mark with a vertical line, such as a restore from a checkpoint. */
    public record Marker(long timestampMs, String label) {
        public Marker {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("marker label must not be blank");
            }
        }
    }

    /** The state of one widget. */
    public sealed interface WidgetState permits ValueState, ChartState, TableState {}

    /**
     * A stat's or gauge's value, the value before it, and the value's alert state as the widget's
     * thresholds judged it when it was applied; {@code previous} and {@code alert} may be null.
     */
    public record ValueState(BigDecimal value, BigDecimal previous, long timestampMs, Alert alert)
            implements WidgetState {
        public ValueState {
            if (value == null) {
                throw new IllegalArgumentException("value must not be null");
            }
        }

        /** A value that is not in alert. */
        public ValueState(BigDecimal value, BigDecimal previous, long timestampMs) {
            this(value, previous, timestampMs, null);
        }
    }

    /** A chart's points, strictly ascending by timestamp. */
    public record ChartState(List<ChartPoint> points) implements WidgetState {
        public ChartState {
            points = List.copyOf(points);
            for (int i = 1; i < points.size(); i++) {
                if (points.get(i - 1).timestampMs() >= points.get(i).timestampMs()) {
                    throw new IllegalArgumentException(
                            "chart points must be strictly ascending by timestamp, found "
                                    + points.get(i - 1).timestampMs()
                                    + " before "
                                    + points.get(i).timestampMs());
                }
            }
        }
    }

    public record ChartPoint(long timestampMs, BigDecimal value) {
        public ChartPoint {
            if (value == null) {
                throw new IllegalArgumentException("value of point " + timestampMs + " is null");
            }
        }
    }

    /** A table's rows in insertion order, which is the order rows of equal sort value keep. */
    public record TableState(List<TableRow> rows) implements WidgetState {
        public TableState {
            rows = List.copyOf(rows);
            Set<String> keys = new HashSet<>();
            for (TableRow row : rows) {
                if (!keys.add(row.key())) {
                    throw new IllegalArgumentException(
                            "row key '" + row.key() + "' is given twice");
                }
            }
        }
    }

    /** One row: its cells by column name, and when it was last updated. */
    public record TableRow(String key, Map<String, Object> values, long timestampMs) {
        public TableRow {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("row key must not be empty");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            values.forEach((column, cell) -> copy.put(column, Checks.cell("state", column, cell)));
            values = Collections.unmodifiableMap(copy);
        }
    }
}
