package io.streamviz.dashboard.internal;

import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.DashboardState.ValueState;
import java.util.List;

/** What changed in one widget since the last broadcast, already conflated. */
public sealed interface WidgetChange {

    String widgetId();

    /** A stat's or gauge's latest value; {@code type} is the widget's type. */
    record ValueChange(String widgetId, String type, ValueState state) implements WidgetChange {}

    /** Points added or replaced, ascending by timestamp. */
    record ChartChange(String widgetId, List<ChartPoint> points) implements WidgetChange {}

    /**
     * Rows to put and keys to remove. With {@code replaceAll} the upserts are the whole table and
     * the viewer drops every other row; used when more rows changed than it is worth tracking.
     */
    record TableChange(
            String widgetId, List<TableRow> upserts, List<String> deletes, boolean replaceAll)
            implements WidgetChange {}
}
