package io.streamviz.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A viewer that keeps trying to open the dashboard's WebSocket until the server answers, then notes
 * when the first {@code update} frame that changes the {@code orders} stat arrives: the moment a
 * user sees the dashboard move again.
 */
public final class FirstUpdateWatcher implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(10);

    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Long> firstUpdateAtMs = new CompletableFuture<>();
    private volatile long connectedAtMs;
    private volatile WebSocket webSocket;

    private FirstUpdateWatcher() {}

    /**
     * Connects to {@code port} on 127.0.0.1, retrying every 10 ms while nothing listens there yet,
     * for up to {@code timeout}.
     */
    public static FirstUpdateWatcher connect(int port, Duration timeout) throws Exception {
        FirstUpdateWatcher watcher = new FirstUpdateWatcher();
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                watcher.webSocket =
                        client.newWebSocketBuilder()
                                .buildAsync(uri, watcher)
                                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                watcher.connectedAtMs = System.currentTimeMillis();
                return watcher;
            } catch (ExecutionException notYetListening) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(
                            "no dashboard on port " + port + " after " + timeout);
                }
                Thread.sleep(RETRY_INTERVAL.toMillis());
            }
        }
    }

    /** When the WebSocket opened, epoch ms. */
    public long connectedAtMs() {
        return connectedAtMs;
    }

    /** Waits for the first update of the {@code orders} stat and returns when it came, epoch ms. */
    public long awaitFirstUpdate(Duration timeout) throws Exception {
        return firstUpdateAtMs.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        long arrivalMs = System.currentTimeMillis();
        partial.append(data);
        if (last) {
            try {
                if (showsNewOrders(JSON.readTree(partial.toString()))) {
                    firstUpdateAtMs.complete(arrivalMs);
                }
            } catch (Exception e) {
                firstUpdateAtMs.completeExceptionally(
                        new IllegalStateException("frame is not JSON: " + partial, e));
            } finally {
                partial.setLength(0);
            }
        }
        socket.request(1);
        return null;
    }

    private static boolean showsNewOrders(JsonNode message) {
        if (!"update".equals(message.path("type").asText())) {
            return false;
        }
        for (JsonNode update : message.path("updates")) {
            if ("orders".equals(update.path("id").asText())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (webSocket != null) {
            webSocket.abort();
        }
    }
}
