package io.streamviz.job;

import io.streamviz.dashboard.history.HistoryDialect;
import io.streamviz.dashboard.history.HistoryOptions;
import io.streamviz.job.CommandLine.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the e-commerce job needs to know, parsed once from the command line (see {@code CONTRACT.md}
 * for the options and their defaults).
 *
 * @param token null when the dashboard needs no token
 * @param history the history database, its sampling interval and retention
 * @param dashboardUrl the ingest WebSocket of a standalone dashboard server ({@code serve}) to
 *     publish to; null to run the dashboard embedded in the task manager
 */
public record JobOptions(
        String bootstrapServers,
        String topic,
        String consumerGroup,
        int dashboardPort,
        String dashboardBindAddress,
        String token,
        Duration checkpointInterval,
        int parallelism,
        Duration emitInterval,
        Duration outOfOrderness,
        Duration allowedLateness,
        HistoryOptions history,
        URI dashboardUrl) {

    /** The options this record reads; a command accepting them lists these. */
    public static final Set<String> VALUE_OPTIONS =
            Set.of(
                    "bootstrap-servers",
                    "topic",
                    "group-id",
                    "port",
                    "bind-address",
                    "token",
                    "checkpoint-interval",
                    "parallelism",
                    "emit-interval",
                    "out-of-orderness",
                    "allowed-lateness",
                    "jdbc-url",
                    "retention",
                    "history-interval");

    /**
     * What {@code flink run} of the job accepts besides {@link #VALUE_OPTIONS}: on a cluster the
     * dashboard usually runs on its own, as {@code serve}.
     */
    public static final Set<String> CLUSTER_VALUE_OPTIONS =
            Stream.concat(VALUE_OPTIONS.stream(), Stream.of("dashboard-url"))
                    .collect(Collectors.toUnmodifiableSet());

    public static final int DEFAULT_PORT = 3000;

    public static JobOptions from(CommandLine commandLine) throws UsageException {
        return new JobOptions(
                commandLine.string(
                        "bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                commandLine.string("topic", null, "orders"),
                commandLine.string("group-id", null, "streamviz-orders"),
                commandLine.port("port", "STREAMVIZ_PORT", DEFAULT_PORT),
                commandLine.string("bind-address", null, "0.0.0.0"),
                commandLine.optionalString("token", "STREAMVIZ_TOKEN"),
                commandLine.duration("checkpoint-interval", Duration.ofSeconds(10)),
                commandLine.positiveInt("parallelism", 1),
                // 20 ms keeps a frame within about 100 ms of the orders it shows (the latency
                // benchmark's p99 went from 109-143 ms at 50 ms to 84-92 ms); the keyed
                // operators see 2.5 times as many partials, a few hundred a second per subtask
                // with the demo's 4 regions and 4 categories.
                commandLine.duration("emit-interval", Duration.ofMillis(20)),
                commandLine.duration("out-of-orderness", Duration.ofSeconds(5)),
                commandLine.duration("allowed-lateness", Duration.ofMinutes(1)),
                history(commandLine),
                dashboardUrl(commandLine.optionalString("dashboard-url", null)));
    }

    /** {@code --jdbc-url} defaults to the DuckDB file under {@code --data-dir}. */
    private static HistoryOptions history(CommandLine commandLine) throws UsageException {
        Path dataDir = commandLine.path("data-dir", "STREAMVIZ_DATA_DIR", "./data");
        String jdbcUrl =
                commandLine.string(
                        "jdbc-url",
                        "STREAMVIZ_JDBC_URL",
                        "jdbc:duckdb:" + dataDir.resolve("streamviz.duckdb"));
        try {
            HistoryDialect.of(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--jdbc-url: " + e.getMessage());
        }
        return new HistoryOptions(
                jdbcUrl,
                commandLine.duration("history-interval", HistoryOptions.DEFAULT_SAMPLE_INTERVAL),
                commandLine.duration("retention", HistoryOptions.DEFAULT_RETENTION));
    }

    private static URI dashboardUrl(String value) throws UsageException {
        if (value == null) {
            return null;
        }
        if (!value.startsWith("ws://") && !value.startsWith("wss://")) {
            throw new UsageException(
                    "--dashboard-url must be a ws:// or wss:// URL such as"
                            + " ws://dashboard:3000/ingest, was '"
                            + value
                            + "'");
        }
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new UsageException("--dashboard-url is not a URL: '" + value + "'");
        }
    }

    /** The dead-letter topic: the orders topic's name with {@code -dlq}. */
    public String deadLetterTopic() {
        return topic + "-dlq";
    }

    public JobOptions withBootstrapServers(String servers) {
        return new JobOptions(
                servers,
                topic,
                consumerGroup,
                dashboardPort,
                dashboardBindAddress,
                token,
                checkpointInterval,
                parallelism,
                emitInterval,
                outOfOrderness,
                allowedLateness,
                history,
                dashboardUrl);
    }

    public JobOptions withHistory(HistoryOptions history) {
        return new JobOptions(
                bootstrapServers,
                topic,
                consumerGroup,
                dashboardPort,
                dashboardBindAddress,
                token,
                checkpointInterval,
                parallelism,
                emitInterval,
                outOfOrderness,
                allowedLateness,
                history,
                dashboardUrl);
    }
}
