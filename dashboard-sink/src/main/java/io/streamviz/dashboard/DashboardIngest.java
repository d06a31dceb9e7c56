package io.streamviz.dashboard;

/** Where a job hands its dashboard updates. Implementations are safe for concurrent callers. */
public interface DashboardIngest {

    /**
     * Applies {@code update} to the dashboard's state; viewers see it within one conflation
     * interval.
     *
     * @throws IllegalArgumentException if no widget has the update's id, or the widget with that id
     *     is of another type; the message names the id
     */
    void accept(DashboardUpdate update);
}
