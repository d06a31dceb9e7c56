package io.streamviz.bench.demo;

import io.streamviz.bench.support.FreePort;
import io.streamviz.bench.support.ProcessMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * {@code demo} exactly as a user starts it: {@code java -jar job/target/streamviz.jar demo}, no JVM
 * options, a child process of its own with its stdout watched for the ready banner and its stderr
 * in a log file. The same ports are kept across restarts, as a user's would be.
 */
public final class DemoProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final String READY = "StreamViz demo ready in ";

    private final Process process;
    private final int dashboardPort;

    /** When the ready banner was read, {@code System.currentTimeMillis()}; 0 until then. */
    private volatile long readyAtMs;

    private DemoProcess(Process process, int dashboardPort) {
        this.process = process;
        this.dashboardPort = dashboardPort;
        Thread reader = new Thread(this::watchStdout, "demo-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The ports one demo uses; picked once and reused by every restart on the same data dir. */
    public record Ports(int dashboard, int kafka, int flinkUi) {
        public static Ports pick() {
            return new Ports(FreePort.pick(), FreePort.pick(), FreePort.pick());
        }
    }

    /** Starts {@code demo} on {@code dataDir}; returns at once, before it is ready. */
    public static DemoProcess start(
            Path projectDir, Path dataDir, Ports ports, List<String> extraArgs, Path stderrLog)
            throws IOException {
        Path jar = projectDir.resolve("job/target/streamviz.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no " + jar + ": build it with mvn -DskipTests package");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-jar", jar.toString(), "demo"));
        command.addAll(List.of("--data-dir", dataDir.toString()));
        command.addAll(List.of("--port", Integer.toString(ports.dashboard())));
        command.addAll(List.of("--kafka-port", Integer.toString(ports.kafka())));
        command.addAll(List.of("--flink-ui-port", Integer.toString(ports.flinkUi())));
        command.addAll(extraArgs);
        Files.createDirectories(stderrLog.getParent());
        Process process =
                new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()))
                        .start();
        return new DemoProcess(process, ports.dashboard());
    }

    private void watchStdout() {
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(READY) && readyAtMs == 0) {
                    readyAtMs = System.currentTimeMillis();
                }
            }
        } catch (IOException e) {
            // The process ended: nothing more to read.
        }
    }

    /** Waits for the ready banner and returns when it was printed (epoch ms). */
    public long awaitReady() throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (readyAtMs == 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "demo exited with " + process.exitValue() + " before it was ready");
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("demo not ready after " + READY_TIMEOUT);
            }
            Thread.sleep(5);
        }
        return readyAtMs;
    }

    public int dashboardPort() {
        return dashboardPort;
    }

    public long pid() {
        return process.pid();
    }

    public long residentBytes() throws IOException {
        return ProcessMemory.residentBytes(process.pid());
    }

    public long peakResidentBytes() throws IOException {
        return ProcessMemory.peakResidentBytes(process.pid());
    }

    /** SIGKILL, as in a crash: no shutdown hook runs. Returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as Ctrl-C; returns the exit code. */
    public int stop(Duration timeout) throws Exception {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new TimeoutException("demo did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    /**
     * Whether a checkpoint of the job has completed under {@code dataDir}: Flink writes a
     * checkpoint's {@code _metadata} last, so its presence means the checkpoint is whole.
     */
    public static boolean hasCompletedCheckpoint(Path dataDir) throws IOException {
        Path checkpoints = dataDir.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(checkpoints, 3)) {
            return files.anyMatch(
                    file ->
                            file.getFileName().toString().equals("_metadata")
                                    && file.getParent()
                                            .getFileName()
                                            .toString()
                                            .startsWith("chk-"));
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
