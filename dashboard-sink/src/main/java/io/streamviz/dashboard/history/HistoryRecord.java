package io.streamviz.dashboard.history;

import io.streamviz.dashboard.ChartPointUpdate;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.GaugeUpdate;
import io.streamviz.dashboard.StatUpdate;
import io.streamviz.dashboard.TableRowDelete;
import io.streamviz.dashboard.TableRowUpsert;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * One row for the history database: a stat's or gauge's value ({@code metrics}), a chart point
 * ({@code chart_points}) or a version of a table row ({@code table_rows}).
 *
 * <p>A Flink POJO (public fields, no-argument constructor) so that the sampler's state and the
 * stream to the JDBC sinks need no Kryo.
 */
public class HistoryRecord {

    /** Decimal places kept; DuckDB's DECIMAL(38, 10) holds no more. */
    public static final int MAX_SCALE = 10;

    public enum Kind {
        METRIC,
        CHART_POINT,
        TABLE_ROW
    }

    public Kind kind;
    public String widgetId;

    /** The table row's key; null for metrics and chart points. */
    public String rowKey;

    /** For a chart point its own timestamp, else when the value or row was set. */
    public long timestampMs;

    /** Null only for a table row, whose cells are in {@link #rowJson}. */
    public BigDecimal value;

    /** A table row's cells as JSON; null when deleted and for the other kinds. */
    public String rowJson;

    public boolean deleted;

    /** When the sampler emitted the record (processing time); 0 until then. */
    public long recordedAtMs;

    public HistoryRecord() {}

    /** The record that stores {@code update}. */
    public static HistoryRecord of(DashboardUpdate update) {
        HistoryRecord record = new HistoryRecord();
        record.widgetId = update.widgetId();
        record.timestampMs = update.timestampMs();
        if (update instanceof StatUpdate stat) {
            record.kind = Kind.METRIC;
            record.value = bounded(stat.value());
        } else if (update instanceof GaugeUpdate gauge) {
            record.kind = Kind.METRIC;
            record.value = bounded(gauge.value());
        } else if (update instanceof ChartPointUpdate point) {
            record.kind = Kind.CHART_POINT;
            record.value = bounded(point.value());
        } else if (update instanceof TableRowUpsert upsert) {
            record.kind = Kind.TABLE_ROW;
            record.rowKey = upsert.key();
            record.rowJson = TableRowJson.encode(upsert.row());
        } else {
            TableRowDelete delete = (TableRowDelete) update;
            record.kind = Kind.TABLE_ROW;
            record.rowKey = delete.key();
            record.deleted = true;
        }
        return record;
    }

    /**
     * Within one widget, records with the same slot replace each other: a metric has one slot, a
     * chart one per point timestamp, a table one per row key.
     */
    public String slot() {
        return switch (kind) {
            case METRIC -> "";
            case CHART_POINT -> Long.toString(timestampMs);
            case TABLE_ROW -> rowKey;
        };
    }

    private static BigDecimal bounded(BigDecimal value) {
        return value.scale() > MAX_SCALE
                ? value.setScale(MAX_SCALE, RoundingMode.HALF_EVEN)
                : value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistoryRecord other
                && kind == other.kind
                && Objects.equals(widgetId, other.widgetId)
                && Objects.equals(rowKey, other.rowKey)
                && timestampMs == other.timestampMs
                && Objects.equals(value, other.value)
                && Objects.equals(rowJson, other.rowJson)
                && deleted == other.deleted
                && recordedAtMs == other.recordedAtMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                kind, widgetId, rowKey, timestampMs, value, rowJson, deleted, recordedAtMs);
    }

    @Override
    public String toString() {
        return kind
                + "{"
                + widgetId
                + (rowKey == null ? "" : "/" + rowKey)
                + "@"
                + timestampMs
                + (value == null ? "" : "=" + value)
                + (deleted ? " deleted" : "")
                + "}";
    }
}
