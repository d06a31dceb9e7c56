package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;
import java.math.BigDecimal;

/** Sets a gauge widget's value. Values outside the gauge's range are kept and drawn at its end. */
public record GaugeUpdate(String widgetId, BigDecimal value, long timestampMs)
        implements DashboardUpdate {

    public GaugeUpdate {
        Checks.widgetId(widgetId);
        Checks.decimal(widgetId, value);
    }
}
