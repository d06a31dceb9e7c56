package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inserts or replaces the row of a table with this key. Cell values are String, Long (Integer,
 * Short and Byte are widened), BigDecimal, Double or Boolean; nulls are rejected. The row is
 * copied, so later changes to the caller's map have no effect.
 */
public record TableRowUpsert(String widgetId, String key, Map<String, Object> row, long timestampMs)
        implements DashboardUpdate {

    public TableRowUpsert {
        Checks.widgetId(widgetId);
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(
                    "table '" + widgetId + "': row key must not be empty");
        }
        if (row == null) {
            throw new IllegalArgumentException("table '" + widgetId + "': row must not be null");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> cell : row.entrySet()) {
            copy.put(cell.getKey(), Checks.cell(widgetId, cell.getKey(), cell.getValue()));
        }
        row = Collections.unmodifiableMap(copy);
    }
}
