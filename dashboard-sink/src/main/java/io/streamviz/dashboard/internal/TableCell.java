package io.streamviz.dashboard.internal;

import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.DashboardState.WidgetState;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.TableRowDelete;
import io.streamviz.dashboard.TableRowUpsert;
import io.streamviz.dashboard.TableWidget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table's rows by key, in insertion order (an updated row keeps its place). Bounded by {@code
 * maxRows}: past it, the row that sorts last goes, or without a sort column the one updated longest
 * ago.
 */
final class TableCell implements WidgetCell {

    private final TableWidget spec;

    /** Never more than {@code spec.maxRows()} entries. */
    private final LinkedHashMap<String, TableRow> rows = new LinkedHashMap<>();

    /**
     * Keys upserted, deleted or evicted since the last broadcast. A key absent from {@link #rows}
     * when drained is sent as a delete, so the latest of an upsert and a delete always wins.
     * Bounded by {@link #maxTrackedChanges()}; past that the next broadcast sends the whole table
     * instead.
     */
    private final Set<String> changedKeys = new LinkedHashSet<>();

    private boolean replaceAll;

    TableCell(TableWidget spec) {
        this.spec = spec;
    }

    @Override
    public TableWidget spec() {
        return spec;
    }

    @Override
    public void apply(DashboardUpdate update) {
        if (update instanceof TableRowUpsert upsert) {
            Map<String, Object> values = TableRows.normalize(spec, upsert.key(), upsert.row());
            rows.put(upsert.key(), new TableRow(upsert.key(), values, upsert.timestampMs()));
            markChanged(upsert.key());
            if (rows.size() > spec.maxRows()) {
                markChanged(evict());
            }
        } else if (update instanceof TableRowDelete delete) {
            if (rows.remove(delete.key()) != null) {
                markChanged(delete.key());
            }
        } else {
            throw WidgetCell.mismatch(spec, update);
        }
    }

    @Override
    public WidgetState state() {
        return rows.isEmpty() ? null : new TableState(new ArrayList<>(rows.values()));
    }

    @Override
    public boolean restore(WidgetState restored) {
        if (restored != null && !(restored instanceof TableState)) {
            return false;
        }
        rows.clear();
        if (restored != null) {
            for (TableRow row : ((TableState) restored).rows()) {
                rows.put(row.key(), row);
                if (rows.size() > spec.maxRows()) {
                    evict();
                }
            }
        }
        changedKeys.clear();
        replaceAll = false;
        return true;
    }

    @Override
    public WidgetChange drainChange() {
        if (replaceAll) {
            replaceAll = false;
            return new WidgetChange.TableChange(
                    spec.id(), new ArrayList<>(rows.values()), List.of(), true);
        }
        if (changedKeys.isEmpty()) {
            return null;
        }
        List<TableRow> upserts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        for (String key : changedKeys) {
            TableRow row = rows.get(key);
            if (row != null) {
                upserts.add(row);
            } else {
                deletes.add(key);
            }
        }
        changedKeys.clear();
        return new WidgetChange.TableChange(spec.id(), upserts, deletes, false);
    }

    private void markChanged(String key) {
        if (replaceAll) {
            return;
        }
        changedKeys.add(key);
        if (changedKeys.size() > maxTrackedChanges()) {
            changedKeys.clear();
            replaceAll = true;
        }
    }

    /** Beyond this many changed keys in one tick a full table is no larger than the changes. */
    private int maxTrackedChanges() {
        return 2 * spec.maxRows();
    }

    /** Removes the row the table can best spare and returns its key. */
    private String evict() {
        TableRow victim = null;
        for (TableRow row : rows.values()) {
            if (victim == null || sparerThan(row, victim)) {
                victim = row;
            }
        }
        rows.remove(victim.key());
        return victim.key();
    }

    /**
     * Whether {@code row}, which comes after {@code candidate} in insertion order, is the better
     * row to evict: with a sort column, the one shown last (among equals, the later one); without
     * one, the one updated longest ago (among equals, the earlier one).
     */
    private boolean sparerThan(TableRow row, TableRow candidate) {
        if (spec.sortColumn() != null) {
            return TableRows.compareBySortColumn(spec, row.values(), candidate.values()) >= 0;
        }
        return row.timestampMs() < candidate.timestampMs();
    }
}
