package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;
import io.streamviz.dashboard.internal.TableRows;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rows keyed by a string, such as one row per region. A row keeps its place when it is updated. At
 * most {@link #maxRows()} rows are kept: with a sort column, those that sort first; without one,
 * the most recently updated.
 */
public final class TableWidget implements WidgetSpec {

    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_ROWS = 50;

    /** A column: the row field {@code name}, headed {@code label}, printed per {@code format}. */
    public record Column(String name, String label, ColumnFormat format) implements Serializable {}

    private final String id;
    private final String title;
    private final String keyColumn;
    private final List<Column> columns;
    private final int maxRows;
    private final String sortColumn;
    private final SortDirection sortDirection;

    private TableWidget(Builder builder) {
        this.id = builder.id;
        this.title = builder.title == null ? builder.id : builder.title;
        this.keyColumn = builder.keyColumn;
        this.columns = List.copyOf(builder.columns);
        this.maxRows = builder.maxRows;
        this.sortColumn = builder.sortColumn;
        this.sortDirection = builder.sortDirection;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /**
     * An update that inserts or replaces the row {@code key}. The key column is filled with {@code
     * key} when {@code row} lacks it.
     *
     * @throws IllegalArgumentException if {@code row} has a field that is not a column, a key
     *     column that differs from {@code key}, or a value of an unsupported type
     */
    public TableRowUpsert upsert(String key, Map<String, Object> row, long timestampMs) {
        TableRowUpsert upsert = new TableRowUpsert(id, key, row, timestampMs);
        return new TableRowUpsert(
                id, key, TableRows.normalize(this, key, upsert.row()), timestampMs);
    }

    public TableRowDelete delete(String key, long timestampMs) {
        return new TableRowDelete(id, key, timestampMs);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return "table";
    }

    @Override
    public String title() {
        return title;
    }

    /** The column that holds each row's key. */
    public String keyColumn() {
        return keyColumn;
    }

    public List<Column> columns() {
        return columns;
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public int maxRows() {
        return maxRows;
    }

    /** The column rows are sorted by; null for insertion order. */
    public String sortColumn() {
        return sortColumn;
    }

    /** Null exactly when {@link #sortColumn()} is. */
    public SortDirection sortDirection() {
        return sortDirection;
    }

    @Override
    public String toString() {
        return "TableWidget[" + id + "]";
    }

    public static final class Builder {
        private final String id;
        private String title;
        private String keyColumn;
        private final List<Column> columns = new ArrayList<>();
        private int maxRows = DEFAULT_MAX_ROWS;
        private String sortColumn;
        private SortDirection sortDirection;

        private Builder(String id) {
            this.id = id;
        }

        /** Defaults to the id. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /** Required: one of the columns. */
        public Builder keyColumn(String keyColumn) {
            this.keyColumn = keyColumn;
            return this;
        }

        /** Adds a column; columns are shown in the order they are added. */
        public Builder column(String name, String label, ColumnFormat format) {
            columns.add(new Column(name, label, format));
            return this;
        }

        /** 1 to 10,000; default 50. */
        public Builder maxRows(int maxRows) {
            this.maxRows = maxRows;
            return this;
        }

        public Builder sortBy(String column, SortDirection direction) {
            this.sortColumn = column;
            this.sortDirection = direction;
            return this;
        }

        public TableWidget build() {
            Checks.widgetId(id);
            String owner = "table widget '" + id + "'";
            if (title != null) {
                Checks.notBlank(owner, "title", title);
            }
            if (columns.isEmpty()) {
                throw new IllegalArgumentException(owner + ": needs at least one column");
            }
            Set<String> names = new HashSet<>();
            for (Column column : columns) {
                Checks.notBlank(owner, "column name", column.name());
                Checks.notBlank(owner, "label of column '" + column.name() + "'", column.label());
                if (column.format() == null) {
                    throw new IllegalArgumentException(
                            owner + ": column '" + column.name() + "' needs a format");
                }
                if (!names.add(column.name())) {
                    throw new IllegalArgumentException(
                            owner + ": column '" + column.name() + "' is given twice");
                }
            }
            if (keyColumn == null || !names.contains(keyColumn)) {
                throw new IllegalArgumentException(
                        owner
                                + ": keyColumn must name one of the columns "
                                + names
                                + ", was "
                                + keyColumn);
            }
            Checks.between(owner, "maxRows", maxRows, 1, 10_000);
            if (sortColumn != null || sortDirection != null) {
                if (sortColumn == null || !names.contains(sortColumn)) {
                    throw new IllegalArgumentException(
                            owner
                                    + ": sortBy column must name one of the columns "
                                    + names
                                    + ", was "
                                    + sortColumn);
                }
                if (sortDirection == null) {
                    throw new IllegalArgumentException(owner + ": sortBy needs a direction");
                }
            }
            return new TableWidget(this);
        }
    }
}
