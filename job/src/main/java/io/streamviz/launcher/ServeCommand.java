package io.streamviz.launcher;

import io.streamviz.dashboard.DashboardServer;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.history.HistoryDialect;
import io.streamviz.dashboard.history.HistoryOptions;
import io.streamviz.dashboard.history.HistoryStore;
import io.streamviz.job.CommandLine;
import io.streamviz.job.CommandLine.UsageException;
import io.streamviz.job.EcommerceDashboard;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}: the e-commerce dashboard as its own process, for jobs on a Flink cluster that
 * publish to it with {@code --dashboard-url ws://host:port/ingest}. Viewers keep their dashboard
 * while the job restarts or is upgraded. What it shows is saved under {@code --data-dir} when it
 * stops and shown again when it starts, until a job sends newer figures.
 */
final class ServeCommand implements Launcher.Command {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    private static final Set<String> VALUE_OPTIONS =
            Set.of("port", "token", "data-dir", "bind-address", "jdbc-url", "retention");
    static final String STATE_FILE = "dashboard-state.bin";

    private final PrintStream out;

    ServeCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String usage() {
        return String.join(
                "\n",
                "usage: streamviz serve [options]",
                "  --port N          dashboard HTTP, WebSocket and /ingest port (STREAMVIZ_PORT, 3000)",
                "  --token T         token viewers and jobs must present (STREAMVIZ_TOKEN, none)",
                "  --data-dir DIR    where the shown state is kept across restarts"
                        + " (STREAMVIZ_DATA_DIR, ./data)",
                "  --bind-address A  interface to listen on (0.0.0.0)",
                "  --jdbc-url URL    history database the jobs write to, for preload and /api/history",
                "                    (STREAMVIZ_JDBC_URL, jdbc:duckdb:<data-dir>/streamviz.duckdb;",
                "                    on a cluster: the jobs' PostgreSQL)",
                "  --retention D     how long history is kept (7d)",
                "",
                "Jobs publish with: flink run streamviz-job.jar --dashboard-url ws://HOST:PORT/ingest");
    }

    @Override
    public int run(List<String> args) throws Exception {
        CommandLine commandLine = Launcher.parse(args, VALUE_OPTIONS, Set.of());
        commandLine.requireNoArguments();
        int port = commandLine.port("port", "STREAMVIZ_PORT", DashboardServer.DEFAULT_PORT);
        String token = commandLine.optionalString("token", "STREAMVIZ_TOKEN");
        Path dataDir = commandLine.path("data-dir", "STREAMVIZ_DATA_DIR", "./data");
        String bindAddress = commandLine.string("bind-address", null, "0.0.0.0");
        Files.createDirectories(dataDir);
        Path stateFile = dataDir.resolve(STATE_FILE);
        String jdbcUrl =
                commandLine.string(
                        "jdbc-url",
                        "STREAMVIZ_JDBC_URL",
                        "jdbc:duckdb:" + dataDir.resolve("streamviz.duckdb"));
        Duration retention = commandLine.duration("retention", HistoryOptions.DEFAULT_RETENTION);
        try {
            HistoryDialect.of(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--jdbc-url: " + e.getMessage());
        }

        long startNanos = System.nanoTime();
        try (ProcessLifetime lifetime = new ProcessLifetime()) {
            // The same history the jobs write: preloaded before viewers connect, and queried by
            // /api/history and /api/snapshot?at=.
            HistoryStore history = lifetime.own(HistoryStore.open(jdbcUrl));
            history.startRetention(retention);
            DashboardServer server =
                    DashboardServer.builder()
                            .dashboard(EcommerceDashboard.dashboard())
                            .port(port)
                            .bindAddress(bindAddress)
                            .token(token)
                            .history(history)
                            .build();
            if (Files.exists(stateFile)) {
                server.restoreState(DashboardState.fromBytes(Files.readAllBytes(stateFile)));
            }
            lifetime.own(
                    () -> {
                        save(server.snapshotState(), stateFile);
                        server.close();
                    });
            server.start();
            String query = token == null ? "" : "?token=<your token>";
            out.printf(
                    "StreamViz serve ready in %d ms%n",
                    (System.nanoTime() - startNanos) / 1_000_000);
            out.printf("  dashboard  http://localhost:%d/%s%n", server.port(), query);
            out.printf("  ingest     ws://<this host>:%d/ingest%n", server.port());
            out.printf("  data       %s%n", dataDir);
            out.flush();
            lifetime.awaitStop();
        }
        return 0;
    }

    private static void save(DashboardState state, Path stateFile) throws IOException {
        Path partial = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        Files.write(partial, state.toBytes());
        // A crash while writing leaves the previous file whole.
        Files.move(partial, stateFile, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Dashboard state saved to {}", stateFile);
    }
}
