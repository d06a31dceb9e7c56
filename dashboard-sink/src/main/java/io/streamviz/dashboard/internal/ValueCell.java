package io.streamviz.dashboard.internal;

import io.streamviz.dashboard.DashboardState.ValueState;
import io.streamviz.dashboard.DashboardState.WidgetState;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.GaugeUpdate;
import io.streamviz.dashboard.GaugeWidget;
import io.streamviz.dashboard.StatUpdate;
import io.streamviz.dashboard.StatWidget;
import io.streamviz.dashboard.WidgetSpec;
import java.math.BigDecimal;

/** A stat or gauge: the latest value and the one before it, for the delta. */
final class ValueCell implements WidgetCell {

    private final WidgetSpec spec;

    /** Null until the first update. */
    private ValueState state;

    private boolean changed;

    ValueCell(WidgetSpec spec) {
        this.spec = spec;
    }

    @Override
    public WidgetSpec spec() {
        return spec;
    }

    @Override
    public void apply(DashboardUpdate update) {
        BigDecimal value;
        if (spec instanceof StatWidget && update instanceof StatUpdate stat) {
            value = stat.value();
        } else if (spec instanceof GaugeWidget && update instanceof GaugeUpdate gauge) {
            value = gauge.value();
        } else {
            throw WidgetCell.mismatch(spec, update);
        }
        BigDecimal previous = state == null ? null : state.value();
        state = new ValueState(value, previous, update.timestampMs());
        changed = true;
    }

    @Override
    public WidgetState state() {
        return state;
    }

    @Override
    public boolean restore(WidgetState restored) {
        if (restored != null && !(restored instanceof ValueState)) {
            return false;
        }
        state = (ValueState) restored;
        changed = false;
        return true;
    }

    @Override
    public WidgetChange drainChange() {
        if (!changed) {
            return null;
        }
        changed = false;
        return new WidgetChange.ValueChange(spec.id(), spec.type(), state);
    }
}
