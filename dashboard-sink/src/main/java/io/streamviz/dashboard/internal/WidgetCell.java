package io.streamviz.dashboard.internal;

import io.streamviz.dashboard.DashboardState.WidgetState;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.WidgetSpec;

/**
 * The live state of one widget and what changed in it since the last broadcast. Not thread-safe:
 * {@link WidgetStore} calls every method while holding its lock.
 */
sealed interface WidgetCell permits ValueCell, ChartCell, TableCell {

    WidgetSpec spec();

    /**
     * Applies {@code update}, or throws {@link IllegalArgumentException} before changing anything
     * when it does not fit this widget.
     */
    void apply(DashboardUpdate update);

    /** The current state, or null when the widget has none yet. */
    WidgetState state();

    /**
     * Replaces the state, null for none, and forgets pending changes: the caller resends every
     * viewer a snapshot. Returns false, with nothing changed, when {@code state} is of another
     * kind.
     */
    boolean restore(WidgetState state);

    /** The change since the last call, or null if there is none. */
    WidgetChange drainChange();

    static IllegalArgumentException mismatch(WidgetSpec spec, DashboardUpdate update) {
        return new IllegalArgumentException(
                "widget '"
                        + spec.id()
                        + "' is a "
                        + spec.type()
                        + " and cannot take a "
                        + update.getClass().getSimpleName());
    }
}
