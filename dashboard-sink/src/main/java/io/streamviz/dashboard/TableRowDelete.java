package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;

/** Removes the row of a table with this key; nothing happens if there is none. */
public record TableRowDelete(String widgetId, String key, long timestampMs)
        implements DashboardUpdate {

    public TableRowDelete {
        Checks.widgetId(widgetId);
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(
                    "table '" + widgetId + "': row key must not be empty");
        }
    }
}
