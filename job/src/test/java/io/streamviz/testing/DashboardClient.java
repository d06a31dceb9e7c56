package io.streamviz.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a running dashboard over HTTP, as a script or an outside check would. */
public final class DashboardClient {
    // Numbers as written, digit for digit: money must be checked exactly, not through a double.
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    /** Null when the dashboard needs no token. */
    private final String token;

    public DashboardClient(int port) {
        this(port, null);
    }

    public DashboardClient(int port, String token) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public HttpResponse<String> get(String path) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The widgets object of {@code /api/snapshot}. */
    public JsonNode snapshot() throws Exception {
        HttpResponse<String> response = get("/api/snapshot");
        if (response.statusCode() != 200) {
            throw new AssertionError("/api/snapshot answered " + response.statusCode());
        }
        return JSON.readTree(response.body()).get("widgets");
    }

    /** A stat's value exactly as the JSON number was written, or null if it has none yet. */
    public BigDecimal statValue(String widgetId) throws Exception {
        JsonNode value = snapshot().path(widgetId).path("value");
        return value.isNumber() ? new BigDecimal(value.asText()) : null;
    }

    /** The body of an answer as JSON, numbers as written. */
    public static JsonNode json(HttpResponse<String> response) throws Exception {
        if (response.statusCode() != 200) {
            throw new AssertionError("answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    public static BigDecimal decimal(JsonNode number) {
        return number.isNumber() ? new BigDecimal(number.asText()) : null;
    }
}
