package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;
import java.math.BigDecimal;

/** Sets a stat widget's value; the value it replaces becomes its previous value. */
public record StatUpdate(String widgetId, BigDecimal value, long timestampMs)
        implements DashboardUpdate {

    public StatUpdate {
        Checks.widgetId(widgetId);
        Checks.decimal(widgetId, value);
    }
}
