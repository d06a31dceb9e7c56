package io.streamviz.launcher;

import io.streamviz.job.CommandLine;
import io.streamviz.job.CommandLine.UsageException;
import io.streamviz.job.JobOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code demo}: a Kafka broker, the order generator, the job on a local MiniCluster and its
 * dashboard, everything under {@code --data-dir}. Started again on the same data directory it
 * resumes from the newest retained checkpoint, and the broker still holds every order.
 */
final class DemoCommand implements Launcher.Command {
    private static final Set<String> VALUE_OPTIONS = new HashSet<>(JobOptions.VALUE_OPTIONS);
    private static final Set<String> FLAGS = Set.of("no-generator", "allow-non-restored-state");

    static {
        // The demo's job reads from the demo's own broker.
        VALUE_OPTIONS.remove("bootstrap-servers");
        VALUE_OPTIONS.addAll(
                Set.of("data-dir", "kafka-port", "flink-ui-port", "rate", "from-savepoint"));
    }

    private final PrintStream out;

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String usage() {
        return String.join(
                "\n",
                "usage: streamviz demo [options]",
                "  --port N                 dashboard HTTP/WebSocket port (STREAMVIZ_PORT, 3000)",
                "  --data-dir DIR           Kafka log, checkpoints, savepoints (STREAMVIZ_DATA_DIR, ./data)",
                "  --kafka-port N           the embedded broker's port on 127.0.0.1 (9092)",
                "  --flink-ui-port N        Flink REST API and web UI (8081)",
                "  --rate N                 generated orders per second (50)",
                "  --no-generator           generate no orders; only what clients produce",
                "  --topic NAME             orders topic (orders); dead letters go to NAME-dlq",
                "  --token T                token viewers must present (STREAMVIZ_TOKEN, none)",
                "  --checkpoint-interval D  e.g. 10s (10s)",
                "  --jdbc-url URL           history database (STREAMVIZ_JDBC_URL,",
                "                           jdbc:duckdb:<data-dir>/streamviz.duckdb)",
                "  --history-interval D     at most one history row per widget per D (1s)",
                "  --retention D            history rows older than D are deleted (7d)",
                "  --from-savepoint PATH    start from this savepoint instead of the newest checkpoint",
                "  --allow-non-restored-state  with --from-savepoint: skip state of removed operators");
    }

    @Override
    public int run(List<String> args) throws Exception {
        CommandLine commandLine = Launcher.parse(args, VALUE_OPTIONS, FLAGS);
        commandLine.requireNoArguments();
        Path dataDir = commandLine.path("data-dir", "STREAMVIZ_DATA_DIR", "./data");
        int kafkaPort = commandLine.port("kafka-port", null, 9092);
        int flinkUiPort = commandLine.port("flink-ui-port", null, 8081);
        int rate = commandLine.positiveInt("rate", 50);
        boolean generate = !commandLine.flag("no-generator");
        Path savepoint = optionalPath(commandLine, "from-savepoint");
        JobOptions parsed = JobOptions.from(commandLine);

        long startNanos = System.nanoTime();
        try (ProcessLifetime lifetime = new ProcessLifetime()) {
            EmbeddedKafkaBroker broker =
                    lifetime.own(
                            EmbeddedKafkaBroker.builder()
                                    .logDir(dataDir.resolve("kafka"))
                                    .port(kafkaPort)
                                    .build());
            // The broker starts on a thread of its own while the dashboard and the MiniCluster
            // start on this one: each takes seconds, and a restart after a crash waits on all of
            // them before the dashboard moves again.
            CompletableFuture<String> kafkaReady =
                    startInBackground(
                            "kafka-broker-start",
                            () -> {
                                broker.start();
                                broker.createTopic(parsed.topic(), 1);
                                broker.createTopic(parsed.deadLetterTopic(), 1);
                                return broker.bootstrapServers();
                            });

            LocalJobSession session =
                    lifetime.own(
                            LocalJobSession.start(
                                    parsed,
                                    dataDir,
                                    flinkUiPort,
                                    savepoint,
                                    commandLine.flag("allow-non-restored-state"),
                                    kafkaReady));
            JobOptions options = parsed.withBootstrapServers(broker.bootstrapServers());
            if (generate) {
                OrderGenerator generator =
                        new OrderGenerator(
                                broker.bootstrapServers(),
                                options.topic(),
                                rate,
                                Long.MAX_VALUE,
                                System.nanoTime());
                Thread generatorThread = new Thread(generator, "order-generator");
                lifetime.own(
                        () -> {
                            generator.close();
                            generatorThread.join();
                        });
                generatorThread.start();
            }
            ReadyBanner.print(
                    out,
                    "demo",
                    options,
                    session,
                    broker.bootstrapServers(),
                    dataDir,
                    (System.nanoTime() - startNanos) / 1_000_000);
            if (lifetime.awaitStopOrEnd(session.jobEnded())) {
                return JobEnd.report(session.jobEnded().join(), out);
            }
        }
        return 0;
    }

    private static <T> CompletableFuture<T> startInBackground(String name, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                result.complete(task.call());
                            } catch (Throwable e) {
                                result.completeExceptionally(e);
                            }
                        },
                        name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    static Path optionalPath(CommandLine commandLine, String name) throws UsageException {
        String value = commandLine.optionalString(name, null);
        if (value == null) {
            return null;
        }
        Path path = Path.of(value).toAbsolutePath();
        if (!java.nio.file.Files.exists(path)) {
            throw new UsageException("--" + name + " does not exist: " + path);
        }
        return path;
    }
}
