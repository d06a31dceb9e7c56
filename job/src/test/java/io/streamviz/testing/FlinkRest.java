package io.streamviz.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.flink.api.common.JobID;

/** Reads a running job's figures from Flink's REST API, as its web UI does. */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FlinkRest() {}

    public static JsonNode get(URI restAddress, String path) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(restAddress.resolve(path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Waits until the input watermark of the job vertex whose name contains {@code vertexName} has
     * reached {@code atLeastMs}: from then on, that operator treats older events as late.
     */
    public static void awaitInputWatermark(
            URI restAddress, JobID jobId, String vertexName, long atLeastMs) throws Exception {
        String vertexId = null;
        for (JsonNode vertex : get(restAddress, "/jobs/" + jobId).get("vertices")) {
            if (vertex.get("name").asText().contains(vertexName)) {
                vertexId = vertex.get("id").asText();
            }
        }
        if (vertexId == null) {
            throw new AssertionError("no job vertex named like '" + vertexName + "'");
        }
        String path = "/jobs/" + jobId + "/vertices/" + vertexId + "/watermarks";
        Eventually.within(
                Duration.ofSeconds(60),
                () -> {
                    long lowest = Long.MAX_VALUE;
                    JsonNode watermarks = get(restAddress, path);
                    for (JsonNode watermark : watermarks) {
                        lowest = Math.min(lowest, watermark.get("value").asLong());
                    }
                    if (watermarks.isEmpty() || lowest < atLeastMs) {
                        throw new AssertionError(
                                "watermark of "
                                        + vertexName
                                        + " is "
                                        + lowest
                                        + ", waiting for "
                                        + atLeastMs);
                    }
                });
    }

    /** Waits until the job has completed a checkpoint triggered after {@code afterMs}. */
    public static void awaitCheckpointCompletedAfter(URI restAddress, JobID jobId, long afterMs)
            throws Exception {
        Eventually.within(
                Duration.ofSeconds(60),
                () -> {
                    JsonNode latest =
                            get(restAddress, "/jobs/" + jobId + "/checkpoints")
                                    .path("latest")
                                    .path("completed");
                    if (latest.path("trigger_timestamp").asLong() <= afterMs) {
                        throw new AssertionError("no checkpoint completed after " + afterMs);
                    }
                });
    }
}
