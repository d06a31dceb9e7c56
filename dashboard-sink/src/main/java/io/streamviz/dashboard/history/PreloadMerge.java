package io.streamviz.dashboard.history;

import io.streamviz.dashboard.ChartWidget;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.DashboardState.ChartState;
import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.DashboardState.ValueState;
import io.streamviz.dashboard.DashboardState.WidgetState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the state a dashboard preloaded from the history database with the state a job restored
 * from its checkpoint, when the checkpoint arrives after the preload. Newer wins, widget by widget:
 *
 * <ul>
 *   <li>stat and gauge: the value with the later timestamp; on a tie the checkpoint's;
 *   <li>chart: the union of both sets of points by timestamp, the checkpoint's value where both
 *       have a point (the job will re-emit that window from the checkpoint anyway), the newest
 *       {@code maxPoints} kept;
 *   <li>table: per row key the version with the later timestamp, the checkpoint's on a tie; a row
 *       only one side has is kept;
 *   <li>a widget only one side has keeps that side's state.
 * </ul>
 *
 * Why: the database may hold values written after the checkpoint (the job ran on past it before it
 * stopped), or the checkpoint may be newer than anything stored (the database was down). Either way
 * the dashboard shows the newest thing known, and the job's replay from the checkpoint then moves
 * every figure on as usual.
 */
public final class PreloadMerge {
    private PreloadMerge() {}

    public static DashboardState newerWins(
            Dashboard dashboard, DashboardState preloaded, DashboardState restored) {
        Map<String, WidgetState> merged = new LinkedHashMap<>(preloaded.widgets());
        restored.widgets()
                .forEach(
                        (id, state) ->
                                merged.merge(
                                        id,
                                        state,
                                        (stored, checkpointed) ->
                                                merge(dashboard, id, stored, checkpointed)));
        return DashboardState.of(merged);
    }

    private static WidgetState merge(
            Dashboard dashboard, String id, WidgetState stored, WidgetState checkpointed) {
        if (stored instanceof ValueState a && checkpointed instanceof ValueState b) {
            return a.timestampMs() > b.timestampMs() ? a : b;
        }
        if (stored instanceof ChartState a && checkpointed instanceof ChartState b) {
            TreeMap<Long, ChartPoint> points = new TreeMap<>();
            a.points().forEach(p -> points.put(p.timestampMs(), p));
            b.points().forEach(p -> points.put(p.timestampMs(), p));
            int maxPoints =
                    dashboard
                            .widget(id)
                            .filter(ChartWidget.class::isInstance)
                            .map(spec -> ((ChartWidget) spec).maxPoints())
                            .orElse(points.size());
            List<ChartPoint> newest = new ArrayList<>(points.values());
            return new ChartState(
                    newest.subList(Math.max(0, newest.size() - maxPoints), newest.size()));
        }
        if (stored instanceof TableState a && checkpointed instanceof TableState b) {
            Map<String, TableRow> rows = new LinkedHashMap<>();
            a.rows().forEach(row -> rows.put(row.key(), row));
            for (TableRow row : b.rows()) {
                TableRow other = rows.get(row.key());
                if (other == null || other.timestampMs() <= row.timestampMs()) {
                    rows.put(row.key(), row);
                }
            }
            return new TableState(new ArrayList<>(rows.values()));
        }
        // Types differ: the widget was retyped; the job's own state is the one that fits it.
        return checkpointed;
    }
}
