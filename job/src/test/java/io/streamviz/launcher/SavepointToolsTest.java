package io.streamviz.launcher;

import static io.streamviz.testing.Orders.T0;
import static io.streamviz.testing.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamviz.dashboard.flink.EmbeddedDashboardServers;
import io.streamviz.job.EcommerceJob;
import io.streamviz.job.JobOptions;
import io.streamviz.job.JobStateLayout;
import io.streamviz.job.TestJobOptions;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.Eventually;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real savepoint of the job (Kafka broker, MiniCluster, stop with savepoint) read offline:
 * inspect shows exactly what the job held, check tells whether a build can restore it.
 */
class SavepointToolsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir static Path dataDir;

    private static Path savepoint;

    /**
     * Four valid orders in two event-time minutes and two invalid records: revenue 32.60 over 4
     * orders, both minutes still open (the watermark is at T0 + 57 s).
     */
    @BeforeAll
    static void takeSavepoint() throws Exception {
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().logDir(dataDir.resolve("kafka")).port(0).build()) {
            broker.start();
            broker.createTopic("orders", 1);
            int port = FreePorts.next();
            JobOptions options =
                    TestJobOptions.forBroker(
                            broker.bootstrapServers(), port, Duration.ofMinutes(1));
            DashboardClient dashboard = new DashboardClient(port);

            LocalJobSession session = LocalJobSession.start(options, dataDir, 0, null, false);
            try {
                KafkaClients.produce(
                        broker.bootstrapServers(),
                        "orders",
                        List.of(
                                order("o-1", "12.50", "europe", "books", T0 + 1_000),
                                order("o-2", "0.10", "asia", "electronics", T0 + 2_000),
                                "not json",
                                order("o-3", "19.99", "us_east", "books", T0 + 61_000),
                                order("o-4", "1.234", "asia", "books", T0 + 61_500),
                                order("o-5", "0.01", "europe", "grocery", T0 + 62_000)));
                // What the dashboard shows, the figures operator holds: once it shows every
                // figure, a savepoint has them all.
                Eventually.within(
                        TIMEOUT,
                        () -> {
                            JsonNode widgets = dashboard.snapshot();
                            assertThat(
                                            DashboardClient.decimal(
                                                    widgets.path("revenue").path("value")))
                                    .isEqualByComparingTo("32.60");
                            assertThat(
                                            DashboardClient.decimal(
                                                    widgets.path("rejected").path("value")))
                                    .isEqualByComparingTo("2");
                            assertThat(widgets.path("by_category").path("rows").size())
                                    .isEqualTo(3);
                        });
                savepoint =
                        Path.of(
                                java.net.URI.create(
                                        session.cluster()
                                                .stopWithSavepoint(
                                                        session.jobId(),
                                                        dataDir.resolve("savepoints"))));
            } finally {
                session.cluster().close();
                EmbeddedDashboardServers.closeAll();
            }
        }
    }

    @AfterAll
    static void closeDashboards() {
        EmbeddedDashboardServers.closeAll();
    }

    @Test
    void inspectShowsTheExactTotalsAndDashboardBuffers() throws Exception {
        Output output = new Output();

        int exitCode =
                new SavepointCommand(output.stream()).run(List.of("inspect", savepoint.toString()));

        assertThat(exitCode).isZero();
        String text = output.text();
        assertThat(text).containsPattern("revenue\\s+32\\.60");
        assertThat(text).containsPattern("orders\\s+4\\n");
        assertThat(text).containsPattern("average order\\s+8\\.15");
        assertThat(text).containsPattern("rejected records\\s+2");
        assertThat(text).containsPattern("europe\\s+12\\.51\\s+2");
        assertThat(text).containsPattern("us_east\\s+19\\.99\\s+1");
        assertThat(text).containsPattern("books\\s+32\\.49\\s+2");
        assertThat(text).containsPattern("grocery\\s+0\\.01\\s+1");
        assertThat(text)
                .containsPattern(
                        "2026-01-01T00:00:00Z\\s+12\\.60\\s+2\\s+asia 0\\.10/1, europe 12\\.50/1");
        assertThat(text)
                .containsPattern(
                        "2026-01-01T00:01:00Z\\s+20\\.00\\s+2\\s+europe 0\\.01/1, us_east 19\\.99/1");
        assertThat(text).containsPattern("widgets with state\\s+1[56]");
        assertThat(text).containsPattern("revenue_chart\\s+2 points");
        assertThat(text).containsPattern("by_region\\s+3 rows");
    }

    @Test
    void inspectAsJsonGivesOneDocumentWithExactMoney() throws Exception {
        Output output = new Output();

        int exitCode =
                new SavepointCommand(output.stream())
                        .run(List.of("inspect", savepoint.toString(), "--json"));

        assertThat(exitCode).isZero();
        // Money as written, to the cent: 32.60, not 32.6.
        assertThat(output.text()).contains("\"revenue\" : 32.60").contains("\"revenue\" : 0.10");
        JsonNode json = JSON.readTree(output.text());
        assertThat(json.path("totals").path("revenue").decimalValue())
                .isEqualByComparingTo("32.60");
        assertThat(json.path("totals").path("orders").asLong()).isEqualTo(4);
        assertThat(json.path("totals").path("avg_order").decimalValue())
                .isEqualByComparingTo("8.15");
        assertThat(json.path("totals").path("rejected").asLong()).isEqualTo(2);
        assertThat(json.path("regions").path("asia").path("revenue").decimalValue())
                .isEqualByComparingTo("0.10");
        assertThat(json.path("categories").path("books").path("revenue").decimalValue())
                .isEqualByComparingTo("32.49");
        JsonNode minutes = json.path("open_minutes");
        assertThat(minutes).hasSize(2);
        assertThat(minutes.get(1).path("start").asLong()).isEqualTo(T0 + 60_000);
        assertThat(minutes.get(1).path("revenue").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(minutes.get(1).path("regions").path("us_east").path("orders").asLong())
                .isEqualTo(1);
        JsonNode buffers = json.path("dashboard");
        // The rate gauge ticks on processing time: whether it had its first value when the
        // savepoint was taken is a race, so it may or may not be there.
        List<String> fed =
                List.of(
                        "revenue",
                        "orders",
                        "avg_order",
                        "revenue_chart",
                        "orders_chart",
                        "us_east",
                        "europe",
                        "asia",
                        "electronics",
                        "books",
                        "grocery",
                        "by_region",
                        "by_category",
                        "customers",
                        "rejected");
        List<String> widgets = new ArrayList<>();
        buffers.path("widgets").forEach(id -> widgets.add(id.asText()));
        assertThat(widgets).containsAll(fed);
        assertThat(widgets).isSubsetOf(concat(fed, "orders_per_sec"));
        assertThat(buffers.path("chart_points").path("revenue_chart").asInt()).isEqualTo(2);
        assertThat(buffers.path("chart_points").path("orders_chart").asInt()).isEqualTo(2);
        assertThat(buffers.path("table_rows").path("by_region").asInt()).isEqualTo(3);
        assertThat(buffers.path("table_rows").path("by_category").asInt()).isEqualTo(3);
    }

    @Test
    void checkSaysSafeForTheCurrentBuild() throws Exception {
        Output output = new Output();

        int exitCode =
                new SavepointCommand(output.stream()).run(List.of("check", savepoint.toString()));

        assertThat(exitCode).as(output.text()).isZero();
        assertThat(output.text()).contains("SAFE: this build can restore the savepoint");
        assertThat(output.text()).doesNotContain("BLOCKER");
    }

    @Test
    void checkSaysUnsafeWhenAnOperatorUidChanged() throws Exception {
        Output output = new Output();
        SavepointCheckCommand check =
                new SavepointCheckCommand(
                        output.stream(),
                        jobWithUid("category-totals", "category-totals-v2"),
                        JobStateLayout.current());

        int exitCode = check.run(List.of(savepoint.toString()));

        assertThat(exitCode).isEqualTo(Launcher.EXIT_FAILED);
        assertThat(output.text())
                .contains("BLOCKER: state of operator 'category-totals' has no operator in the job")
                .contains(".uid(\"category-totals\")")
                .contains("--allow-non-restored-state")
                .contains(
                        "operator 'category-totals-v2' is new in the job: it starts with empty state")
                .contains("UNSAFE");
    }

    @Test
    void checkAcceptsARemovedOperatorWithAllowNonRestoredState() throws Exception {
        Output output = new Output();
        SavepointCheckCommand check =
                new SavepointCheckCommand(
                        output.stream(),
                        jobWithUid("category-totals", "category-totals-v2"),
                        JobStateLayout.current());

        int exitCode = check.run(List.of(savepoint.toString(), "--allow-non-restored-state"));

        assertThat(exitCode).as(output.text()).isZero();
        assertThat(output.text())
                .contains("WARNING: state of operator 'category-totals' has no operator")
                .contains("SAFE");
    }

    @Test
    void checkSaysUnsafeWhenAStateSerializerBecameIncompatible() throws Exception {
        Output output = new Output();
        // The rejected count was a Long; a build that keeps it as a String cannot read it.
        JobStateLayout changed =
                JobStateLayout.current()
                        .withState(
                                JobStateLayout.DASHBOARD_FIGURES,
                                new ValueStateDescriptor<>("rejected", Types.STRING));
        SavepointCheckCommand check =
                new SavepointCheckCommand(output.stream(), currentJob(), changed);

        int exitCode = check.run(List.of(savepoint.toString()));

        assertThat(exitCode).isEqualTo(Launcher.EXIT_FAILED);
        assertThat(output.text())
                .contains(
                        "BLOCKER: state 'rejected' of operator 'dashboard-figures' was written as"
                                + " LongSerializer, which the job's StringSerializer cannot read")
                .contains("state migration")
                .contains("UNSAFE");
    }

    private static Consumer<StreamExecutionEnvironment> currentJob() {
        return env -> EcommerceJob.build(env, options());
    }

    /** The job with one operator's uid changed, as a careless refactoring would leave it. */
    private static Consumer<StreamExecutionEnvironment> jobWithUid(String uid, String newUid) {
        return env -> {
            EcommerceJob.build(env, options());
            Deque<Transformation<?>> pending = new ArrayDeque<>(env.getTransformations());
            while (!pending.isEmpty()) {
                Transformation<?> transformation = pending.pop();
                if (uid.equals(transformation.getUid())) {
                    transformation.setUid(newUid);
                }
                pending.addAll(transformation.getInputs());
            }
        };
    }

    private static List<String> concat(List<String> list, String element) {
        List<String> all = new ArrayList<>(list);
        all.add(element);
        return all;
    }

    private static JobOptions options() {
        return TestJobOptions.forBroker("localhost:9092", 0, Duration.ofMinutes(1));
    }

    /** What a command printed. */
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
