package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.ChartPointUpdate;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.GaugeUpdate;
import io.streamviz.dashboard.StatUpdate;
import io.streamviz.dashboard.TableRowDelete;
import io.streamviz.dashboard.TableRowUpsert;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer for {@link DashboardUpdate}s, so that updates travel between operators in a
 * compact binary form instead of falling back to Kryo. Updates are immutable records, so copies are
 * the records themselves.
 *
 * <p>Format: a tag byte for the kind of update, then its fields; decimals as scale plus unscaled
 * bytes (exact); table cells as a type byte plus value. Changing it needs a new snapshot version if
 * updates are ever kept in state (today they are not: the sink keeps {@code DashboardState}).
 */
public final class DashboardUpdateSerializer extends TypeSerializerSingleton<DashboardUpdate> {
    private static final long serialVersionUID = 1L;

    public static final DashboardUpdateSerializer INSTANCE = new DashboardUpdateSerializer();

    private static final byte STAT = 1;
    private static final byte GAUGE = 2;
    private static final byte CHART_POINT = 3;
    private static final byte ROW_UPSERT = 4;
    private static final byte ROW_DELETE = 5;

    private static final byte CELL_STRING = 1;
    private static final byte CELL_LONG = 2;
    private static final byte CELL_DECIMAL = 3;
    private static final byte CELL_DOUBLE = 4;
    private static final byte CELL_BOOLEAN = 5;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public DashboardUpdate createInstance() {
        return null; // there is no neutral update; Flink only asks for mutable types
    }

    @Override
    public DashboardUpdate copy(DashboardUpdate from) {
        return from;
    }

    @Override
    public DashboardUpdate copy(DashboardUpdate from, DashboardUpdate reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(DashboardUpdate update, DataOutputView out) throws IOException {
        // Java 17 has no pattern matching in switch; the chain covers every permitted subtype.
        if (update instanceof StatUpdate stat) {
            out.writeByte(STAT);
            StringValue.writeString(stat.widgetId(), out);
            writeDecimal(stat.value(), out);
            out.writeLong(stat.timestampMs());
        } else if (update instanceof GaugeUpdate gauge) {
            out.writeByte(GAUGE);
            StringValue.writeString(gauge.widgetId(), out);
            writeDecimal(gauge.value(), out);
            out.writeLong(gauge.timestampMs());
        } else if (update instanceof ChartPointUpdate point) {
            out.writeByte(CHART_POINT);
            StringValue.writeString(point.widgetId(), out);
            out.writeLong(point.timestampMs());
            writeDecimal(point.value(), out);
        } else if (update instanceof TableRowUpsert upsert) {
            out.writeByte(ROW_UPSERT);
            StringValue.writeString(upsert.widgetId(), out);
            StringValue.writeString(upsert.key(), out);
            out.writeInt(upsert.row().size());
            for (Map.Entry<String, Object> cell : upsert.row().entrySet()) {
                StringValue.writeString(cell.getKey(), out);
                writeCell(cell.getValue(), out);
            }
            out.writeLong(upsert.timestampMs());
        } else {
            TableRowDelete delete = (TableRowDelete) update;
            out.writeByte(ROW_DELETE);
            StringValue.writeString(delete.widgetId(), out);
            StringValue.writeString(delete.key(), out);
            out.writeLong(delete.timestampMs());
        }
    }

    @Override
    public DashboardUpdate deserialize(DataInputView in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case STAT:
                return new StatUpdate(StringValue.readString(in), readDecimal(in), in.readLong());
            case GAUGE:
                return new GaugeUpdate(StringValue.readString(in), readDecimal(in), in.readLong());
            case CHART_POINT:
                return new ChartPointUpdate(
                        StringValue.readString(in), in.readLong(), readDecimal(in));
            case ROW_UPSERT:
                String widgetId = StringValue.readString(in);
                String key = StringValue.readString(in);
                int cells = in.readInt();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < cells; i++) {
                    row.put(StringValue.readString(in), readCell(in));
                }
                return new TableRowUpsert(widgetId, key, row, in.readLong());
            case ROW_DELETE:
                return new TableRowDelete(
                        StringValue.readString(in), StringValue.readString(in), in.readLong());
            default:
                throw new IOException("unknown dashboard update tag " + tag);
        }
    }

    @Override
    public DashboardUpdate deserialize(DashboardUpdate reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<DashboardUpdate> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeDecimal(BigDecimal value, DataOutputView out) throws IOException {
        byte[] unscaled = value.unscaledValue().toByteArray();
        out.writeInt(value.scale());
        out.writeInt(unscaled.length);
        out.write(unscaled);
    }

    private static BigDecimal readDecimal(DataInputView in) throws IOException {
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readInt()];
        in.readFully(unscaled);
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    private static void writeCell(Object value, DataOutputView out) throws IOException {
        if (value instanceof String text) {
            out.writeByte(CELL_STRING);
            StringValue.writeString(text, out);
        } else if (value instanceof Long number) {
            out.writeByte(CELL_LONG);
            out.writeLong(number);
        } else if (value instanceof BigDecimal decimal) {
            out.writeByte(CELL_DECIMAL);
            writeDecimal(decimal, out);
        } else if (value instanceof Double number) {
            out.writeByte(CELL_DOUBLE);
            out.writeDouble(number);
        } else if (value instanceof Boolean flag) {
            out.writeByte(CELL_BOOLEAN);
            out.writeBoolean(flag);
        } else {
            // TableRowUpsert admits only the types above, so this is a bug, not bad input.
            throw new IOException("table cell of unsupported type " + value.getClass().getName());
        }
    }

    private static Object readCell(DataInputView in) throws IOException {
        byte type = in.readByte();
        return switch (type) {
            case CELL_STRING -> StringValue.readString(in);
            case CELL_LONG -> in.readLong();
            case CELL_DECIMAL -> readDecimal(in);
            case CELL_DOUBLE -> in.readDouble();
            case CELL_BOOLEAN -> in.readBoolean();
            default -> throw new IOException("unknown table cell type " + type);
        };
    }

    /** Lets Flink check in a savepoint that the format above is still the one in use. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DashboardUpdate> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
