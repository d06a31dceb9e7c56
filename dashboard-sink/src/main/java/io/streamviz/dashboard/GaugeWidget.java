package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A value on an arc from {@link #min()} to {@link #max()}. The arc takes the color of the highest
 * {@link Threshold} whose {@code from} the value reaches, or {@link #color()} below all of them:
 * {@code threshold(40, "orange").threshold(80, "red")} is the base color below 40, orange from 40,
 * red from 80.
 */
public final class GaugeWidget implements WidgetSpec {

    private static final long serialVersionUID = 1L;

    /** A zone of the gauge: values from {@code from} up to the next threshold. */
    public record Threshold(double from, String color) implements Serializable {}

    private final String id;
    private final String title;
    private final String unit;
    private final double min;
    private final double max;
    private final String color;
    private final int decimals;

    /** Null for no threshold. */
    private final BigDecimal alertAbove;

    /** Null for no threshold. */
    private final BigDecimal alertBelow;

    private final List<Threshold> thresholds;

    private GaugeWidget(Builder builder, List<Threshold> sortedThresholds) {
        this.id = builder.id;
        this.title = builder.title == null ? builder.id : builder.title;
        this.unit = builder.unit;
        this.min = builder.min;
        this.max = builder.max;
        this.color = builder.color;
        this.decimals = builder.decimals;
        this.alertAbove =
                builder.alertAbove == null ? null : BigDecimal.valueOf(builder.alertAbove);
        this.alertBelow =
                builder.alertBelow == null ? null : BigDecimal.valueOf(builder.alertBelow);
        this.thresholds = sortedThresholds;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    public GaugeUpdate set(BigDecimal value, long timestampMs) {
        return new GaugeUpdate(id, value, timestampMs);
    }

    public GaugeUpdate set(double value, long timestampMs) {
        return new GaugeUpdate(id, Checks.decimal(id, value), timestampMs);
    }

    /** As {@link #set(BigDecimal, long)}, for counts. */
    public GaugeUpdate set(long value, long timestampMs) {
        return new GaugeUpdate(id, BigDecimal.valueOf(value), timestampMs);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return "gauge";
    }

    @Override
    public String title() {
        return title;
    }

    public String unit() {
        return unit;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** Color below every threshold; null for the theme's default. */
    public String color() {
        return color;
    }

    public int decimals() {
        return decimals;
    }

    /** Sorted by {@code from}, ascending. */
    public List<Threshold> thresholds() {
        return thresholds;
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
        return "GaugeWidget[" + id + "]";
    }

    public static final class Builder {
        private final String id;
        private String title;
        private String unit = "";
        private double min = 0;
        private double max = 100;
        private String color;
        private int decimals;
        private Double alertAbove;
        private Double alertBelow;
        private final List<Threshold> thresholds = new ArrayList<>();

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

        /** Default 0. */
        public Builder min(double min) {
            this.min = min;
            return this;
        }

        /** Default 100. */
        public Builder max(double max) {
            this.max = max;
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

        /** Values from {@code from} on are drawn in {@code color}, up to the next threshold. */
        public Builder threshold(double from, String color) {
            thresholds.add(new Threshold(from, color));
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

        public GaugeWidget build() {
            Checks.widgetId(id);
            String owner = "gauge widget '" + id + "'";
            if (title != null) {
                Checks.notBlank(owner, "title", title);
            }
            if (unit == null) {
                throw new IllegalArgumentException(owner + ": unit must not be null, use \"\"");
            }
            Checks.finite(owner, "min", min);
            Checks.finite(owner, "max", max);
            if (min >= max) {
                throw new IllegalArgumentException(
                        owner + ": min must be below max, was min " + min + ", max " + max);
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
            List<Threshold> sorted = new ArrayList<>(thresholds);
            sorted.sort(Comparator.comparingDouble(Threshold::from));
            for (int i = 0; i < sorted.size(); i++) {
                Threshold threshold = sorted.get(i);
                Checks.finite(owner, "threshold", threshold.from());
                if (threshold.color() == null) {
                    throw new IllegalArgumentException(
                            owner + ": threshold " + threshold.from() + " needs a color");
                }
                Checks.color(owner, "threshold color", threshold.color());
                if (i > 0 && sorted.get(i - 1).from() == threshold.from()) {
                    throw new IllegalArgumentException(
                            owner + ": threshold " + threshold.from() + " is given twice");
                }
            }
            return new GaugeWidget(this, List.copyOf(sorted));
        }
    }
}
