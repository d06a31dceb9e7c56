package io.streamviz.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.DashboardState.ChartState;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.DashboardState.ValueState;
import io.streamviz.dashboard.internal.IngestClient;
import io.streamviz.dashboard.internal.IngestProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A job writer's {@link IngestClient} publishing to a real server over {@code /ingest}. */
class RemoteIngestTest {
    private static final String TOKEN = "ingest-t0ken";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final long T0 = 1_764_770_000_000L;

    private DashboardServer server;
    private IngestClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyFigureAWriterPublishesIsShownExactly() {
        server = startServer(0);
        client = newClient(server.port(), TOKEN, null);

        publishShopFigures(client, 1, 500);

        awaitShown(server, 500);
        // The server applies a message before its ack reaches the writer.
        Poll.until(TIMEOUT, client::drained, drained -> drained, "the writer to be drained");
    }

    @Test
    void metricsCountIngestedUpdatesAndMeasureLagFromTheirNewestTimestamp() {
        server = startServer(0);
        client = newClient(server.port(), TOKEN, null);

        publishShopFigures(client, 1, 50);
        awaitShown(server, 50);

        // The newest ts published: the chart point of minute 5.
        long newestTs = T0 + 5 * 60_000L;
        long before = System.currentTimeMillis();
        List<PrometheusText.Sample> metrics =
                PrometheusText.parse(
                        new HttpProbe(server.port())
                                .get("/metrics", "Authorization", "Bearer " + TOKEN)
                                .body());
        long after = System.currentTimeMillis();
        assertThat(PrometheusText.value(metrics, "streamviz_updates_received_total").orElseThrow())
                .isPositive();
        assertThat(PrometheusText.value(metrics, "streamviz_ingest_lag_seconds").orElseThrow())
                .isBetween((before - newestTs) / 1000.0, (after - newestTs) / 1000.0);
    }

    @Test
    void aServerRestartedWithoutItsStateGetsTheWholeStateFromTheWriter() {
        int port = freePort();
        server = startServer(port);
        client = newClient(port, TOKEN, null);
        publishShopFigures(client, 1, 200);
        awaitShown(server, 200);

        server.close();
        publishShopFigures(client, 201, 400);
        server = startServer(port);

        awaitShown(server, 400);
    }

    @Test
    void aRestoredWriterReplacesWhatTheServerShows() {
        server = startServer(0);
        IngestClient first = newClient(server.port(), TOKEN, null);
        publishShopFigures(first, 1, 300);
        awaitShown(server, 300);
        DashboardState checkpoint = first.state();
        publishShopFigures(first, 301, 350);
        awaitShown(server, 350);
        first.close();

        client = newClient(server.port(), TOKEN, checkpoint);

        awaitShown(server, 300);
    }

    @Test
    void aMessageSentAgainAfterAReconnectIsAppliedOnce() throws Exception {
        server = startServer(0);
        RawIngest raw = RawIngest.connect(server.port(), TOKEN);
        raw.send(IngestProtocol.hello("epoch-1"));
        assertThat(raw.next().acked()).isZero();

        raw.send(IngestProtocol.updates("epoch-1", 1, List.of(revenue("5.00"))));
        raw.send(IngestProtocol.updates("epoch-1", 1, List.of(revenue("7.00"))));
        IngestProtocol.Message firstAck = raw.next();
        IngestProtocol.Message secondAck = raw.next();
        raw.send(IngestProtocol.hello("epoch-1"));
        IngestProtocol.Message welcome = raw.next();

        assertThat(firstAck.type()).isEqualTo("ack");
        assertThat(secondAck.seq()).isEqualTo(1);
        assertThat(welcome.acked()).isEqualTo(1);
        assertThat(stat(server.snapshotState(), "revenue")).isEqualByComparingTo("5.00");
        raw.close();
    }

    @Test
    void ingestWithoutTheTokenIsRefused() {
        server = startServer(0);

        int status = new HttpProbe(server.port()).get(IngestProtocol.PATH).statusCode();

        assertThat(status).isEqualTo(401);
    }

    private static DashboardServer startServer(int port) {
        return DashboardServer.builder()
                .dashboard(TestDashboards.shop())
                .port(port)
                .bindAddress("127.0.0.1")
                .token(TOKEN)
                .build()
                .start();
    }

    private static IngestClient newClient(int port, String token, DashboardState restored) {
        URI uri = URI.create("ws://127.0.0.1:" + port + IngestProtocol.PATH);
        return new IngestClient(TestDashboards.shop(), uri, token, restored, "test-writer");
    }

    /** Orders {@code from} to {@code to}: order n adds n cents, one point and row per 10 orders. */
    private static void publishShopFigures(IngestClient client, int from, int to) {
        for (int n = from; n <= to; n++) {
            client.accept(revenue(BigDecimal.valueOf(cents(n), 2).toPlainString()));
            client.accept(TestDashboards.ORDERS.set(n, T0 + n));
            client.accept(
                    TestDashboards.REVENUE_CHART.point(
                            T0 + (n / 10) * 60_000L, BigDecimal.valueOf(n)));
            client.accept(
                    TestDashboards.BY_REGION.upsert(
                            "region-" + (n % 7),
                            Map.of("region", "region-" + (n % 7), "orders", (long) n),
                            T0 + n));
        }
    }

    private static long cents(int orders) {
        return (long) orders * (orders + 1) / 2;
    }

    private static StatUpdate revenue(String value) {
        return new StatUpdate("revenue", new BigDecimal(value), T0);
    }

    private static void awaitShown(DashboardServer server, int orders) {
        Poll.until(
                TIMEOUT,
                server::snapshotState,
                state -> shows(state, orders),
                "the figures of " + orders + " orders");
    }

    private static boolean shows(DashboardState state, int orders) {
        // Read while the server applies a message: any figure may still be missing.
        BigDecimal revenue = stat(state, "revenue");
        BigDecimal orderCount = stat(state, "orders");
        if (revenue == null
                || orderCount == null
                || revenue.compareTo(BigDecimal.valueOf(cents(orders), 2)) != 0
                || orderCount.compareTo(BigDecimal.valueOf(orders)) != 0) {
            return false;
        }
        ChartState chart = (ChartState) state.widgets().get("revenue_chart");
        TableState table = (TableState) state.widgets().get("by_region");
        if (chart == null || table == null) {
            return false;
        }
        ChartPoint last = chart.points().get(chart.points().size() - 1);
        return last.timestampMs() == T0 + (orders / 10) * 60_000L
                && last.value().compareTo(BigDecimal.valueOf(orders)) == 0
                && table.rows().size() == Math.min(orders, 7);
    }

    private static BigDecimal stat(DashboardState state, String id) {
        ValueState value = (ValueState) state.widgets().get(id);
        return value == null ? null : value.value();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bare ingest connection, to send protocol messages by hand. */
    private static final class RawIngest implements WebSocket.Listener {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static RawIngest connect(int port, String token) throws Exception {
            RawIngest raw = new RawIngest();
            raw.socket =
                    HttpClient.newHttpClient()
                            .newWebSocketBuilder()
                            .header("Authorization", "Bearer " + token)
                            .buildAsync(
                                    URI.create("ws://127.0.0.1:" + port + IngestProtocol.PATH), raw)
                            .get(10, TimeUnit.SECONDS);
            return raw;
        }

        void send(String text) throws Exception {
            socket.sendText(text, true).get(10, TimeUnit.SECONDS);
        }

        IngestProtocol.Message next() throws InterruptedException {
            String text = received.poll(10, TimeUnit.SECONDS);
            assertThat(text).as("a message from the server").isNotNull();
            return IngestProtocol.parse(text);
        }

        void close() {
            socket.abort();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
