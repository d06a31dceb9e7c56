package io.streamviz.dashboard.internal;

import io.streamviz.dashboard.ChartWidget;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardState.ChartState;
import io.streamviz.dashboard.DashboardState.Marker;
import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.DashboardState.ValueState;
import io.streamviz.dashboard.DashboardState.WidgetState;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.TableWidget;
import io.streamviz.dashboard.WidgetSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of every widget of a dashboard, and what changed since the last broadcast. Safe for any
 * number of threads: producers call {@link #apply}, the broadcaster calls {@link #drainChanges} and
 * {@link #state}, all under one lock held only for in-memory work.
 *
 * <p>Conflation happens here: a change only marks the widget, chart timestamp or table key as
 * changed, and {@link #drainChanges} reads the newest value of each mark. However many updates
 * arrive between two broadcasts, the pending marks never outnumber the widgets' own bounds.
 */
public final class WidgetStore {

    private static final Logger LOG = LoggerFactory.getLogger(WidgetStore.class);

    private final Object lock = new Object();

    private final ServerMetrics metrics;

    /** One cell per widget in dashboard order; the map is fixed, the cells guarded by lock. */
    private final Map<String, WidgetCell> cells;

    /**
     * When each widget last changed, epoch ms, for the page's staleness display: the server's clock
     * when an update was applied, or after a restore the newest timestamp in the restored state (a
     * job's event time, as the best estimate there is). Guarded by lock.
     */
    private final Map<String, Long> changedAtMs = new LinkedHashMap<>();

    /** Oldest first, at most {@link DashboardState#MAX_MARKERS}; guarded by lock. */
    private final ArrayDeque<Marker> markers = new ArrayDeque<>();

    /** Whether markers changed since the last broadcast; guarded by lock. */
    private boolean markersChanged;

    /** Told after every change, outside the lock: the broadcaster, to send it promptly. */
    private volatile Runnable changeListener = () -> {};

    /** A store whose counts nobody reads, such as a writer's mirror of what it sent. */
    public WidgetStore(Dashboard dashboard) {
        this(dashboard, new ServerMetrics());
    }

    public WidgetStore(Dashboard dashboard, ServerMetrics metrics) {
        this.metrics = metrics;
        Map<String, WidgetCell> byId = new LinkedHashMap<>();
        for (WidgetSpec spec : dashboard.widgets()) {
            byId.put(spec.id(), newCell(spec));
        }
        this.cells = Collections.unmodifiableMap(byId);
    }

    /** Runs {@code listener} after each applied update and added marker, on the caller's thread. */
    public void onChange(Runnable listener) {
        this.changeListener = listener;
    }

    private static WidgetCell newCell(WidgetSpec spec) {
        if (spec instanceof ChartWidget chart) {
            return new ChartCell(chart);
        }
        if (spec instanceof TableWidget table) {
            return new TableCell(table);
        }
        return new ValueCell(spec);
    }

    /**
     * @throws IllegalArgumentException if no widget has the update's id or it does not fit it
     */
    public void apply(DashboardUpdate update) {
        if (update == null) {
            throw new IllegalArgumentException("update must not be null");
        }
        WidgetCell cell = cells.get(update.widgetId());
        if (cell == null) {
            throw new IllegalArgumentException(
                    "unknown widget id '" + update.widgetId() + "', known: " + cells.keySet());
        }
        synchronized (lock) {
            cell.apply(update);
            changedAtMs.put(update.widgetId(), System.currentTimeMillis());
        }
        metrics.updateApplied(update.timestampMs());
        changeListener.run();
    }

    /** Adds a marker; past {@link DashboardState#MAX_MARKERS} the oldest goes. */
    public void addMarker(Marker marker) {
        synchronized (lock) {
            markers.addLast(marker);
            while (markers.size() > DashboardState.MAX_MARKERS) {
                markers.removeFirst();
            }
            markersChanged = true;
        }
        changeListener.run();
    }

    /** All markers if they changed since the last call, else null. */
    public List<Marker> drainMarkerChange() {
        synchronized (lock) {
            if (!markersChanged) {
                return null;
            }
            markersChanged = false;
            return List.copyOf(markers);
        }
    }

    /**
     * How long ago each widget that has a state last changed, in ms, as of {@code nowMs}; never
     * negative.
     */
    public Map<String, Long> agesMs(long nowMs) {
        Map<String, Long> ages = new LinkedHashMap<>();
        synchronized (lock) {
            changedAtMs.forEach((id, at) -> ages.put(id, Math.max(0, nowMs - at)));
        }
        return ages;
    }

    /** The changes since the last call, in dashboard order; empty when nothing changed. */
    public List<WidgetChange> drainChanges() {
        List<WidgetChange> changes = new ArrayList<>();
        synchronized (lock) {
            for (WidgetCell cell : cells.values()) {
                WidgetChange change = cell.drainChange();
                if (change != null) {
                    changes.add(change);
                }
            }
        }
        return changes;
    }

    public DashboardState state() {
        Map<String, WidgetState> states = new LinkedHashMap<>();
        synchronized (lock) {
            for (WidgetCell cell : cells.values()) {
                WidgetState state = cell.state();
                if (state != null) {
                    states.put(cell.spec().id(), state);
                }
            }
            return DashboardState.of(states, List.copyOf(markers));
        }
    }

    /**
     * Replaces every widget's state with its state in {@code restored}, or none. Widgets the
     * dashboard no longer has, or whose type changed, are skipped with a warning: a job upgrade may
     * drop or retype a widget and must still start from its old checkpoint.
     */
    public void restore(DashboardState restored) {
        synchronized (lock) {
            for (WidgetCell cell : cells.values()) {
                WidgetState state = restored.widgets().get(cell.spec().id());
                if (!cell.restore(state)) {
                    LOG.warn(
                            "Not restoring widget '{}': the checkpoint holds a {} for a {}",
                            cell.spec().id(),
                            state.getClass().getSimpleName(),
                            cell.spec().type());
                    cell.restore(null);
                }
            }
            changedAtMs.clear();
            for (WidgetCell cell : cells.values()) {
                WidgetState state = cell.state();
                if (state != null) {
                    changedAtMs.put(cell.spec().id(), newestTimestampMs(state));
                }
            }
            markers.clear();
            markers.addAll(restored.markers());
            markersChanged = false;
        }
        for (String id : restored.widgets().keySet()) {
            if (!cells.containsKey(id)) {
                LOG.warn("Not restoring widget '{}': the dashboard has no such widget", id);
            }
        }
    }

    private static long newestTimestampMs(WidgetState state) {
        if (state instanceof ValueState value) {
            return value.timestampMs();
        }
        if (state instanceof ChartState chart) {
            return chart.points().get(chart.points().size() - 1).timestampMs();
        }
        return ((TableState) state)
                .rows().stream().mapToLong(TableRow::timestampMs).max().orElse(0);
    }
}
