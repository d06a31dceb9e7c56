package io.streamviz.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A real WebSocket viewer that keeps every text message it receives, parsed. */
public final class WebSocketRecorder implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Guarded by itself. */
    private final List<JsonNode> messages = new ArrayList<>();

    private final StringBuilder partial = new StringBuilder();
    private WebSocket webSocket;

    private WebSocketRecorder() {}

    public static WebSocketRecorder connect(int port, String path) throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        recorder.webSocket =
                HttpClient.newHttpClient()
                        .newWebSocketBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + path), recorder)
                        .get(10, TimeUnit.SECONDS);
        return recorder;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode message = JSON.readTree(partial.toString());
                synchronized (messages) {
                    messages.add(message);
                }
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + partial, e);
            } finally {
                partial.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }

    /** The messages so far, once there are at least {@code count}. */
    public List<JsonNode> awaitMessages(int count, Duration timeout) throws Exception {
        return Eventually.value(
                timeout,
                count + " WebSocket messages",
                () -> {
                    synchronized (messages) {
                        return messages.size() >= count ? List.copyOf(messages) : null;
                    }
                });
    }

    @Override
    public void close() {
        webSocket.abort();
    }
}
