package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * One big number, such as total revenue. Printed with a fixed count of decimals and, unless turned
 * off, thousands separators; with {@link Builder#delta(boolean)} the change from the previous value
 * is shown below it.
 */
public final class StatWidget implements WidgetSpec {

    private static final long serialVersionUID = 1L;

    private final String id;
    private final String title;
    private final String unit;
    private final String color;
    private final int decimals;

    /** Null for no threshold. */
    private final BigDecimal alertAbove;

    /** Null for no threshold. */
    private final BigDecimal alertBelow;

    private final boolean thousandsSeparators;
    private final boolean delta;

    private StatWidget(Builder builder) {
        this.id = builder.id;
        this.title = builder.title == null ? builder.id : builder.title;
        this.unit = builder.unit;
        this.color = builder.color;
        this.decimals = builder.decimals;
        this.alertAbove =
                builder.alertAbove == null ? null : BigDecimal.valueOf(builder.alertAbove);
        this.alertBelow =
                builder.alertBelow == null ? null : BigDecimal.valueOf(builder.alertBelow);
        this.thousandsSeparators = builder.thousandsSeparators;
        this.delta = builder.delta;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** An update that sets this stat to {@code value}. */
    public StatUpdate set(BigDecimal value, long timestampMs) {
        return new StatUpdate(id, value, timestampMs);
    }

    /** As {@link #set(BigDecimal, long)}, with the double's shortest decimal form. */
    public StatUpdate set(double value, long timestampMs) {
        return new StatUpdate(id, Checks.decimal(id, value), timestampMs);
    }

    /** As {@link #set(BigDecimal, long)}, for counts. */
    public StatUpdate set(long value, long timestampMs) {
        return new StatUpdate(id, BigDecimal.valueOf(value), timestampMs);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return "stat";
    }

    @Override
    public String title() {
        return title;
    }

    /** Printed after the value; empty for none. */
    public String unit() {
        return unit;
    }

    /** Color of the value; null for the theme's default. */
    public String color() {
        return color;
    }

    public int decimals() {
        return decimals;
    }

    public boolean thousandsSeparators() {
        return thousandsSeparators;
    }

    public boolean delta() {
        return delta;
    }

    /** Values above this are in alert; null for no upper threshold. */
    public BigDecimal alertAbove() {
        return alertAbove;
    }

    /** Values below this are in alert; null for no lower threshold. */
    public BigDecimal alertBelow() {
        return alertBelow;
    }

    /**
     * The alert state of {@code value}: {@link Alert#ABOVE} when it is above {@link #alertAbove()},
     * {@link Alert#BELOW} when below {@link #alertBelow()}, empty otherwise. Pure, so that the
     * dashboard server and a history sink agree on it.
     */
    public Optional<Alert> alertFor(BigDecimal value) {
        return Alert.of(value, alertAbove, alertBelow);
    }

    @Override
    public String toString() {
        return "StatWidget[" + id + "]";
    }

    public static final class Builder {
        private final String id;
        private String title;
        private String unit = "";
        private String color;
        private int decimals;
        private Double alertAbove;
        private Double alertBelow;
        private boolean thousandsSeparators = true;
        private boolean delta;

        private Builder(String id) {
            this.id = id;
        }

        /** Defaults to the id. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder unit(String unit) {
            this.unit = unit;
            return this;
        }

        public Builder color(String color) {
            this.color = color;
            return this;
        }

        /** Decimals printed, 0 to 10; default 0. */
        public Builder decimals(int decimals) {
            this.decimals = decimals;
            return this;
        }

        /** Group thousands ({@code 1,234,567}); default true. */
        public Builder thousandsSeparators(boolean thousandsSeparators) {
            this.thousandsSeparators = thousandsSeparators;
            return this;
        }

        /** Show the change from the previous value with an arrow; default false. */
        public Builder delta(boolean delta) {
            this.delta = delta;
            return this;
        }

        /** Marks values above {@code threshold} as in alert (color and label on the page). */
        public Builder alertAbove(double threshold) {
            this.alertAbove = threshold;
            return this;
        }

        /** Marks values below {@code threshold} as in alert (color and label on the page). */
        public Builder alertBelow(double threshold) {
            this.alertBelow = threshold;
            return this;
        }

        public StatWidget build() {
            Checks.widgetId(id);
            String owner = "stat widget '" + id + "'";
            if (title != null) {
                Checks.notBlank(owner, "title", title);
            }
            if (unit == null) {
                throw new IllegalArgumentException(owner + ": unit must not be null, use \"\"");
            }
            Checks.color(owner, "color", color);
            Checks.between(owner, "decimals", decimals, 0, 10);
            if (alertAbove != null) {
                Checks.finite(owner, "alertAbove", alertAbove);
            }
            if (alertBelow != null) {
                Checks.finite(owner, "alertBelow", alertBelow);
            }
            if (alertAbove != null && alertBelow != null && alertBelow > alertAbove) {
                throw new IllegalArgumentException(
                        owner
                                + ": alertBelow must not be above alertAbove, was alertBelow "
                                + alertBelow
                                + ", alertAbove "
                                + alertAbove);
            }
            return new StatWidget(this);
        }
    }
}
