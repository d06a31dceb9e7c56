package io.streamviz.job;

import io.streamviz.dashboard.history.HistoryOptions;
import java.nio.file.Path;
import java.time.Duration;

/** Job options for tests: fast checkpoints and emits, the dashboard on loopback. */
public final class TestJobOptions {
    private TestJobOptions() {}

    /** History in a DuckDB file of the system's temp directory, unique per call. */
    public static JobOptions forBroker(
            String bootstrapServers, int dashboardPort, Duration allowedLateness) {
        Path file =
                Path.of(System.getProperty("java.io.tmpdir"))
                        .resolve("streamviz-test-" + System.nanoTime() + ".duckdb");
        file.toFile().deleteOnExit();
        Path.of(file + ".wal").toFile().deleteOnExit();
        return forBroker(bootstrapServers, dashboardPort, allowedLateness, "jdbc:duckdb:" + file);
    }

    /**
     * History in {@code jdbcUrl}, written every 200 ms. Retention is ten years: the test orders'
     * event times (charts are stored by them) lie at {@link io.streamviz.testing.Orders#T0}, which
     * a week's retention would delete at once.
     */
    public static JobOptions forBroker(
            String bootstrapServers, int dashboardPort, Duration allowedLateness, String jdbcUrl) {
        return new JobOptions(
                bootstrapServers,
                "orders",
                "streamviz-test",
                dashboardPort,
                "127.0.0.1",
                null,
                Duration.ofSeconds(1),
                1,
                Duration.ofMillis(50),
                Duration.ofSeconds(5),
                allowedLateness,
                new HistoryOptions(jdbcUrl, Duration.ofMillis(200), Duration.ofDays(3650)),
                null);
    }

    /** As {@link #forBroker}, reading {@code topic} with its own consumer group. */
    public static JobOptions forTopic(
            String bootstrapServers, int dashboardPort, String topic, String jdbcUrl) {
        JobOptions options =
                forBroker(bootstrapServers, dashboardPort, Duration.ofMinutes(1), jdbcUrl);
        return new JobOptions(
                bootstrapServers,
                topic,
                "streamviz-test-" + topic,
                dashboardPort,
                options.dashboardBindAddress(),
                null,
                options.checkpointInterval(),
                1,
                options.emitInterval(),
                options.outOfOrderness(),
                options.allowedLateness(),
                options.history(),
                null);
    }
}
