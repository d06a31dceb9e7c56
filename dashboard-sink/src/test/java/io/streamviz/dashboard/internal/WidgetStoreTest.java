package io.streamviz.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamviz.dashboard.ChartWidget;
import io.streamviz.dashboard.ColumnFormat;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.StatWidget;
import io.streamviz.dashboard.TableWidget;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conflation: what one broadcast carries after many updates between two ticks. */
class WidgetStoreTest {

    private static final StatWidget ORDERS = StatWidget.builder("orders").build();
    private static final ChartWidget CHART = ChartWidget.builder("chart").maxPoints(3).build();
    private static final TableWidget TABLE =
            TableWidget.builder("table")
                    .keyColumn("k")
                    .column("k", "Key", ColumnFormat.TEXT)
                    .column("n", "N", ColumnFormat.INTEGER)
                    .maxRows(2)
                    .build();

    private final WidgetStore store =
            new WidgetStore(
                    Dashboard.builder("t").widget(ORDERS).widget(CHART).widget(TABLE).build());

    @Test
    void manyStatUpdatesDrainAsOneChangeWithTheNewestValue() {
        for (int i = 1; i <= 1000; i++) {
            store.apply(ORDERS.set(i, i));
        }

        List<WidgetChange> changes = store.drainChanges();

        assertThat(changes).hasSize(1);
        WidgetChange.ValueChange change = (WidgetChange.ValueChange) changes.get(0);
        assertThat(change.state().value()).isEqualTo(new BigDecimal("1000"));
        assertThat(change.state().previous()).isEqualTo(new BigDecimal("999"));
        assertThat(store.drainChanges()).isEmpty();
    }

    @Test
    void chartChangeCarriesEachTimestampOnceWithItsNewestValue() {
        store.apply(CHART.point(2L, BigDecimal.ONE));
        store.apply(CHART.point(1L, BigDecimal.ONE));
        store.apply(CHART.point(2L, BigDecimal.TEN));

        WidgetChange.ChartChange change = (WidgetChange.ChartChange) store.drainChanges().get(0);

        assertThat(change.points())
                .containsExactly(
                        new ChartPoint(1L, BigDecimal.ONE), new ChartPoint(2L, BigDecimal.TEN));
    }

    @Test
    void pointPushedOutBeforeTheBroadcastIsNotSent() {
        for (long ts = 1; ts <= 5; ts++) {
            store.apply(CHART.point(ts, BigDecimal.valueOf(ts)));
        }

        WidgetChange.ChartChange change = (WidgetChange.ChartChange) store.drainChanges().get(0);

        assertThat(change.points()).extracting(ChartPoint::timestampMs).containsExactly(3L, 4L, 5L);
    }

    @Test
    void deleteAfterAnUpsertWinsAndUpsertAfterADeleteWins() {
        store.apply(TABLE.upsert("a", Map.of("n", 1), 1L));
        store.apply(TABLE.upsert("b", Map.of("n", 1), 1L));
        store.drainChanges();

        store.apply(TABLE.upsert("a", Map.of("n", 2), 2L));
        store.apply(TABLE.delete("a", 3L));
        store.apply(TABLE.delete("b", 3L));
        store.apply(TABLE.upsert("b", Map.of("n", 5), 4L));
        WidgetChange.TableChange change = (WidgetChange.TableChange) store.drainChanges().get(0);

        assertThat(change.deletes()).containsExactly("a");
        assertThat(change.upserts())
                .extracting(TableRow::key, row -> row.values().get("n"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", 5L));
        assertThat(change.replaceAll()).isFalse();
    }

    @Test
    void rowEvictedByMaxRowsIsSentAsADelete() {
        store.apply(TABLE.upsert("old", Map.of("n", 1), 1L));
        store.apply(TABLE.upsert("mid", Map.of("n", 1), 2L));
        store.drainChanges();

        store.apply(TABLE.upsert("new", Map.of("n", 1), 3L));
        WidgetChange.TableChange change = (WidgetChange.TableChange) store.drainChanges().get(0);

        assertThat(change.deletes()).containsExactly("old");
        assertThat(change.upserts()).extracting(TableRow::key).containsExactly("new");
    }

    @Test
    void moreChangedRowsThanTrackedAreSentAsTheWholeTable() {
        store.apply(TABLE.upsert("kept", Map.of("n", 1), 1_000L));
        for (int i = 0; i < 100; i++) {
            store.apply(TABLE.upsert("churn" + i, Map.of("n", i), i));
            store.apply(TABLE.delete("churn" + i, i));
        }

        WidgetChange.TableChange change = (WidgetChange.TableChange) store.drainChanges().get(0);

        assertThat(change.replaceAll()).isTrue();
        assertThat(change.upserts()).extracting(TableRow::key).containsExactly("kept");
    }
}
