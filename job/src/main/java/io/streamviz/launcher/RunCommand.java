package io.streamviz.launcher;

import io.streamviz.job.CommandLine;
import io.streamviz.job.JobOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code run}: the job on a local MiniCluster with its dashboard, reading an existing Kafka. Like
 * {@code demo}, it resumes from the newest retained checkpoint under {@code --data-dir}.
 */
final class RunCommand implements Launcher.Command {
    private static final Set<String> VALUE_OPTIONS = new HashSet<>(JobOptions.VALUE_OPTIONS);
    private static final Set<String> FLAGS = Set.of("allow-non-restored-state");

    static {
        VALUE_OPTIONS.addAll(Set.of("data-dir", "flink-ui-port", "from-savepoint"));
    }

    private final PrintStream out;

    RunCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String usage() {
        return String.join(
                "\n",
                "usage: streamviz run [options]",
                "  --bootstrap-servers H:P  Kafka (KAFKA_BOOTSTRAP_SERVERS, localhost:9092)",
                "  --topic NAME             orders topic (orders); dead letters go to NAME-dlq",
                "  --port N                 dashboard HTTP/WebSocket port (STREAMVIZ_PORT, 3000)",
                "  --data-dir DIR           checkpoints and savepoints (STREAMVIZ_DATA_DIR, ./data)",
                "  --flink-ui-port N        Flink REST API and web UI (8081)",
                "  --token T                token viewers must present (STREAMVIZ_TOKEN, none)",
                "  --checkpoint-interval D  e.g. 10s (10s)",
                "  --jdbc-url URL           history database (STREAMVIZ_JDBC_URL,",
                "                           jdbc:duckdb:<data-dir>/streamviz.duckdb)",
                "  --history-interval D     at most one history row per widget per D (1s)",
                "  --retention D            history rows older than D are deleted (7d)",
                "  --parallelism N          parallelism of the job (1)",
                "  --from-savepoint PATH    start from this savepoint instead of the newest checkpoint",
                "  --allow-non-restored-state  with --from-savepoint: skip state of removed operators");
    }

    @Override
    public int run(List<String> args) throws Exception {
        CommandLine commandLine = Launcher.parse(args, VALUE_OPTIONS, FLAGS);
        commandLine.requireNoArguments();
        Path dataDir = commandLine.path("data-dir", "STREAMVIZ_DATA_DIR", "./data");
        int flinkUiPort = commandLine.port("flink-ui-port", null, 8081);
        Path savepoint = DemoCommand.optionalPath(commandLine, "from-savepoint");
        JobOptions options = JobOptions.from(commandLine);

        long startNanos = System.nanoTime();
        try (ProcessLifetime lifetime = new ProcessLifetime()) {
            LocalJobSession session =
                    lifetime.own(
                            LocalJobSession.start(
                                    options,
                                    dataDir,
                                    flinkUiPort,
                                    savepoint,
                                    commandLine.flag("allow-non-restored-state")));
            ReadyBanner.print(
                    out,
                    "run",
                    options,
                    session,
                    options.bootstrapServers(),
                    dataDir,
                    (System.nanoTime() - startNanos) / 1_000_000);
            if (lifetime.awaitStopOrEnd(session.jobEnded())) {
                return JobEnd.report(session.jobEnded().join(), out);
            }
        }
        return 0;
    }
}
