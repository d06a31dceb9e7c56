package io.streamviz.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The launcher as a child process, as a user starts it: its stdout is collected, its stderr goes to
 * a log file, and it is stopped with SIGTERM (or killed with SIGKILL).
 */
public final class LauncherProcess implements AutoCloseable {
    private final Process process;

    /** Guarded by itself. */
    private final List<String> stdout = new ArrayList<>();

    private LauncherProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::collectStdout, "launcher-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java io.streamviz.launcher.Launcher <args>} on this test's class path. */
    public static LauncherProcess start(Path stderrLog, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx1g");
        for (String jvmArg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (jvmArg.startsWith("--add-opens")) {
                command.add(jvmArg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.streamviz.launcher.Launcher");
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()))
                        .start();
        return new LauncherProcess(process);
    }

    private void collectStdout() {
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (stdout) {
                    stdout.add(line);
                }
            }
        } catch (IOException e) {
            // The process ended; what it printed is kept.
        }
    }

    /** Waits until a line of stdout contains {@code text}; fails early if the process ends. */
    public String awaitLine(String text, Duration timeout) throws Exception {
        return Eventually.value(
                timeout,
                "line containing '" + text + "' from the launcher",
                () -> {
                    synchronized (stdout) {
                        for (String line : stdout) {
                            if (line.contains(text)) {
                                return line;
                            }
                        }
                    }
                    if (!process.isAlive()) {
                        throw new AssertionError(
                                "launcher exited with "
                                        + process.exitValue()
                                        + ", printed "
                                        + stdout());
                    }
                    return null;
                });
    }

    public List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    /** Sends SIGTERM and returns the exit code. */
    public int stop(Duration timeout) throws Exception {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("launcher did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no cleanup, as in a crash. Waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
