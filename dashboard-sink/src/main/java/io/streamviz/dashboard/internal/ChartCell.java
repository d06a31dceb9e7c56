package io.streamviz.dashboard.internal;

import io.streamviz.dashboard.ChartPointUpdate;
import io.streamviz.dashboard.ChartWidget;
import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.DashboardState.ChartState;
import io.streamviz.dashboard.DashboardState.WidgetState;
import io.streamviz.dashboard.DashboardUpdate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A chart's newest {@code maxPoints} points. Kept in a sorted map rather than an array ring so that
 * a late point, or one that replaces an earlier emission of its window, lands in order.
 */
final class ChartCell implements WidgetCell {

    private final ChartWidget spec;

    /** Never more than {@code spec.maxPoints()} entries; the smallest timestamp goes first. */
    private final TreeMap<Long, BigDecimal> points = new TreeMap<>();

    /**
     * Timestamps put since the last broadcast, a subset of {@link #points}'s keys: a point pushed
     * out before it was sent is not sent, since every viewer drops the oldest point beyond {@code
     * maxPoints} by the same rule.
     */
    private final NavigableSet<Long> changed = new TreeSet<>();

    ChartCell(ChartWidget spec) {
        this.spec = spec;
    }

    @Override
    public ChartWidget spec() {
        return spec;
    }

    @Override
    public void apply(DashboardUpdate update) {
        if (!(update instanceof ChartPointUpdate point)) {
            throw WidgetCell.mismatch(spec, update);
        }
        points.put(point.timestampMs(), point.value());
        changed.add(point.timestampMs());
        trim();
    }

    @Override
    public WidgetState state() {
        if (points.isEmpty()) {
            return null;
        }
        List<ChartPoint> copy = new ArrayList<>(points.size());
        points.forEach((ts, value) -> copy.add(new ChartPoint(ts, value)));
        return new ChartState(copy);
    }

    @Override
    public boolean restore(WidgetState restored) {
        if (restored != null && !(restored instanceof ChartState)) {
            return false;
        }
        points.clear();
        if (restored != null) {
            for (ChartPoint point : ((ChartState) restored).points()) {
                points.put(point.timestampMs(), point.value());
            }
        }
        trim();
        changed.clear();
        return true;
    }

    @Override
    public WidgetChange drainChange() {
        if (changed.isEmpty()) {
            return null;
        }
        List<ChartPoint> upserts = new ArrayList<>(changed.size());
        for (Long ts : changed) {
            upserts.add(new ChartPoint(ts, points.get(ts)));
        }
        changed.clear();
        return new WidgetChange.ChartChange(spec.id(), upserts);
    }

    private void trim() {
        while (points.size() > spec.maxPoints()) {
            Map.Entry<Long, BigDecimal> oldest = points.pollFirstEntry();
            changed.remove(oldest.getKey());
        }
    }
}
