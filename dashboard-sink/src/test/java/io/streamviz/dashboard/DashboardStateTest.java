package io.streamviz.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.DashboardState.ChartState;
import io.streamviz.dashboard.DashboardState.Marker;
import io.streamviz.dashboard.DashboardState.TableRow;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.DashboardState.ValueState;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardStateTest {

    private static DashboardState sampleState() {
        Map<String, Object> europe = new LinkedHashMap<>();
        europe.put("region", "europe");
        europe.put("revenue", new BigDecimal("410.00"));
        europe.put("orders", 9L);
        europe.put("avg_order", new BigDecimal("45.56"));
        europe.put("share", 0.25);
        europe.put("active", true);
        Map<String, DashboardState.WidgetState> widgets = new LinkedHashMap<>();
        widgets.put(
                "revenue",
                new ValueState(
                        new BigDecimal("1234.50"), new BigDecimal("1200.00"), 17L, Alert.ABOVE));
        widgets.put("orders", new ValueState(new BigDecimal("27"), null, 18L));
        widgets.put(
                "revenue_chart",
                new ChartState(
                        List.of(
                                new ChartPoint(1_764_769_980_000L, new BigDecimal("310.25")),
                                new ChartPoint(1_764_770_040_000L, new BigDecimal("-0.01")))));
        widgets.put(
                "by_region",
                new TableState(List.of(new TableRow("europe", europe, 1_764_770_000_000L))));
        return DashboardState.of(
                widgets, List.of(new Marker(1_764_770_010_000L, "restored from checkpoint 41")));
    }

    @Test
    void bytesRoundTripExactlyIncludingDecimalScale() {
        DashboardState state = sampleState();

        DashboardState copy = DashboardState.fromBytes(state.toBytes());

        assertThat(copy).isEqualTo(state);
        ValueState revenue = (ValueState) copy.widgets().get("revenue");
        assertThat(revenue.value()).isEqualTo(new BigDecimal("1234.50"));
        assertThat(revenue.value().scale()).isEqualTo(2);
        TableRow europe = ((TableState) copy.widgets().get("by_region")).rows().get(0);
        assertThat(europe.values().get("revenue")).isEqualTo(new BigDecimal("410.00"));
        assertThat(europe.values().get("share")).isEqualTo(0.25);
        assertThat(europe.values().get("active")).isEqualTo(true);
        assertThat(copy.widgets().keySet())
                .containsExactly("revenue", "orders", "revenue_chart", "by_region");
        assertThat(revenue.alert()).isEqualTo(Alert.ABOVE);
        assertThat(copy.markers())
                .containsExactly(new Marker(1_764_770_010_000L, "restored from checkpoint 41"));
    }

    @Test
    void readsVersion1BytesWithoutAlertsOrMarkers() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(1);
            out.writeInt(1);
            writeString(out, "revenue");
            out.writeByte(1); // kind: value
            writeDecimal(out, new BigDecimal("1234.50"));
            out.writeBoolean(true);
            writeDecimal(out, new BigDecimal("1200.00"));
            out.writeLong(17L);
        }

        DashboardState state = DashboardState.fromBytes(bytes.toByteArray());

        assertThat(state.widgets())
                .containsExactly(
                        Map.entry(
                                "revenue",
                                new ValueState(
                                        new BigDecimal("1234.50"),
                                        new BigDecimal("1200.00"),
                                        17L,
                                        null)));
        assertThat(state.markers()).isEmpty();
        assertThat(ByteBuffer.wrap(state.toBytes()).getInt()).isEqualTo(2);
    }

    @Test
    void keepsOnlyTheNewestMarkers() {
        List<Marker> markers = new ArrayList<>();
        for (int i = 0; i < DashboardState.MAX_MARKERS + 5; i++) {
            markers.add(new Marker(i, "restore " + i));
        }

        DashboardState state = DashboardState.of(Map.of(), markers);

        assertThat(state.markers()).hasSize(DashboardState.MAX_MARKERS);
        assertThat(state.markers().get(0).label()).isEqualTo("restore 5");
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void writeDecimal(DataOutputStream out, BigDecimal value) throws IOException {
        byte[] unscaled = value.unscaledValue().toByteArray();
        out.writeInt(value.scale());
        out.writeInt(unscaled.length);
        out.write(unscaled);
    }

    @Test
    void bytesAreTheSameForTheSameState() {
        byte[] first = sampleState().toBytes();
        byte[] second = DashboardState.fromBytes(first).toBytes();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void bytesStartWithTheFormatVersion() {
        byte[] bytes = sampleState().toBytes();

        assertThat(ByteBuffer.wrap(bytes).getInt()).isEqualTo(DashboardState.FORMAT_VERSION);
    }

    @Test
    void unknownFormatVersionIsRejectedNamingTheVersion() {
        byte[] bytes = sampleState().toBytes();
        ByteBuffer.wrap(bytes).putInt(0, 99);

        assertThatThrownBy(() -> DashboardState.fromBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "unsupported dashboard state format version 99, this build reads versions 1"
                                + " to 2");
    }

    @Test
    void truncatedOrPaddedBytesAreRejected() {
        byte[] bytes = sampleState().toBytes();

        assertThatThrownBy(() -> DashboardState.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("corrupt dashboard state");
        assertThatThrownBy(() -> DashboardState.fromBytes(Arrays.copyOf(bytes, bytes.length + 2)))
                .hasMessage("corrupt dashboard state: 2 bytes after the end");
        assertThatThrownBy(() -> DashboardState.fromBytes(new byte[2]))
                .hasMessageStartingWith("not a dashboard state");
    }

    @Test
    void emptyStateRoundTrips() {
        assertThat(DashboardState.fromBytes(DashboardState.empty().toBytes()))
                .isEqualTo(DashboardState.empty());
    }

    @Test
    void chartPointsOutOfOrderAreRejected() {
        assertThatThrownBy(
                        () ->
                                new ChartState(
                                        List.of(
                                                new ChartPoint(2L, BigDecimal.ONE),
                                                new ChartPoint(1L, BigDecimal.ONE))))
                .hasMessageContaining("strictly ascending");
    }
}
