package io.streamviz.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** A real WebSocket viewer (the JDK's client) that queues every message it receives. */
final class WsTestClient implements AutoCloseable {

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final AtomicLong charsReceived = new AtomicLong();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsTestClient(URI uri) {
        this.socket =
                HttpClient.newHttpClient()
                        .newWebSocketBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(uri, new Collector())
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join();
    }

    static WsTestClient connect(int port) {
        return connect(port, "");
    }

    static WsTestClient connect(int port, String query) {
        return new WsTestClient(URI.create("ws://127.0.0.1:" + port + "/ws" + query));
    }

    /** The next message; fails if none arrives within {@code timeout}. */
    JsonNode next(Duration timeout) {
        try {
            String message = messages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no WebSocket message within " + timeout);
            }
            return Json.parse(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Takes messages until one matches; fails if none does within {@code timeout}. */
    JsonNode awaitMessage(Duration timeout, Predicate<JsonNode> matches, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no message with " + what + " within " + timeout);
            }
            JsonNode message = next(Duration.ofNanos(left));
            if (matches.test(message)) {
                return message;
            }
        }
    }

    /** Whether the server closed the connection within {@code timeout}. */
    boolean closedWithin(Duration timeout) {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Characters of every message received so far, whole or in part. */
    long charsReceived() {
        return charsReceived.get();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            charsReceived.addAndGet(data.length());
            if (last) {
                messages.add(partial.toString());
                partial = new StringBuilder();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
