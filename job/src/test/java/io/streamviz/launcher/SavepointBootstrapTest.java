package io.streamviz.launcher;

import static io.streamviz.testing.Orders.T0;
import static io.streamviz.testing.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.JobOptions;
import io.streamviz.job.TestJobOptions;
import io.streamviz.job.records.Totals;
import io.streamviz.job.savepoint.HistoryTotals;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.Eventually;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.GeneratedOrders;
import io.streamviz.testing.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A brand-new deployment on an existing history: the real job fills a DuckDB history, {@code
 * savepoint bootstrap --from-history} turns that history into a savepoint in a new data directory,
 * and a new job started from it on a new topic continues every total exactly where it was.
 */
class SavepointBootstrapTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** One new order per region and per category, and one record that is not an order. */
    private static final List<String> NEW_RECORDS =
            List.of(
                    order("n-1", "1.11", "us_east", "electronics", T0 + 600_000),
                    order("n-2", "2.22", "us_west", "apparel", T0 + 600_100),
                    order("n-3", "3.33", "europe", "books", T0 + 600_200),
                    order("n-4", "4.44", "asia", "grocery", T0 + 600_300),
                    "not json");

    private static final Map<String, String> NEW_REVENUE_BY_REGION =
            Map.of("us_east", "1.11", "us_west", "2.22", "europe", "3.33", "asia", "4.44");
    private static final Map<String, String> NEW_REVENUE_BY_CATEGORY =
            Map.of("electronics", "1.11", "apparel", "2.22", "books", "3.33", "grocery", "4.44");

    @TempDir Path dir;

    private EmbeddedKafkaBroker broker;

    @AfterEach
    void stopBroker() throws Exception {
        EmbeddedDashboardServers.closeAll();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void newJobFromABootstrappedSavepointContinuesTheStoredTotalsExactly() throws Exception {
        broker = EmbeddedKafkaBroker.builder().logDir(dir.resolve("kafka")).port(0).build();
        broker.start();
        broker.createTopic("orders", 1);
        broker.createTopic("orders-new", 1);
        String oldHistory = "jdbc:duckdb:" + dir.resolve("old").resolve("streamviz.duckdb");
        Files.createDirectories(dir.resolve("old"));

        Figures stored = runOldDeployment(oldHistory);

        Path newDataDir = dir.resolve("new");
        Output bootstrap = new Output();
        int bootstrapExit =
                new SavepointCommand(bootstrap.stream())
                        .run(
                                List.of(
                                        "bootstrap",
                                        "--from-history",
                                        "--jdbc-url",
                                        oldHistory,
                                        "--data-dir",
                                        newDataDir.toString()));
        assertThat(bootstrapExit).as(bootstrap.text()).isZero();
        Path savepoint = Path.of(bootstrap.text().strip());
        assertThat(savepoint).startsWith(newDataDir.resolve("savepoints"));
        assertThat(savepoint.resolve("_metadata")).isRegularFile();

        Output check = new Output();
        int checkExit =
                new SavepointCommand(check.stream()).run(List.of("check", savepoint.toString()));
        assertThat(checkExit).as(check.text()).isZero();
        assertThat(check.text())
                .contains("SAFE: this build can restore the savepoint")
                .doesNotContain("BLOCKER");

        // Its own history database: the old one would preload the dashboard with the stored
        // figures and hide whether the state was restored.
        int port = FreePorts.next();
        JobOptions newJob =
                TestJobOptions.forTopic(
                        broker.bootstrapServers(),
                        port,
                        "orders-new",
                        "jdbc:duckdb:" + newDataDir.resolve("streamviz.duckdb"));
        DashboardClient dashboard = new DashboardClient(port);
        try (LocalJobSession session =
                LocalJobSession.start(newJob, newDataDir, 0, savepoint, false)) {
            KafkaClients.produce(broker.bootstrapServers(), "orders-new", NEW_RECORDS);

            Eventually.within(
                    TIMEOUT,
                    () -> {
                        JsonNode widgets = dashboard.snapshot();
                        assertThat(stat(widgets, "revenue"))
                                .isEqualByComparingTo(stored.revenue.add(new BigDecimal("11.10")));
                        assertThat(stat(widgets, "orders"))
                                .isEqualByComparingTo(BigDecimal.valueOf(stored.orders + 4));
                        assertThat(stat(widgets, "rejected"))
                                .isEqualByComparingTo(BigDecimal.valueOf(stored.rejected + 1));
                        assertThat(stat(widgets, "customers"))
                                .isEqualByComparingTo(BigDecimal.valueOf(stored.customers + 4));
                        assertContinued(
                                widgets.get("by_region").get("rows"),
                                stored.regions,
                                NEW_REVENUE_BY_REGION);
                        assertContinued(
                                widgets.get("by_category").get("rows"),
                                stored.categories,
                                NEW_REVENUE_BY_CATEGORY);
                    });
        }
    }

    /**
     * Runs the job on known orders until its history holds the final figures, then stops it.
     *
     * @return the figures, as the dashboard showed them and the history stored them
     */
    private Figures runOldDeployment(String jdbcUrl) throws Exception {
        GeneratedOrders generated = GeneratedOrders.generate(7, 400, "o-", T0);
        int port = FreePorts.next();
        JobOptions options =
                TestJobOptions.forBroker(
                        broker.bootstrapServers(), port, Duration.ofMinutes(1), jdbcUrl);
        DashboardClient dashboard = new DashboardClient(port);
        try (LocalJobSession session =
                LocalJobSession.start(options, dir.resolve("old-job"), 0, null, false)) {
            KafkaClients.produce(broker.bootstrapServers(), "orders", generated.records());
            Eventually.within(
                    TIMEOUT,
                    () -> {
                        JsonNode widgets = dashboard.snapshot();
                        generated.assertShownBy(widgets);
                        // Every order has a customer of its own.
                        assertThat(stat(widgets, "customers"))
                                .isEqualByComparingTo(BigDecimal.valueOf(generated.orders()));
                    });
            Figures shown = Figures.of(dashboard.snapshot());
            assertThat(shown.regions).hasSize(4);
            assertThat(shown.categories).hasSize(4);
            // The history is sampled every 200 ms: wait until it has caught up with the dashboard.
            Eventually.within(
                    TIMEOUT,
                    () -> assertThat(Figures.of(HistoryTotals.read(jdbcUrl))).isEqualTo(shown));
            return shown;
        }
    }

    private static void assertContinued(
            JsonNode rows, Map<String, Totals> stored, Map<String, String> newRevenue) {
        assertThat(rows.size()).isEqualTo(stored.size());
        stored.forEach(
                (key, totals) -> {
                    JsonNode row = rows.get(key);
                    assertThat(row).as(key).isNotNull();
                    assertThat(DashboardClient.decimal(row.get("revenue")))
                            .as("%s revenue", key)
                            .isEqualByComparingTo(
                                    BigDecimal.valueOf(totals.revenueCents, 2)
                                            .add(new BigDecimal(newRevenue.get(key))));
                    assertThat(row.get("orders").asLong())
                            .as("%s orders", key)
                            .isEqualTo(totals.orders + 1);
                });
    }

    private static BigDecimal stat(JsonNode widgets, String id) {
        return DashboardClient.decimal(widgets.path(id).path("value"));
    }

    /** The figures a bootstrap carries over, comparable whether shown or stored. */
    private record Figures(
            BigDecimal revenue,
            long orders,
            long rejected,
            long customers,
            Map<String, Totals> regions,
            Map<String, Totals> categories) {

        static Figures of(JsonNode widgets) {
            return new Figures(
                    stat(widgets, "revenue"),
                    stat(widgets, "orders").longValueExact(),
                    stat(widgets, "rejected").longValueExact(),
                    stat(widgets, "customers").longValueExact(),
                    rows(widgets.get("by_region").get("rows")),
                    rows(widgets.get("by_category").get("rows")));
        }

        static Figures of(HistoryTotals history) {
            Totals overall = history.overall();
            return new Figures(
                    BigDecimal.valueOf(overall.revenueCents, 2),
                    overall.orders,
                    history.rejected(),
                    history.customers(),
                    new TreeMap<>(history.regions()),
                    new TreeMap<>(history.categories()));
        }

        private static Map<String, Totals> rows(JsonNode rows) {
            Map<String, Totals> totals = new TreeMap<>();
            for (Iterator<String> keys = rows.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                JsonNode row = rows.get(key);
                totals.put(
                        key,
                        new Totals(
                                DashboardClient.decimal(row.get("revenue"))
                                        .movePointRight(2)
                                        .longValueExact(),
                                row.get("orders").asLong()));
            }
            return totals;
        }

        /** Totals has no equals of its own; compare money, counts and members as text. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Figures other && toString().equals(other.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return revenue.setScale(2)
                    + "/"
                    + orders
                    + " rejected "
                    + rejected
                    + " customers "
                    + customers
                    + " regions "
                    + regions
                    + " categories "
                    + categories;
        }
    }

    /** What a command prints. */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        PrintStream stream() {
            return stream;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
