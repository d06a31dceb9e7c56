package io.streamviz.dashboard.internal;

import io.streamviz.dashboard.Alert;
import io.streamviz.dashboard.DashboardState.ValueState;
import io.streamviz.dashboard.DashboardState.WidgetState;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.GaugeUpdate;
import io.streamviz.dashboard.GaugeWidget;
import io.streamviz.dashboard.StatUpdate;
import io.streamviz.dashboard.StatWidget;
import io.streamviz.dashboard.WidgetSpec;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * A stat or gauge: the latest value, the one before it for the delta, and the latest value's alert
 * state, judged here once per update so that every viewer, the snapshot and the checkpoint agree.
 */
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
        state = new ValueState(value, previous, update.timestampMs(), alertFor(value));
        changed = true;
    }

    private Alert alertFor(BigDecimal value) {
        Optional<Alert> alert =
                spec instanceof StatWidget stat
                        ? stat.alertFor(value)
                        : ((GaugeWidget) spec).alertFor(value);
        return alert.orElse(null);
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
        ValueState value = (ValueState) restored;
        // Judged again with this spec's thresholds: an upgrade may have changed them, and states
        // of format version 1 have no alert at all.
        state =
                value == null
                        ? null
                        : new ValueState(
                                value.value(),
                                value.previous(),
                                value.timestampMs(),
                                alertFor(value.value()));
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
