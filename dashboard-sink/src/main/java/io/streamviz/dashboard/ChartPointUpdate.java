package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;
import java.math.BigDecimal;

/**
 * Puts one point on a chart. A point with the timestamp of an existing one replaces it, so a window
 * result that is emitted again (an update, or a replay after recovery) does not add a second point.
 */
public record ChartPointUpdate(String widgetId, long timestampMs, BigDecimal value)
        implements DashboardUpdate {

    public ChartPointUpdate {
        Checks.widgetId(widgetId);
        Checks.decimal(widgetId, value);
    }
}
