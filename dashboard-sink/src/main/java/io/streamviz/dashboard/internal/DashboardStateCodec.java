package io.streamviz.dashboard.internal;

import io.streamviz.dashboard.Alert;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.DashboardState.ChartState;
import io.streamviz.dashboard.DashboardState.Marker;
import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.DashboardState.ValueState;
import io.streamviz.dashboard.DashboardState.WidgetState;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of {@link DashboardState}, big-endian:
 *
 * <pre>
 * state   = int version (2), int widgetCount, widget*, int markerCount, (long ts, string label)*
 * widget  = string id, byte kind, body
 *   kind 1 (stat, gauge) = decimal value, byte hasPrevious, [decimal previous], long ts,
 *                          byte alert (0 none, 1 above, 2 below)
 *   kind 2 (chart)       = int count, (long ts, decimal value)*
 *   kind 3 (table)       = int count, (string key, long ts, int cells, (string column, cell)*)*
 * cell    = byte tag, then 1: string, 2: long, 3: decimal, 4: double bits as long, 5: byte 0/1
 * decimal = int scale, int length, unscaled value as two's complement bytes
 * string  = int length, UTF-8 bytes
 * </pre>
 *
 * Version 1 was the same without the alert byte and without markers. A new layout gets a new
 * version number, and {@link #decode} keeps reading the old ones.
 */
public final class DashboardStateCodec {

    private static final byte KIND_VALUE = 1;
    private static final byte KIND_CHART = 2;
    private static final byte KIND_TABLE = 3;

    private static final byte NO_ALERT = 0;
    private static final byte ALERT_ABOVE = 1;
    private static final byte ALERT_BELOW = 2;

    private static final byte CELL_STRING = 1;
    private static final byte CELL_LONG = 2;
    private static final byte CELL_DECIMAL = 3;
    private static final byte CELL_DOUBLE = 4;
    private static final byte CELL_BOOLEAN = 5;

    private DashboardStateCodec() {}

    public static byte[] encode(DashboardState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(DashboardState.FORMAT_VERSION);
            out.writeInt(state.widgets().size());
            for (Map.Entry<String, WidgetState> widget : state.widgets().entrySet()) {
                writeString(out, widget.getKey());
                writeWidget(out, widget.getValue());
            }
            out.writeInt(state.markers().size());
            for (Marker marker : state.markers()) {
                out.writeLong(marker.timestampMs());
                writeString(out, marker.label());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a byte array cannot fail", e);
        }
        return bytes.toByteArray();
    }

    public static DashboardState decode(byte[] bytes) {
        if (bytes == null || bytes.length < Integer.BYTES) {
            throw new IllegalArgumentException(
                    "not a dashboard state: "
                            + (bytes == null ? "null" : bytes.length + " bytes")
                            + " is too short for a format version");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int version = in.getInt();
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException(
                    "unsupported dashboard state format version "
                            + version
                            + ", this build reads versions 1 to "
                            + DashboardState.FORMAT_VERSION);
        }
        try {
            DashboardState state = read(in, version);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(
                        "corrupt dashboard state: " + in.remaining() + " bytes after the end");
            }
            return state;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt dashboard state: truncated", e);
        }
    }

    private static void writeWidget(DataOutputStream out, WidgetState state) throws IOException {
        if (state instanceof ValueState value) {
            out.writeByte(KIND_VALUE);
            writeDecimal(out, value.value());
            out.writeBoolean(value.previous() != null);
            if (value.previous() != null) {
                writeDecimal(out, value.previous());
            }
            out.writeLong(value.timestampMs());
            out.writeByte(alertByte(value.alert()));
        } else if (state instanceof ChartState chart) {
            out.writeByte(KIND_CHART);
            out.writeInt(chart.points().size());
            for (ChartPoint point : chart.points()) {
                out.writeLong(point.timestampMs());
                writeDecimal(out, point.value());
            }
        } else {
            TableState table = (TableState) state;
            out.writeByte(KIND_TABLE);
            out.writeInt(table.rows().size());
            for (TableRow row : table.rows()) {
                writeString(out, row.key());
                out.writeLong(row.timestampMs());
                out.writeInt(row.values().size());
                for (Map.Entry<String, Object> cell : row.values().entrySet()) {
                    writeString(out, cell.getKey());
                    writeCell(out, cell.getValue());
                }
            }
        }
    }

    private static byte alertByte(Alert alert) {
        if (alert == null) {
            return NO_ALERT;
        }
        return alert == Alert.ABOVE ? ALERT_ABOVE : ALERT_BELOW;
    }

    private static Alert readAlert(ByteBuffer in) {
        byte alert = in.get();
        switch (alert) {
            case NO_ALERT:
                return null;
            case ALERT_ABOVE:
                return Alert.ABOVE;
            case ALERT_BELOW:
                return Alert.BELOW;
            default:
                throw new IllegalArgumentException(
                        "corrupt dashboard state: unknown alert " + alert);
        }
    }

    private static void writeCell(DataOutputStream out, Object cell) throws IOException {
        if (cell instanceof String s) {
            out.writeByte(CELL_STRING);
            writeString(out, s);
        } else if (cell instanceof Long l) {
            out.writeByte(CELL_LONG);
            out.writeLong(l);
        } else if (cell instanceof BigDecimal d) {
            out.writeByte(CELL_DECIMAL);
            writeDecimal(out, d);
        } else if (cell instanceof Double d) {
            out.writeByte(CELL_DOUBLE);
            out.writeLong(Double.doubleToLongBits(d));
        } else {
            out.writeByte(CELL_BOOLEAN);
            out.writeBoolean((Boolean) cell);
        }
    }

    private static void writeDecimal(DataOutputStream out, BigDecimal value) throws IOException {
        byte[] unscaled = value.unscaledValue().toByteArray();
        out.writeInt(value.scale());
        out.writeInt(unscaled.length);
        out.write(unscaled);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static DashboardState read(ByteBuffer in, int version) {
        int widgetCount = readCount(in, "widget count");
        Map<String, WidgetState> widgets = new LinkedHashMap<>();
        for (int i = 0; i < widgetCount; i++) {
            String id = readString(in);
            widgets.put(id, readWidget(in, id, version));
        }
        if (version == 1) {
            return DashboardState.of(widgets);
        }
        int markerCount = readCount(in, "marker count");
        List<Marker> markers = new ArrayList<>(markerCount);
        for (int i = 0; i < markerCount; i++) {
            long timestampMs = in.getLong();
            markers.add(new Marker(timestampMs, readString(in)));
        }
        return DashboardState.of(widgets, markers);
    }

    private static WidgetState readWidget(ByteBuffer in, String id, int version) {
        byte kind = in.get();
        switch (kind) {
            case KIND_VALUE:
                BigDecimal value = readDecimal(in);
                BigDecimal previous = in.get() != 0 ? readDecimal(in) : null;
                long timestampMs = in.getLong();
                Alert alert = version == 1 ? null : readAlert(in);
                return new ValueState(value, previous, timestampMs, alert);
            case KIND_CHART:
                int pointCount = readCount(in, "point count");
                List<ChartPoint> points = new ArrayList<>(pointCount);
                for (int i = 0; i < pointCount; i++) {
                    long pointMs = in.getLong();
                    points.add(new ChartPoint(pointMs, readDecimal(in)));
                }
                return new ChartState(points);
            case KIND_TABLE:
                int rowCount = readCount(in, "row count");
                List<TableRow> rows = new ArrayList<>(rowCount);
                for (int i = 0; i < rowCount; i++) {
                    rows.add(readRow(in));
                }
                return new TableState(rows);
            default:
                throw new IllegalArgumentException(
                        "corrupt dashboard state: widget '" + id + "' has unknown kind " + kind);
        }
    }

    private static TableRow readRow(ByteBuffer in) {
        String key = readString(in);
        long timestampMs = in.getLong();
        int cellCount = readCount(in, "cell count");
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < cellCount; i++) {
            String column = readString(in);
            values.put(column, readCell(in));
        }
        return new TableRow(key, values, timestampMs);
    }

    private static Object readCell(ByteBuffer in) {
        byte tag = in.get();
        switch (tag) {
            case CELL_STRING:
                return readString(in);
            case CELL_LONG:
                return in.getLong();
            case CELL_DECIMAL:
                return readDecimal(in);
            case CELL_DOUBLE:
                return Double.longBitsToDouble(in.getLong());
            case CELL_BOOLEAN:
                return in.get() != 0;
            default:
                throw new IllegalArgumentException(
                        "corrupt dashboard state: unknown cell tag " + tag);
        }
    }

    private static BigDecimal readDecimal(ByteBuffer in) {
        int scale = in.getInt();
        byte[] unscaled = readBytes(in, readCount(in, "decimal length"));
        if (unscaled.length == 0) {
            throw new IllegalArgumentException("corrupt dashboard state: empty decimal");
        }
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    private static String readString(ByteBuffer in) {
        return new String(readBytes(in, readCount(in, "string length")), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** Reads a count, refusing one that the remaining bytes cannot hold before allocating. */
    private static int readCount(ByteBuffer in, String what) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining()) {
            throw new IllegalArgumentException(
                    "corrupt dashboard state: "
                            + what
                            + " "
                            + count
                            + " with "
                            + in.remaining()
                            + " bytes left");
        }
        return count;
    }
}
