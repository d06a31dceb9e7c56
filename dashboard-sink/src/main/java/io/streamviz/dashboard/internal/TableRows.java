package io.streamviz.dashboard.internal;

import io.streamviz.dashboard.SortDirection;
import io.streamviz.dashboard.TableWidget;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Row rules of a table spec, shared by {@link TableWidget#upsert} and the server. */
public final class TableRows {

    private TableRows() {}

    /**
     * Returns {@code row} with its fields in column order and the key column filled in.
     *
     * @throws IllegalArgumentException for a field that is not a column, or a key column value that
     *     differs from {@code key}
     */
    public static Map<String, Object> normalize(
            TableWidget spec, String key, Map<String, Object> row) {
        for (String field : row.keySet()) {
            if (spec.column(field).isEmpty()) {
                List<String> names = spec.columns().stream().map(TableWidget.Column::name).toList();
                throw new IllegalArgumentException(
                        "table '"
                                + spec.id()
                                + "': row field '"
                                + field
                                + "' is not one of its columns "
                                + names);
            }
        }
        Object keyValue = row.get(spec.keyColumn());
        if (keyValue != null && !key.equals(String.valueOf(keyValue))) {
            throw new IllegalArgumentException(
                    "table '"
                            + spec.id()
                            + "': key column '"
                            + spec.keyColumn()
                            + "' holds '"
                            + keyValue
                            + "' but the row key is '"
                            + key
                            + "'");
        }
        Map<String, Object> normalized = new LinkedHashMap<>();
        for (TableWidget.Column column : spec.columns()) {
            Object value = row.get(column.name());
            if (value == null && column.name().equals(spec.keyColumn())) {
                value = key;
            }
            if (value != null) {
                normalized.put(column.name(), value);
            }
        }
        return Collections.unmodifiableMap(normalized);
    }

    /**
     * Compares two rows by the spec's sort column in its direction; rows without a value in that
     * column come last either way. Returns 0 for every pair when the spec has no sort column.
     */
    public static int compareBySortColumn(
            TableWidget spec, Map<String, Object> a, Map<String, Object> b) {
        if (spec.sortColumn() == null) {
            return 0;
        }
        Object x = a.get(spec.sortColumn());
        Object y = b.get(spec.sortColumn());
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : 1) : -1;
        }
        int ascending = compareCells(x, y);
        return spec.sortDirection() == SortDirection.ASC ? ascending : -ascending;
    }

    /** Numbers by value, strings by UTF-16 order, booleans false first; kinds by that order. */
    static int compareCells(Object x, Object y) {
        int kinds = Integer.compare(kind(x), kind(y));
        if (kinds != 0) {
            return kinds;
        }
        if (x instanceof Boolean bx) {
            return Boolean.compare(bx, (Boolean) y);
        }
        if (x instanceof String sx) {
            return sx.compareTo((String) y);
        }
        return toDecimal(x).compareTo(toDecimal(y));
    }

    private static int kind(Object cell) {
        if (cell instanceof Boolean) {
            return 0;
        }
        return cell instanceof String ? 2 : 1;
    }

    private static BigDecimal toDecimal(Object number) {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        return BigDecimal.valueOf(((Number) number).doubleValue());
    }
}
