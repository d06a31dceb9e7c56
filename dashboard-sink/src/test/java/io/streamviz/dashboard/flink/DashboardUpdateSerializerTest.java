package io.streamviz.dashboard.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamviz.dashboard.ChartPointUpdate;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.GaugeUpdate;
import io.streamviz.dashboard.StatUpdate;
import io.streamviz.dashboard.TableRowDelete;
import io.streamviz.dashboard.TableRowUpsert;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class DashboardUpdateSerializerTest {
    private final DashboardUpdateSerializer serializer = DashboardUpdateSerializer.INSTANCE;

    @Test
    void everyKindOfUpdateSurvivesTheRoundTripExactly() throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("region", "europe");
        row.put("revenue", new BigDecimal("410.10"));
        row.put("orders", 9L);
        row.put("share", 0.25);
        row.put("active", true);
        List<DashboardUpdate> updates =
                List.of(
                        new StatUpdate("revenue", new BigDecimal("1000000194.56"), 1L),
                        new GaugeUpdate("rate", new BigDecimal("-48.5"), 2L),
                        new ChartPointUpdate("chart", 1_764_769_980_000L, new BigDecimal("0.10")),
                        new TableRowUpsert("by_region", "europe", row, 3L),
                        new TableRowDelete("by_region", "asia", 4L));

        for (DashboardUpdate update : updates) {
            assertThat(roundTrip(update)).isEqualTo(update);
        }
    }

    @Test
    void keepsTheScaleOfMoneySoThatTheDashboardShowsTrailingZeros() throws Exception {
        StatUpdate update = new StatUpdate("revenue", new BigDecimal("5.30"), 1L);

        BigDecimal value = ((StatUpdate) roundTrip(update)).value();

        assertThat(value.toPlainString()).isEqualTo("5.30");
    }

    @Test
    void flinkFindsTheSerializerThroughTheTypeAnnotation() {
        TypeInformation<DashboardUpdate> type = TypeInformation.of(DashboardUpdate.class);

        assertThat(type).isEqualTo(DashboardUpdateTypeInfo.INSTANCE);
    }

    private DashboardUpdate roundTrip(DashboardUpdate update) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(update, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
