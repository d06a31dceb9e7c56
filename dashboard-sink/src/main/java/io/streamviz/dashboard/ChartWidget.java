package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;
import java.math.BigDecimal;

/**
 * A time series: the newest {@link #maxPoints()} points, sorted by timestamp. A point whose
 * timestamp is already on the chart replaces the old point; once the chart is full each new point
 * pushes out the oldest.
 */
public final class ChartWidget implements WidgetSpec {

    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_POINTS = 120;
    public static final int DEFAULT_HEIGHT_PX = 220;

    private final String id;
    private final String title;
    private final String unit;
    private final String color;
    private final ChartStyle style;
    private final int maxPoints;
    private final int heightPx;

    private ChartWidget(Builder builder) {
        this.id = builder.id;
        this.title = builder.title == null ? builder.id : builder.title;
        this.unit = builder.unit;
        this.color = builder.color;
        this.style = builder.style;
        this.maxPoints = builder.maxPoints;
        this.heightPx = builder.heightPx;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** An update that puts the point ({@code timestampMs}, {@code value}) on this chart. */
    public ChartPointUpdate point(long timestampMs, BigDecimal value) {
        return new ChartPointUpdate(id, timestampMs, value);
    }

    public ChartPointUpdate point(long timestampMs, double value) {
        return new ChartPointUpdate(id, timestampMs, Checks.decimal(id, value));
    }

    /** As {@link #point(long, BigDecimal)}, for counts. */
    public ChartPointUpdate point(long timestampMs, long value) {
        return new ChartPointUpdate(id, timestampMs, BigDecimal.valueOf(value));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return "chart";
    }

    @Override
    public String title() {
        return title;
    }

    /** Label of the value axis; empty for none. */
    public String unit() {
        return unit;
    }

    /** Color of the line; null for the theme's default. */
    public String color() {
        return color;
    }

    public ChartStyle style() {
        return style;
    }

    public int maxPoints() {
        return maxPoints;
    }

    /** Height of the plot on the dashboard page; an embedded chart fills its frame instead. */
    public int heightPx() {
        return heightPx;
    }

    @Override
    public String toString() {
        return "ChartWidget[" + id + "]";
    }

    public static final class Builder {
        private final String id;
        private String title;
        private String unit = "";
        private String color;
        private ChartStyle style = ChartStyle.LINE;
        private int maxPoints = DEFAULT_MAX_POINTS;
        private int heightPx = DEFAULT_HEIGHT_PX;

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

        /** Default {@link ChartStyle#LINE}. */
        public Builder style(ChartStyle style) {
            this.style = style;
            return this;
        }

        /** Points kept, 2 to 10,000; default 120. */
        public Builder maxPoints(int maxPoints) {
            this.maxPoints = maxPoints;
            return this;
        }

        /** 80 to 2,000 pixels; default 220. */
        public Builder heightPx(int heightPx) {
            this.heightPx = heightPx;
            return this;
        }

        public ChartWidget build() {
            Checks.widgetId(id);
            String owner = "chart widget '" + id + "'";
            if (title != null) {
                Checks.notBlank(owner, "title", title);
            }
            if (unit == null) {
                throw new IllegalArgumentException(owner + ": unit must not be null, use \"\"");
            }
            Checks.color(owner, "color", color);
            if (style == null) {
                throw new IllegalArgumentException(owner + ": style must not be null");
            }
            Checks.between(owner, "maxPoints", maxPoints, 2, 10_000);
            Checks.between(owner, "heightPx", heightPx, 80, 2_000);
            return new ChartWidget(this);
        }
    }
}
