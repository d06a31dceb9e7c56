package io.streamviz.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamviz.dashboard.internal.ClientStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A viewer that completes the WebSocket handshake and then never reads, while large updates flow to
 * it and to a normal viewer.
 */
class SlowViewerTest {

    private static final TableWidget BLOBS =
            TableWidget.builder("blobs")
                    .keyColumn("id")
                    .column("id", "Id", ColumnFormat.TEXT)
                    .column("payload", "Payload", ColumnFormat.TEXT)
                    .maxRows(20)
                    .build();

    private static final StatWidget DONE = StatWidget.builder("done").build();

    private static final int ROWS_PER_ROUND = 20;
    private static final int PAYLOAD_CHARS = 16 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /**
     * What the server may hold for one viewer: the 512 KiB high water mark, plus one snapshot and
     * one update frame of this test's table (about 330 KB each) that may be in flight beyond it.
     */
    private static final long PENDING_BYTES_BOUND = 2 * 1024 * 1024;

    private DashboardServer server;

    private void startServer(Duration slowClientTimeout) {
        server =
                DashboardServer.builder()
                        .dashboard(Dashboard.builder("Load").widget(BLOBS).widget(DONE).build())
                        .port(0)
                        .bindAddress("127.0.0.1")
                        .conflationInterval(Duration.ofMillis(10))
                        .slowClientTimeout(slowClientTimeout)
                        .build()
                        .start();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void stalledViewerNeitherDelaysOthersNorMakesTheServerHoldUnboundedData() throws Exception {
        startServer(Duration.ofSeconds(30));
        try (Socket stalled = connectAndNeverRead(server.port());
                WsTestClient viewer = WsTestClient.connect(server.port())) {
            viewer.next(TIMEOUT);
            Poll.until(TIMEOUT, () -> server.clientStats().size(), n -> n == 2, "two viewers");

            long maxPendingBytes = 0;
            for (int round = 0; round < 100; round++) {
                publishRound(round);
                // Paced by the normal viewer: each round waits for it to receive a frame.
                viewer.next(TIMEOUT);
                maxPendingBytes = Math.max(maxPendingBytes, maxPendingBytes(server.clientStats()));
            }
            server.accept(DONE.set(42, 1L));

            viewer.awaitMessage(TIMEOUT, SlowViewerTest::showsDone, "done = 42");
            assertThat(viewer.charsReceived()).isGreaterThan(10 * PENDING_BYTES_BOUND);
            assertThat(maxPendingBytes).isLessThan(PENDING_BYTES_BOUND);
            assertThat(server.clientStats())
                    .anySatisfy(
                            stats -> {
                                assertThat(stats.lagging()).isTrue();
                                assertThat(stats.overflows()).isPositive();
                            });
        }
    }

    @Test
    void stalledViewerIsDisconnectedOnceUnwritableForTheSlowClientTimeout() throws Exception {
        startServer(Duration.ofMillis(500));
        try (Socket stalled = connectAndNeverRead(server.port());
                WsTestClient viewer = WsTestClient.connect(server.port())) {
            viewer.next(TIMEOUT);

            for (int round = 0; round < 30; round++) {
                publishRound(round);
                viewer.next(TIMEOUT);
            }

            Poll.until(
                    Duration.ofSeconds(10),
                    () -> server.clientStats().size(),
                    n -> n == 1,
                    "the stalled viewer to be disconnected");
            server.accept(DONE.set(42, 1L));
            viewer.awaitMessage(TIMEOUT, SlowViewerTest::showsDone, "done = 42");

            List<PrometheusText.Sample> metrics =
                    PrometheusText.parse(new HttpProbe(server.port()).get("/metrics").body());
            assertThat(PrometheusText.value(metrics, "streamviz_viewers_dropped_total"))
                    .contains(1.0);
            assertThat(PrometheusText.value(metrics, "streamviz_viewers")).contains(1.0);
        }
    }

    @Test
    void stalledViewerThatStartsReadingAgainIsResyncedAndCounted() throws Exception {
        startServer(Duration.ofSeconds(30));
        try (Socket stalled = connectAndNeverRead(server.port());
                WsTestClient viewer = WsTestClient.connect(server.port())) {
            viewer.next(TIMEOUT);
            Poll.until(TIMEOUT, () -> server.clientStats().size(), n -> n == 2, "two viewers");
            for (int round = 0; round < 100 && !anyLagging(server.clientStats()); round++) {
                publishRound(round);
                viewer.next(TIMEOUT);
            }
            assertThat(anyLagging(server.clientStats())).as("the stalled viewer lags").isTrue();

            Thread reader = new Thread(() -> discardUntilClosed(stalled), "stalled-viewer-drain");
            reader.setDaemon(true);
            reader.start();
            HttpProbe http = new HttpProbe(server.port());
            Poll.until(
                    Duration.ofSeconds(10),
                    () ->
                            PrometheusText.value(
                                    PrometheusText.parse(http.get("/metrics").body()),
                                    "streamviz_viewers_resynced_total"),
                    resynced -> resynced.orElse(0.0) >= 1,
                    "the drained viewer to be resynced");
            assertThat(
                            PrometheusText.value(
                                    PrometheusText.parse(http.get("/metrics").body()),
                                    "streamviz_viewers_dropped_total"))
                    .contains(0.0);
        }
    }

    private static boolean anyLagging(List<ClientStats> stats) {
        return stats.stream().anyMatch(ClientStats::lagging);
    }

    /** Reads and drops what the server sends, as a viewer whose network recovered. */
    private static void discardUntilClosed(Socket socket) {
        byte[] buffer = new byte[64 * 1024];
        try {
            socket.setSoTimeout(0);
            InputStream in = socket.getInputStream();
            while (in.read(buffer) >= 0) {
                // Dropped: only the server's view of this viewer matters here.
            }
        } catch (IOException e) {
            // The test closed the socket.
        }
    }

    /** Replaces every row with a fresh 16 KiB payload: one update frame of about 330 KB. */
    private void publishRound(int round) {
        String filler = "x".repeat(PAYLOAD_CHARS);
        for (int row = 0; row < ROWS_PER_ROUND; row++) {
            server.accept(BLOBS.upsert("row" + row, Map.of("payload", round + filler), round));
        }
    }

    private static long maxPendingBytes(List<ClientStats> stats) {
        return stats.stream().mapToLong(ClientStats::pendingBytes).max().orElse(0);
    }

    private static boolean showsDone(JsonNode message) {
        if (message.get("type").asText().equals("snapshot")) {
            return message.at("/widgets/done/value").asLong() == 42;
        }
        for (JsonNode entry : message.get("updates")) {
            if (entry.get("id").asText().equals("done") && entry.get("value").asLong() == 42) {
                return true;
            }
        }
        return false;
    }

    /**
     * Opens a WebSocket by hand with a tiny receive window, reads the 101 answer and nothing after
     * it.
     */
    private static Socket connectAndNeverRead(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        String key =
                Base64.getEncoder()
                        .encodeToString("stalled-viewer-1".getBytes(StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        out.write(
                ("GET /ws HTTP/1.1\r\n"
                                + "Host: 127.0.0.1:"
                                + port
                                + "\r\n"
                                + "Upgrade: websocket\r\n"
                                + "Connection: Upgrade\r\n"
                                + "Sec-WebSocket-Key: "
                                + key
                                + "\r\n"
                                + "Sec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readResponseHead(socket.getInputStream());
        assertThat(head).startsWith("HTTP/1.1 101");
        return socket;
    }

    private static String readResponseHead(InputStream in) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("connection closed during the handshake: " + head);
                }
                head.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
