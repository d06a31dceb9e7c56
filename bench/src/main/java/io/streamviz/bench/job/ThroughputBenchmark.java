package io.streamviz.bench.job;

import io.streamviz.bench.BenchSettings;
import io.streamviz.bench.Benchmark;
import io.streamviz.bench.job.JobRun.Backend;
import io.streamviz.bench.report.BenchmarkResult;
import io.streamviz.bench.report.BenchmarkResult.Plot;
import io.streamviz.bench.report.BenchmarkResult.Row;
import io.streamviz.bench.report.BenchmarkResult.Series;
import io.streamviz.bench.report.Machine;
import io.streamviz.bench.report.Stats;
import io.streamviz.bench.support.FreePort;
import io.streamviz.launcher.EmbeddedKafkaBroker;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 1: how many orders per second the whole job consumes, against the limit of this machine
 * measured in the same run: plain Kafka consumers parsing every record with the job's parser.
 *
 * <p>Each scenario's topic holds the same generated orders (2 partitions; {@code 2,000,000} orders,
 * 300,000 in quick mode) with 4, 1,000 or 100,000 categories. In every run, each scenario runs its
 * reference and then the job, one after the other, so both see the same machine. The job runs as
 * {@code run} runs it: RocksDB (or the heap backend where the scenario says so), checkpoints every
 * 10 s, the embedded dashboard and the DuckDB history. Its clock runs from the first order the
 * dashboard shows to the moment it shows them all, and every run checks that the dashboard's
 * revenue is exactly the sum of the orders written.
 */
public final class ThroughputBenchmark implements Benchmark {
    public static final String ID = "throughput";

    /** The headline scenario; the latency benchmark runs at half its rate. */
    public static final String HEADLINE = "RocksDB, parallelism 1, 4 categories";

    private static final int PARTITIONS = 2;
    private static final double TARGET_RATIO = 0.6;

    record Scenario(Backend backend, int parallelism, int categories, boolean hasTarget) {
        String label() {
            return String.format(
                    "%s, parallelism %d, %,d categories",
                    backend == Backend.ROCKSDB ? "RocksDB" : "heap", parallelism, categories);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public BenchmarkResult run(BenchSettings settings) throws Exception {
        long orders =
                Long.getLong("bench.throughput.orders", settings.quick() ? 300_000 : 2_000_000);
        List<Scenario> scenarios =
                settings.quick()
                        ? List.of(
                                new Scenario(Backend.ROCKSDB, 1, 4, true),
                                new Scenario(Backend.HEAP, 2, 1_000, false))
                        : List.of(
                                new Scenario(Backend.ROCKSDB, 1, 4, true),
                                new Scenario(Backend.ROCKSDB, 2, 4, true),
                                new Scenario(Backend.HEAP, 1, 4, false),
                                new Scenario(Backend.ROCKSDB, 1, 1_000, false),
                                new Scenario(Backend.ROCKSDB, 1, 100_000, false));
        String only = System.getProperty("bench.throughput.only");
        if (only != null) {
            // For working on the job: -Dbench.throughput.only=1,3 runs the 1st and 3rd scenario.
            List<Scenario> all = scenarios;
            scenarios =
                    Arrays.stream(only.split(","))
                            .map(index -> scenario(all, index.trim()))
                            .toList();
        }
        Path workDir = settings.workDir().resolve("throughput-" + System.currentTimeMillis());
        Map<Scenario, List<Double>> jobRates = new LinkedHashMap<>();
        Map<Scenario, List<Double>> referenceRates = new LinkedHashMap<>();
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().logDir(workDir.resolve("kafka")).build()) {
            broker.start();
            Map<Integer, Long> centsByCategories = new LinkedHashMap<>();
            for (Scenario scenario : scenarios) {
                if (!centsByCategories.containsKey(scenario.categories())) {
                    centsByCategories.put(
                            scenario.categories(),
                            fillTopic(broker, topic(scenario), scenario.categories(), orders));
                }
            }
            // The job runs in this JVM: the first scenario measured would otherwise pay for
            // compiling the parser, Kafka's client and Flink's runtime, and every later one not.
            Scenario warmUp = scenarios.get(0);
            ReferenceConsumers.readAll(
                    broker.bootstrapServers(), topic(warmUp), warmUp.parallelism());
            runJob(
                    broker,
                    warmUp,
                    orders,
                    centsByCategories.get(warmUp.categories()),
                    workDir.resolve("job-warm-up"));
            for (int run = 1; run <= settings.runs(); run++) {
                for (Scenario scenario : scenarios) {
                    ReferenceConsumers.Outcome reference =
                            ReferenceConsumers.readAll(
                                    broker.bootstrapServers(),
                                    topic(scenario),
                                    scenario.parallelism());
                    check(reference.orders() == orders, "reference read " + reference.orders());
                    double jobRate =
                            runJob(
                                    broker,
                                    scenario,
                                    orders,
                                    centsByCategories.get(scenario.categories()),
                                    workDir.resolve("job-" + run + "-" + scenario.hashCode()));
                    System.out.printf(
                            "throughput run %d, %s: job %.0f orders/s, reference %.0f orders/s%n",
                            run, scenario.label(), jobRate, reference.ordersPerSecond());
                    jobRates.computeIfAbsent(scenario, s -> new ArrayList<>()).add(jobRate);
                    referenceRates
                            .computeIfAbsent(scenario, s -> new ArrayList<>())
                            .add(reference.ordersPerSecond());
                }
            }
        }
        return result(settings, orders, scenarios, jobRates, referenceRates);
    }

    private static String topic(Scenario scenario) {
        return "orders-" + scenario.categories() + "-categories";
    }

    /** Fills the topic and returns the sum of the written amounts in cents. */
    private static long fillTopic(
            EmbeddedKafkaBroker broker, String topic, int categories, long orders)
            throws Exception {
        broker.createTopic(topic, PARTITIONS);
        broker.createTopic(topic + "-dlq", 1);
        long start = System.nanoTime();
        try (OrderFeed feed = new OrderFeed(broker.bootstrapServers(), topic, categories)) {
            feed.fill(orders);
            System.out.printf(
                    "filled %s with %,d orders in %.1f s%n",
                    topic, orders, (System.nanoTime() - start) / 1e9);
            return feed.writtenCents();
        }
    }

    private static double runJob(
            EmbeddedKafkaBroker broker,
            Scenario scenario,
            long orders,
            long expectedCents,
            Path dataDir)
            throws Exception {
        try (JobRun job =
                JobRun.start(
                        broker.bootstrapServers(),
                        topic(scenario),
                        scenario.parallelism(),
                        scenario.backend(),
                        FreePort.pick(),
                        dataDir)) {
            JobRun.Progress progress = job.awaitOrders(orders, Duration.ofMinutes(20));
            BigDecimal revenue = job.statValue("revenue");
            check(
                    revenue.compareTo(BigDecimal.valueOf(expectedCents, 2)) == 0,
                    "revenue " + revenue + ", expected " + BigDecimal.valueOf(expectedCents, 2));
            check(job.ordersShown() == orders, "orders shown " + job.ordersShown());
            // The dashboard is polled every 50 ms: a run that ends within one poll has no time.
            check(
                    progress.firstShown() < orders,
                    "the job read all " + orders + " orders between two polls; time more of them");
            double seconds = (progress.lastNanos() - progress.firstShownNanos()) / 1e9;
            return (orders - progress.firstShown()) / seconds;
        }
    }

    private static Scenario scenario(List<Scenario> scenarios, String number) {
        try {
            return scenarios.get(Integer.parseInt(number) - 1);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    "bench.throughput.only: '"
                            + number
                            + "' is not a scenario number from 1 to "
                            + scenarios.size());
        }
    }

    private static void check(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException("throughput benchmark: " + problem);
        }
    }

    private static BenchmarkResult result(
            BenchSettings settings,
            long orders,
            List<Scenario> scenarios,
            Map<Scenario, List<Double>> jobRates,
            Map<Scenario, List<Double>> referenceRates) {
        List<Row> rows = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            List<Double> job = jobRates.get(scenario);
            List<Double> reference = referenceRates.get(scenario);
            String referenceName =
                    scenario.parallelism()
                            + (scenario.parallelism() == 1 ? " Kafka consumer" : " Kafka consumers")
                            + " + the job's parser";
            Row row =
                    new Row(
                            scenario.label(),
                            "orders/s",
                            job,
                            referenceName,
                            reference,
                            true,
                            scenario.hasTarget() ? ">= 60% of the limit (80% ambition)" : null,
                            null);
            if (scenario.hasTarget()) {
                row =
                        new Row(
                                row.scenario(),
                                row.metric(),
                                job,
                                referenceName,
                                reference,
                                true,
                                row.target(),
                                row.ratio() >= TARGET_RATIO);
            }
            rows.add(row);
        }
        List<Plot> plots = new ArrayList<>();
        List<Scenario> byKeys =
                scenarios.stream()
                        .filter(s -> s.backend() == Backend.ROCKSDB && s.parallelism() == 1)
                        .toList();
        if (byKeys.size() > 1) {
            plots.add(
                    new Plot(
                            "throughput-by-categories.png",
                            "Orders/s by number of categories (RocksDB, parallelism 1)",
                            "distinct categories",
                            "orders/s",
                            true,
                            List.of(
                                    series("the job", byKeys, jobRates),
                                    series("limit: consumer + parser", byKeys, referenceRates))));
        }
        String command = settings.command();
        return new BenchmarkResult(
                ID,
                "Job throughput against the limit",
                String.format(
                        "The whole job (Kafka source, parse, watermarks, keyed totals, dashboard"
                                + " sink, history sink; checkpoints every 10 s) reading %,d orders"
                                + " from the earliest offsets of a 2-partition topic, against plain"
                                + " Kafka consumers (as many as the job's parallelism) that read"
                                + " and parse the same records with the job's parser. Figures are"
                                + " orders/s; the ratio is job / limit.",
                        orders),
                command,
                Machine.describe(),
                Instant.now().toString(),
                rows,
                plots,
                List.of(
                        "The job's clock runs from the first order its dashboard shows to the"
                                + " last; the reference's from its first record to its last."
                                + " Start-up is counted for neither.",
                        "Broker, consumers and the job's MiniCluster share this JVM and its 2"
                                + " cores, as in `demo`."));
    }

    private static Series series(
            String name, List<Scenario> scenarios, Map<Scenario, List<Double>> rates) {
        return new Series(
                name,
                scenarios.stream().map(s -> (double) s.categories()).toList(),
                scenarios.stream().map(s -> Stats.median(rates.get(s))).toList());
    }
}
