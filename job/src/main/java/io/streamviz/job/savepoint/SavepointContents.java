package io.streamviz.job.savepoint;

import io.streamviz.job.records.Totals;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a savepoint of the e-commerce job holds, in the job's own terms. Money is in whole cents.
 *
 * @param figures the totals behind the dashboard (operator {@code dashboard-figures}); null when
 *     the savepoint has no state of it
 * @param dashboard the dashboard sink's buffers; null when the savepoint has no state of it
 */
public record SavepointContents(
        String savepoint, long checkpointId, Figures figures, DashboardBuffers dashboard) {

    /**
     * @param openMinutes minute start (epoch ms) -> region -> totals of that minute, for the
     *     minutes whose window is still open to late orders
     */
    public record Figures(
            Totals overall,
            SortedMap<String, Totals> regions,
            SortedMap<String, Totals> categories,
            SortedMap<Long, SortedMap<String, Totals>> openMinutes,
            long rejected) {}

    /**
     * @param widgets ids of the widgets that have state (received at least one update)
     * @param chartPoints chart id -> points held
     * @param tableRows table id -> rows held
     */
    public record DashboardBuffers(
            List<String> widgets,
            Map<String, Integer> chartPoints,
            Map<String, Integer> tableRows) {}
}
