package io.streamviz.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The few calls of Flink's REST API the savepoint commands need. Works the same against the
 * MiniCluster of {@code demo}/{@code run} and against any Flink 2.x cluster.
 */
public final class FlinkRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUri;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRestClient(URI baseUri) {
        this.baseUri = baseUri;
    }

    /** A job as the cluster lists it. */
    public record JobSummary(String id, String name, String state) {}

    public List<JobSummary> jobs() throws IOException, InterruptedException {
        List<JobSummary> jobs = new ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            jobs.add(
                    new JobSummary(
                            job.path("jid").asText(),
                            job.path("name").asText(),
                            job.path("state").asText()));
        }
        return jobs;
    }

    /**
     * The one running job, or an exception naming what is running when that is not exactly one (the
     * caller then asks the user for {@code --job-id}).
     */
    public JobSummary theRunningJob() throws IOException, InterruptedException {
        List<JobSummary> running =
                jobs().stream().filter(job -> job.state().equals("RUNNING")).toList();
        if (running.size() != 1) {
            throw new IOException(
                    running.isEmpty()
                            ? "no job is running at " + baseUri
                            : running.size()
                                    + " jobs are running at "
                                    + baseUri
                                    + ", name one with --job-id: "
                                    + running);
        }
        return running.get(0);
    }

    /**
     * Stops the job with a savepoint in {@code targetDirectory} (a URI such as {@code
     * file:///data/savepoints}) and returns the savepoint's path once it is complete.
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("targetDirectory", targetDirectory);
        body.put("drain", false);
        body.put("formatType", "CANONICAL");
        String triggerId = post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
        return awaitSavepoint(jobId, triggerId, timeout);
    }

    /** Takes a savepoint while the job keeps running; returns its path once complete. */
    public String triggerSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("target-directory", targetDirectory);
        body.put("cancel-job", false);
        body.put("formatType", "CANONICAL");
        String triggerId = post("/jobs/" + jobId + "/savepoints", body).path("request-id").asText();
        return awaitSavepoint(jobId, triggerId, timeout);
    }

    private String awaitSavepoint(String jobId, String triggerId, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + triggerId);
            if (status.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new IOException(
                            "savepoint of job "
                                    + jobId
                                    + " failed: "
                                    + operation
                                            .path("failure-cause")
                                            .path("stack-trace")
                                            .asText()
                                            .lines()
                                            .findFirst()
                                            .orElse("no reason given"));
                }
                return operation.path("location").asText();
            }
            Thread.sleep(200);
        }
        throw new IOException("savepoint of job " + jobId + " not complete after " + timeout);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(baseUri.resolve(path)).GET());
    }

    private JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(baseUri.resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response =
                    http.send(
                            request.timeout(REQUEST_TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("no Flink REST API at " + baseUri + " (is the job running?)", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "Flink REST API at "
                            + baseUri
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + response.body());
        }
        return JSON.readTree(response.body());
    }
}
