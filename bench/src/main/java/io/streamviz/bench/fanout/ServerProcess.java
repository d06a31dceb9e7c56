package io.streamviz.bench.fanout;

import io.streamviz.bench.support.ProcessMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A benchmarked server as a child process, driven through the control protocol both servers share:
 * {@code READY <port>} on stdout once listening, then one command a line on stdin, each answered
 * with {@code ok <command>}. Its stderr goes to a log file.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /** Put on {@link #lines} when the process closed its stdout: nothing more will come. */
    private static final String END = "\u0000end";

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final int port;

    private ServerProcess(String name, Process process) throws IOException, InterruptedException {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        String ready = awaitLine("READY ", START_TIMEOUT);
        this.port = Integer.parseInt(ready.substring("READY ".length()).trim());
    }

    static ServerProcess start(String name, List<String> command, Path dir, Path log)
            throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        try {
            return new ServerProcess(name, process);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    long residentBytes() throws IOException {
        return ProcessMemory.residentBytes(process.pid());
    }

    /** Sends {@code command} and waits for its acknowledgement. */
    void command(String command) throws IOException, InterruptedException {
        stdin.write(command + "\n");
        stdin.flush();
        awaitLine("ok " + command, COMMAND_TIMEOUT);
    }

    private String awaitLine(String prefix, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line =
                    lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IOException(
                        name
                                + " did not answer '"
                                + prefix
                                + "' within "
                                + timeout.toSeconds()
                                + " s (alive: "
                                + process.isAlive()
                                + "); see its log");
            }
            if (line == END) {
                throw new IOException(
                        name
                                + " exited with "
                                + process.waitFor()
                                + " before '"
                                + prefix
                                + "'; see its log");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private void readStdout() {
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lines.add(END);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.write("quit\n");
            stdin.flush();
        } catch (IOException e) {
            // Already gone.
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
