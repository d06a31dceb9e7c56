package io.streamviz.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, in a temporary directory on a free port, that the test can
 * stop and start. Runs as OS user {@code postgres} (the server refuses root).
 */
public final class PrivatePostgres implements AutoCloseable {
    private final Path bin;
    private final Path dataDir;
    private final int port;

    private PrivatePostgres(Path bin, Path dataDir, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The directory with initdb and pg_ctl, if PostgreSQL's server binaries are installed. */
    public static Optional<Path> binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .sorted()
                    .reduce((older, newer) -> newer);
        }
    }

    /** initdb into a new temporary directory; not started yet. */
    public static PrivatePostgres create(Path bin) throws Exception {
        Path dataDir = Files.createTempDirectory("streamviz-pg-");
        run("chown", "-R", "postgres", dataDir.toString());
        run(
                "runuser",
                "-u",
                "postgres",
                "--",
                bin.resolve("initdb").toString(),
                "-D",
                dataDir.toString(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync");
        return new PrivatePostgres(bin, dataDir, FreePorts.next());
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:"
                + port
                + "/postgres?user=postgres&connectTimeout=2&socketTimeout=10";
    }

    /** Starts the server and waits until it accepts connections. */
    public void start() throws Exception {
        pgCtl(
                "start",
                "-w",
                "-l",
                dataDir.resolve("server.log").toString(),
                "-o",
                "-p " + port + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c fsync=off");
    }

    /** Stops the server, dropping its connections at once. */
    public void stop() throws Exception {
        pgCtl("stop", "-w", "-m", "immediate");
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } catch (IOException | IllegalStateException e) {
            // Already stopped.
        }
        run("rm", "-rf", dataDir.toString());
    }

    private void pgCtl(String... args) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "runuser",
                                "-u",
                                "postgres",
                                "--",
                                bin.resolve("pg_ctl").toString(),
                                "-D",
                                dataDir.toString()));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    private static void run(String... command) throws Exception {
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "exit code " + process.exitValue() + ": " + String.join(" ", command));
        }
    }
}
