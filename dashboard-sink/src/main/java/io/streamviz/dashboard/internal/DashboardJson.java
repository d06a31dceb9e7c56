package io.streamviz.dashboard.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.streamviz.dashboard.ChartWidget;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.DashboardState.ChartState;
import io.streamviz.dashboard.DashboardState.Marker;
import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.DashboardState.ValueState;
import io.streamviz.dashboard.DashboardState.WidgetState;
import io.streamviz.dashboard.GaugeWidget;
import io.streamviz.dashboard.StatWidget;
import io.streamviz.dashboard.TableWidget;
import io.streamviz.dashboard.WidgetSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the JSON documents of the HTTP API and the WebSocket messages. Decimals are written in
 * plain notation with their scale, so {@code 410.00} stays {@code 410.00} and never becomes {@code
 * 4.1E+2} or a binary fraction.
 */
public final class DashboardJson {

    private static final JsonFactory JSON =
            JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private DashboardJson() {}

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /** {@code {"title": …, "widgets": [{"id", "type", "title", …options}]}}. */
    public static byte[] widgetsDocument(Dashboard dashboard) {
        return toBytes(json -> writeDashboard(json, dashboard));
    }

    /**
     * {@code {"widgets": {id: state, …}, "markers": [{"ts", "label"}, …]}}, the body of {@code
     * /api/snapshot}.
     */
    public static ByteBuf snapshotDocument(
            ByteBufAllocator alloc, Dashboard dashboard, DashboardState state) {
        return toByteBuf(
                alloc,
                json -> {
                    json.writeStartObject();
                    json.writeFieldName("widgets");
                    writeWidgetStates(json, dashboard, state, Map.of());
                    writeMarkers(json, state.markers());
                    json.writeEndObject();
                });
    }

    /**
     * The first message of a connection, and the message of a resync. {@code agesMs} gives each
     * widget's {@code "age_ms"}, how long ago it last changed, so the page can show stale values
     * without comparing its clock with the server's.
     */
    public static ByteBuf snapshotMessage(
            ByteBufAllocator alloc,
            long seq,
            Dashboard dashboard,
            DashboardState state,
            Map<String, Long> agesMs) {
        return toByteBuf(
                alloc,
                json -> {
                    json.writeStartObject();
                    json.writeStringField("type", "snapshot");
                    json.writeNumberField("seq", seq);
                    json.writeFieldName("dashboard");
                    writeDashboard(json, dashboard);
                    json.writeFieldName("widgets");
                    writeWidgetStates(json, dashboard, state, agesMs);
                    writeMarkers(json, state.markers());
                    json.writeEndObject();
                });
    }

    /**
     * @param markers every marker when they changed since the last update, else null
     */
    public static ByteBuf updateMessage(
            ByteBufAllocator alloc, long seq, List<WidgetChange> changes, List<Marker> markers) {
        return toByteBuf(
                alloc,
                json -> {
                    json.writeStartObject();
                    json.writeStringField("type", "update");
                    json.writeNumberField("seq", seq);
                    json.writeArrayFieldStart("updates");
                    for (WidgetChange change : changes) {
                        writeChange(json, change);
                    }
                    json.writeEndArray();
                    if (markers != null) {
                        writeMarkers(json, markers);
                    }
                    json.writeEndObject();
                });
    }

    private static void writeMarkers(JsonGenerator json, List<Marker> markers) throws IOException {
        json.writeArrayFieldStart("markers");
        for (Marker marker : markers) {
            json.writeStartObject();
            json.writeNumberField("ts", marker.timestampMs());
            json.writeStringField("label", marker.label());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** {@code {"error": message}}. */
    public static byte[] error(String message) {
        return toBytes(
                json -> {
                    json.writeStartObject();
                    json.writeStringField("error", message);
                    json.writeEndObject();
                });
    }

    private static void writeDashboard(JsonGenerator json, Dashboard dashboard) throws IOException {
        json.writeStartObject();
        json.writeStringField("title", dashboard.title());
        json.writeArrayFieldStart("widgets");
        for (WidgetSpec spec : dashboard.widgets()) {
            writeSpec(json, spec);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeSpec(JsonGenerator json, WidgetSpec spec) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", spec.id());
        json.writeStringField("type", spec.type());
        json.writeStringField("title", spec.title());
        if (spec instanceof StatWidget stat) {
            json.writeStringField("unit", stat.unit());
            json.writeStringField("color", stat.color());
            json.writeNumberField("decimals", stat.decimals());
            json.writeBooleanField("thousandsSeparators", stat.thousandsSeparators());
            json.writeBooleanField("delta", stat.delta());
            writeAlertThresholds(json, stat.alertAbove(), stat.alertBelow());
        } else if (spec instanceof ChartWidget chart) {
            json.writeStringField("unit", chart.unit());
            json.writeStringField("color", chart.color());
            json.writeStringField("style", lower(chart.style()));
            json.writeNumberField("maxPoints", chart.maxPoints());
            json.writeNumberField("heightPx", chart.heightPx());
        } else if (spec instanceof GaugeWidget gauge) {
            json.writeStringField("unit", gauge.unit());
            json.writeStringField("color", gauge.color());
            json.writeNumberField("min", gauge.min());
            json.writeNumberField("max", gauge.max());
            json.writeNumberField("decimals", gauge.decimals());
            writeAlertThresholds(json, gauge.alertAbove(), gauge.alertBelow());
            json.writeArrayFieldStart("thresholds");
            for (GaugeWidget.Threshold threshold : gauge.thresholds()) {
                json.writeStartObject();
                json.writeNumberField("from", threshold.from());
                json.writeStringField("color", threshold.color());
                json.writeEndObject();
            }
            json.writeEndArray();
        } else {
            writeTableSpec(json, (TableWidget) spec);
        }
        json.writeEndObject();
    }

    private static void writeAlertThresholds(JsonGenerator json, BigDecimal above, BigDecimal below)
            throws IOException {
        json.writeFieldName("alert_above");
        writeNullableNumber(json, above);
        json.writeFieldName("alert_below");
        writeNullableNumber(json, below);
    }

    private static void writeNullableNumber(JsonGenerator json, BigDecimal value)
            throws IOException {
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }

    private static void writeTableSpec(JsonGenerator json, TableWidget table) throws IOException {
        json.writeStringField("keyColumn", table.keyColumn());
        json.writeArrayFieldStart("columns");
        for (TableWidget.Column column : table.columns()) {
            json.writeStartObject();
            json.writeStringField("name", column.name());
            json.writeStringField("label", column.label());
            json.writeStringField("format", lower(column.format()));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeNumberField("maxRows", table.maxRows());
        if (table.sortColumn() == null) {
            json.writeNullField("sortBy");
        } else {
            json.writeObjectFieldStart("sortBy");
            json.writeStringField("column", table.sortColumn());
            json.writeStringField("direction", lower(table.sortDirection()));
            json.writeEndObject();
        }
    }

    /** Every widget of the dashboard, in its order; one without state shows as empty. */
    private static void writeWidgetStates(
            JsonGenerator json, Dashboard dashboard, DashboardState state, Map<String, Long> agesMs)
            throws IOException {
        json.writeStartObject();
        for (WidgetSpec spec : dashboard.widgets()) {
            WidgetState widget = state.widgets().get(spec.id());
            json.writeObjectFieldStart(spec.id());
            json.writeStringField("type", spec.type());
            if (spec instanceof ChartWidget) {
                List<ChartPoint> points =
                        widget instanceof ChartState chart ? chart.points() : List.of();
                writePoints(json, points);
            } else if (spec instanceof TableWidget) {
                List<TableRow> rows = widget instanceof TableState table ? table.rows() : List.of();
                json.writeFieldName("rows");
                writeRows(json, rows);
            } else if (widget instanceof ValueState value) {
                writeValue(json, value);
            } else {
                json.writeNullField("value");
                json.writeNullField("ts");
            }
            Long ageMs = widget == null ? null : agesMs.get(spec.id());
            if (ageMs != null) {
                json.writeNumberField("age_ms", ageMs);
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeChange(JsonGenerator json, WidgetChange change) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", change.widgetId());
        if (change instanceof WidgetChange.ValueChange value) {
            json.writeStringField("type", value.type());
            writeValue(json, value.state());
        } else if (change instanceof WidgetChange.ChartChange chart) {
            json.writeStringField("type", "chart");
            writePoints(json, chart.points());
        } else {
            WidgetChange.TableChange table = (WidgetChange.TableChange) change;
            json.writeStringField("type", "table");
            if (table.replaceAll()) {
                json.writeFieldName("rows");
                writeRows(json, table.upserts());
            } else {
                json.writeFieldName("upsert");
                writeRows(json, table.upserts());
                json.writeArrayFieldStart("delete");
                for (String key : table.deletes()) {
                    json.writeString(key);
                }
                json.writeEndArray();
            }
        }
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, ValueState value) throws IOException {
        json.writeNumberField("value", value.value());
        json.writeNumberField("ts", value.timestampMs());
        if (value.previous() != null) {
            json.writeNumberField("previous", value.previous());
            json.writeNumberField("delta", value.value().subtract(value.previous()));
        }
        json.writeStringField("alert", value.alert() == null ? null : value.alert().jsonName());
    }

    private static void writePoints(JsonGenerator json, List<ChartPoint> points)
            throws IOException {
        json.writeArrayFieldStart("points");
        for (ChartPoint point : points) {
            json.writeStartArray();
            json.writeNumber(point.timestampMs());
            json.writeNumber(point.value());
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    private static void writeRows(JsonGenerator json, List<TableRow> rows) throws IOException {
        json.writeStartObject();
        for (TableRow row : rows) {
            json.writeObjectFieldStart(row.key());
            for (Map.Entry<String, Object> cell : row.values().entrySet()) {
                json.writeFieldName(cell.getKey());
                writeCell(json, cell.getValue());
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeCell(JsonGenerator json, Object cell) throws IOException {
        if (cell instanceof String s) {
            json.writeString(s);
        } else if (cell instanceof Long l) {
            json.writeNumber(l);
        } else if (cell instanceof BigDecimal d) {
            json.writeNumber(d);
        } else if (cell instanceof Double d) {
            json.writeNumber(d);
        } else {
            json.writeBoolean((Boolean) cell);
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static byte[] toBytes(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, body);
        return out.toByteArray();
    }

    private static ByteBuf toByteBuf(ByteBufAllocator alloc, Body body) {
        ByteBuf buf = alloc.buffer();
        try {
            write(new ByteBufOutputStream(buf), body);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    private static void write(OutputStream out, Body body) {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
    }
}
