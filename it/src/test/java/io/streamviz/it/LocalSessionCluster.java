package io.streamviz.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamviz.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Flink session cluster of {@code deploy/local-cluster}, started and stopped with its own
 * scripts as a user would, on free ports and in a directory of the test's; and the REST calls that
 * submit a jar to it.
 */
final class LocalSessionCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);

    private final Path scripts;
    private final Path clusterDir;
    private final int restPort;
    private final int rpcPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalSessionCluster(Path scripts, Path clusterDir, int restPort, int rpcPort) {
        this.scripts = scripts;
        this.clusterDir = clusterDir;
        this.restPort = restPort;
        this.rpcPort = rpcPort;
    }

    /** Runs {@code start.sh}, which returns once the cluster has free slots. */
    static LocalSessionCluster start(Path repositoryRoot, Path clusterDir) throws Exception {
        LocalSessionCluster cluster =
                new LocalSessionCluster(
                        repositoryRoot.resolve("deploy/local-cluster"),
                        clusterDir,
                        FreePorts.next(),
                        FreePorts.next());
        cluster.script("start.sh");
        return cluster;
    }

    URI restAddress() {
        return URI.create("http://localhost:" + restPort + "/");
    }

    Path savepointsDir() {
        return clusterDir.resolve("savepoints");
    }

    /** The process ids of the JobManager and TaskManager, from the scripts' pid files. */
    List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (String role : List.of("jobmanager", "taskmanager")) {
            Path pidFile = clusterDir.resolve("pids").resolve(role + ".pid");
            if (Files.exists(pidFile)) {
                pids.add(Long.parseLong(Files.readString(pidFile).trim()));
            }
        }
        return pids;
    }

    /** Uploads a jar through {@code /jars/upload}; returns its id for {@link #run}. */
    String upload(Path jar) throws Exception {
        String boundary = "----streamviz" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(restAddress().resolve("jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String path = answer.path("filename").asText();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Runs an uploaded jar through {@code /jars/{id}/run}; returns the job id. */
    String run(String jarId, List<String> programArgs, int parallelism, String savepointPath)
            throws Exception {
        ObjectNode request = JSON.createObjectNode();
        programArgs.forEach(request.putArray("programArgsList")::add);
        request.put("parallelism", parallelism);
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath);
        }
        return send(HttpRequest.newBuilder(restAddress().resolve("jars/" + jarId + "/run"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request.toString())))
                .path("jobid")
                .asText();
    }

    JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(restAddress().resolve(path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response =
                http.send(
                        request.timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(
                    request.build().uri()
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Runs {@code stop.sh}, which stops both processes. */
    @Override
    public void close() throws Exception {
        script("stop.sh");
    }

    private void script(String name) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder("bash", scripts.resolve(name).toString())
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        Files.createDirectories(clusterDir)
                                                .resolve("scripts.log")
                                                .toFile()));
        builder.environment().put("CLUSTER_DIR", clusterDir.toString());
        builder.environment().put("FLINK_REST_PORT", Integer.toString(restPort));
        builder.environment().put("FLINK_RPC_PORT", Integer.toString(rpcPort));
        builder.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
        Process process = builder.start();
        if (!process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not finish within " + SCRIPT_TIMEOUT);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(
                    name + " failed with " + process.exitValue() + ": " + log().orElse(""));
        }
    }

    private Optional<String> log() throws IOException {
        Path log = clusterDir.resolve("scripts.log");
        return Files.exists(log) ? Optional.of(Files.readString(log)) : Optional.empty();
    }
}
