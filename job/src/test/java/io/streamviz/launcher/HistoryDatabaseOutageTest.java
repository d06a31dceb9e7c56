package io.streamviz.launcher;

import static io.streamviz.testing.Orders.T0;
import static io.streamviz.testing.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.JobOptions;
import io.streamviz.job.TestJobOptions;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.Eventually;
import io.streamviz.testing.FlinkRest;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.HistoryDb;
import io.streamviz.testing.KafkaClients;
import io.streamviz.testing.PrivatePostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes down during a run and comes back: the job fails over and recovers, the live
 * dashboard keeps serving, and the history ends complete and without duplicates. Uses a private
 * PostgreSQL server, not the shared one.
 */
class HistoryDatabaseOutageTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir Path dataDir;

    private EmbeddedKafkaBroker broker;
    private PrivatePostgres postgres;

    @AfterEach
    void stopEverything() throws Exception {
        EmbeddedDashboardServers.closeAll();
        if (broker != null) {
            broker.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void historyIsCompleteWithoutDuplicatesAfterThePostgresServerWasDownForAWhile()
            throws Exception {
        Optional<Path> bin = PrivatePostgres.binaries();
        assumeTrue(bin.isPresent(), "PostgreSQL's initdb is not installed");
        postgres = PrivatePostgres.create(bin.get());
        postgres.start();
        broker = EmbeddedKafkaBroker.builder().logDir(dataDir.resolve("kafka")).port(0).build();
        broker.start();
        broker.createTopic("orders", 1);
        String jdbcUrl = postgres.jdbcUrl();
        int port = FreePorts.next();
        JobOptions options =
                TestJobOptions.forBroker(
                        broker.bootstrapServers(), port, Duration.ofMinutes(1), jdbcUrl);
        DashboardClient dashboard = new DashboardClient(port);

        try (LocalJobSession session =
                LocalJobSession.start(options, dataDir.resolve("job"), 0, null, false)) {
            KafkaClients.produce(broker.bootstrapServers(), "orders", orders("a", 0, 40));
            Eventually.within(
                    TIMEOUT,
                    () ->
                            assertThat(HistoryDb.latestMetric(jdbcUrl, "revenue"))
                                    .isEqualByComparingTo("205.00"));

            postgres.stop();
            KafkaClients.produce(broker.bootstrapServers(), "orders", orders("b", 60_000, 30));
            awaitRestart(session);
            // Meanwhile the live dashboard still answers.
            assertThat(dashboard.get("/api/snapshot").statusCode()).isEqualTo(200);
            postgres.start();

            Eventually.within(
                    TIMEOUT,
                    () -> {
                        assertThat(HistoryDb.latestMetric(jdbcUrl, "revenue"))
                                .isEqualByComparingTo("321.25");
                        Map<Long, java.math.BigDecimal> points =
                                HistoryDb.chartPoints(jdbcUrl, "revenue_chart");
                        assertThat(points).containsOnlyKeys(T0, T0 + 60_000);
                        assertThat(points.get(T0)).isEqualByComparingTo("205.00");
                        assertThat(points.get(T0 + 60_000)).isEqualByComparingTo("116.25");
                    });
            assertThat(HistoryDb.duplicateKeys(jdbcUrl)).isZero();
            assertThat(dashboard.statValue("revenue")).isEqualByComparingTo("321.25");
        }
    }

    /** Waits until the job failed over at least once: the sink gave up on the database. */
    private static void awaitRestart(LocalJobSession session) throws Exception {
        Eventually.within(
                TIMEOUT,
                () -> {
                    JsonNode exceptions =
                            FlinkRest.get(
                                    session.cluster().restAddress(),
                                    "/jobs/" + session.jobId() + "/exceptions");
                    assertThat(exceptions.path("exceptionHistory").path("entries").size())
                            .isPositive();
                });
    }

    private static List<String> orders(String prefix, long minuteOffsetMs, int count) {
        List<String> orders = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String amount = String.format(Locale.ROOT, "%d.%02d", (i * 25) / 100, (i * 25) % 100);
            orders.add(
                    order(prefix + i, amount, "europe", "books", T0 + minuteOffsetMs + i * 100L));
        }
        return orders;
    }
}
