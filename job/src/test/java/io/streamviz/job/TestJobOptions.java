package io.streamviz.job;

import java.time.Duration;

/** Job options for tests: fast checkpoints and emits, the dashboard on loopback. */
public final class TestJobOptions {
    private TestJobOptions() {}

    public static JobOptions forBroker(
            String bootstrapServers, int dashboardPort, Duration allowedLateness) {
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
                null);
    }
}
