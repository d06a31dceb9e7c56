package io.streamviz.job.savepoint;

import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.DashboardState.ValueState;
import io.streamviz.dashboard.DashboardState.WidgetState;
import io.streamviz.dashboard.history.HistoryStore;
import io.streamviz.job.EcommerceDashboard;
import io.streamviz.job.records.DimensionTotals;
import io.streamviz.job.records.Totals;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's running totals as the history database last recorded them: the live rows of the
 * per-region and per-category tables, and the latest rejected and customer counts. What {@code
 * savepoint bootstrap --from-history} builds state from.
 *
 * <p>The largest order is not in the history; it restarts from 0 and grows from there, as it does
 * for state written before it existed.
 */
public record HistoryTotals(
        Map<String, Totals> regions,
        Map<String, Totals> categories,
        long rejected,
        long customers) {

    public HistoryTotals {
        regions = Map.copyOf(regions);
        categories = Map.copyOf(categories);
    }

    /** Reads the latest live rows and values from the database at {@code jdbcUrl}. */
    public static HistoryTotals read(String jdbcUrl) throws SQLException {
        // The store's own reading of "latest": per row key the newest version, unless it deleted
        // the row; per value widget the newest value.
        DashboardState latest = HistoryStore.open(jdbcUrl).latest(EcommerceDashboard.dashboard());
        Map<String, WidgetState> widgets = latest.widgets();
        return new HistoryTotals(
                rows(widgets.get(EcommerceDashboard.BY_REGION.id())),
                rows(widgets.get(EcommerceDashboard.BY_CATEGORY.id())),
                count(widgets.get(EcommerceDashboard.REJECTED.id())),
                count(widgets.get(EcommerceDashboard.CUSTOMERS.id())));
    }

    /** The overall totals: what the dashboard shows as revenue and orders. */
    public Totals overall() {
        Totals sum = new Totals();
        regions.values().forEach(sum::add);
        return sum;
    }

    /** Every member's totals as the records the dimension operators emit. */
    public List<DimensionTotals> members() {
        List<DimensionTotals> members = new ArrayList<>();
        regions.forEach(
                (region, totals) -> members.add(dimension(DimensionTotals.REGION, region, totals)));
        categories.forEach(
                (category, totals) ->
                        members.add(dimension(DimensionTotals.CATEGORY, category, totals)));
        members.add(
                dimension(DimensionTotals.REJECTED, DimensionTotals.REJECTED, counter(rejected)));
        members.add(
                dimension(
                        DimensionTotals.CUSTOMERS, DimensionTotals.CUSTOMERS, counter(customers)));
        return members;
    }

    private static DimensionTotals dimension(String dimension, String member, Totals totals) {
        return new DimensionTotals(dimension, member, DimensionTotals.NO_WINDOW, totals);
    }

    /** Counters keep their count in {@code orders} and add no money. */
    private static Totals counter(long count) {
        return new Totals(0, count);
    }

    private static Map<String, Totals> rows(WidgetState widget) {
        Map<String, Totals> totals = new LinkedHashMap<>();
        if (widget == null) {
            return totals;
        }
        for (TableRow row : ((TableState) widget).rows()) {
            totals.put(row.key(), totals(row));
        }
        return totals;
    }

    private static Totals totals(TableRow row) {
        Object revenue = row.values().get("revenue");
        Object orders = row.values().get("orders");
        if (revenue == null || orders == null) {
            throw new IllegalStateException(
                    "table row '" + row.key() + "' lacks revenue or orders: " + row.values());
        }
        return new Totals(cents(decimal(revenue)), decimal(orders).longValueExact());
    }

    private static long count(WidgetState widget) {
        return widget == null ? 0 : ((ValueState) widget).value().longValueExact();
    }

    /** Money is stored to the cent; anything finer would not be the job's. */
    private static long cents(BigDecimal money) {
        return money.movePointRight(2).longValueExact();
    }

    private static BigDecimal decimal(Object cell) {
        if (cell instanceof BigDecimal decimal) {
            return decimal;
        }
        if (cell instanceof Long whole) {
            return BigDecimal.valueOf(whole);
        }
        throw new IllegalStateException("not a number in the history: " + cell);
    }
}
