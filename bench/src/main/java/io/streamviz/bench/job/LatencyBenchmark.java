package io.streamviz.bench.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamviz.bench.BenchSettings;
import io.streamviz.bench.Benchmark;
import io.streamviz.bench.job.JobRun.Backend;
import io.streamviz.bench.report.BenchmarkResult;
import io.streamviz.bench.report.BenchmarkResult.Plot;
import io.streamviz.bench.report.BenchmarkResult.Row;
import io.streamviz.bench.report.BenchmarkResult.Series;
import io.streamviz.bench.report.Machine;
import io.streamviz.bench.report.ResultStore;
import io.streamviz.bench.report.Stats;
import io.streamviz.bench.support.FreePort;
import io.streamviz.launcher.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Benchmark 2: the time from an order's append to Kafka to the first WebSocket frame that shows it
 * to a viewer, at a steady rate of half the job's measured maximum.
 *
 * <p>The topic has one partition and records the broker's append time ({@code
 * message.timestamp.type=LogAppendTime}); the job runs with parallelism 1, so it counts orders in
 * offset order and a frame whose {@code orders} stat says {@code n} shows every order up to offset
 * {@code n - 1}. An order's latency is the arrival time of the first such frame at a real WebSocket
 * client minus the order's append time (both this machine's wall clock, millisecond resolution).
 * Reference, in the same run: a plain Kafka consumer on the same topic, append to its poll, the
 * floor of any consumer.
 */
public final class LatencyBenchmark implements Benchmark {
    public static final String ID = "latency";
    private static final String TOPIC = "latency-orders";
    private static final double TARGET_P99_MS = 150;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public BenchmarkResult run(BenchSettings settings) throws Exception {
        // Long enough for a cold JVM: in the first seconds the job compiles, falls behind and
        // catches up again, which at half its maximum took up to 10 s.
        Duration warmUp = Duration.ofSeconds(settings.quick() ? 2 : 20);
        Duration measured = Duration.ofSeconds(settings.quick() ? 4 : 30);
        List<RateRuns> rates = new ArrayList<>();
        for (Rate rate : rates(settings)) {
            RateRuns runs = new RateRuns(rate, new ArrayList<>());
            for (int run = 1; run <= settings.runs(); run++) {
                Path workDir = settings.workDir().resolve("latency-" + System.currentTimeMillis());
                RunLatencies latencies = runOnce(workDir, rate.ordersPerSecond(), warmUp, measured);
                System.out.printf(
                        "latency run %d at %.0f orders/s: job p50 %d p99 %d max %d ms;"
                                + " consumer p50 %d p99 %d max %d ms%n",
                        run,
                        rate.ordersPerSecond(),
                        latencies.job().getValueAtPercentile(50),
                        latencies.job().getValueAtPercentile(99),
                        latencies.job().getMaxValue(),
                        latencies.consumer().getValueAtPercentile(50),
                        latencies.consumer().getValueAtPercentile(99),
                        latencies.consumer().getMaxValue());
                runs.runs().add(latencies);
            }
            rates.add(runs);
        }
        return result(settings, rates, measured);
    }

    /**
     * A rate to measure at: {@code judged} marks the one the target is set for.
     *
     * @param name how the report names it, such as "half the maximum"
     */
    record Rate(String name, double ordersPerSecond, boolean judged) {}

    record RateRuns(Rate rate, List<RunLatencies> runs) {}

    /**
     * Half the job's maximum from the stored throughput result, as the target is set, and a quarter
     * of it. The maximum was measured reading a full topic; here a producer and the broker's
     * appends share the same 2 cores, and at half the maximum they take more than a core between
     * them, so the lower rate shows the job's latency when the machine has room for it. A fixed low
     * rate in quick mode.
     */
    private static List<Rate> rates(BenchSettings settings) {
        String override = System.getProperty("bench.latency.rate");
        if (override != null) {
            return List.of(new Rate("the given rate", Double.parseDouble(override), true));
        }
        if (settings.quick()) {
            return List.of(new Rate("a low rate", 2_000, true));
        }
        ResultStore store = new ResultStore(settings.projectDir().resolve("bench/results"));
        double maximum =
                store.loadAll(List.of()).stream()
                        .filter(result -> result.id().equals(ThroughputBenchmark.ID))
                        .flatMap(result -> result.rows().stream())
                        .filter(row -> row.scenario().equals(ThroughputBenchmark.HEADLINE))
                        .mapToDouble(Row::median)
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "run the throughput benchmark first: the latency"
                                                        + " benchmark runs at half its rate"));
        // Rounded to thousands, so the rate reads as the figure it is rather than a false
        // precision.
        return List.of(
                new Rate("half the maximum", Math.round(maximum / 2 / 1000) * 1000.0, true),
                new Rate(
                        "a quarter of the maximum",
                        Math.round(maximum / 4 / 1000) * 1000.0,
                        false));
    }

    /**
     * Latencies in ms of the orders appended after the warm-up: the job's, the plain consumer's,
     * and the job's worst in each second of the window (which shows whether the tail is steady or
     * comes in bursts, such as at checkpoints).
     */
    record RunLatencies(Histogram job, Histogram consumer, long[] jobWorstBySecond) {}

    /** What the viewer's frames showed: every order's latency, and each second's worst. */
    record FrameLatencies(Histogram histogram, long[] worstBySecond) {}

    private static RunLatencies runOnce(
            Path workDir, double rate, Duration warmUp, Duration measured) throws Exception {
        long totalOrders = (long) (rate * (warmUp.toSeconds() + measured.toSeconds()));
        long firstMeasured = (long) (rate * warmUp.toSeconds());
        long[] appendMs = new long[(int) totalOrders];
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().logDir(workDir.resolve("kafka")).build()) {
            broker.start();
            createTopics(broker.bootstrapServers());
            try (JobRun job =
                            JobRun.start(
                                    broker.bootstrapServers(),
                                    TOPIC,
                                    1,
                                    Backend.ROCKSDB,
                                    FreePort.pick(),
                                    workDir.resolve("job"));
                    FrameClock frames = FrameClock.connect(job.dashboardPort());
                    ConsumerClock consumer =
                            ConsumerClock.start(broker.bootstrapServers(), (int) totalOrders);
                    OrderFeed feed = new OrderFeed(broker.bootstrapServers(), TOPIC, 4)) {
                produceAtRate(feed, rate, totalOrders, appendMs);
                job.awaitOrders(totalOrders, Duration.ofMinutes(2));
                consumer.await(Duration.ofMinutes(1));
                Thread.sleep(500); // the last frames are on their way
                FrameLatencies shown =
                        frames.latencies(
                                appendMs, firstMeasured, totalOrders, measured.toSeconds());
                return new RunLatencies(
                        shown.histogram(),
                        consumer.latencies(appendMs, firstMeasured),
                        shown.worstBySecond());
            }
        }
    }

    private static void createTopics(String bootstrapServers) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(TOPIC, 1, (short) 1)
                                            .configs(
                                                    Map.of(
                                                            "message.timestamp.type",
                                                            "LogAppendTime")),
                                    new NewTopic(TOPIC + "-dlq", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Sends {@code total} orders spread evenly over time, one tick a millisecond. */
    private static void produceAtRate(OrderFeed feed, double rate, long total, long[] appendMs)
            throws Exception {
        long start = System.nanoTime();
        long sent = 0;
        while (sent < total) {
            double elapsedSeconds = (System.nanoTime() - start) / 1e9;
            long due = Math.min(total, (long) (elapsedSeconds * rate));
            while (sent < due) {
                feed.send(
                        (metadata, error) ->
                                appendMs[(int) metadata.offset()] = metadata.timestamp());
                sent++;
            }
            LockSupport.parkNanos(1_000_000);
        }
        feed.flush();
    }

    /**
     * A viewer on the dashboard's WebSocket that notes when each frame arrived and the order count
     * it showed.
     */
    static final class FrameClock implements WebSocket.Listener, AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final List<long[]> countsSeen = new ArrayList<>(); // {arrival ms, orders shown}
        private final StringBuilder partial = new StringBuilder();
        private WebSocket webSocket;

        static FrameClock connect(int port) throws Exception {
            FrameClock clock = new FrameClock();
            clock.webSocket =
                    HttpClient.newHttpClient()
                            .newWebSocketBuilder()
                            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), clock)
                            .get(10, TimeUnit.SECONDS);
            return clock;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            long arrivalMs = System.currentTimeMillis();
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    if ("update".equals(message.path("type").asText())) {
                        for (JsonNode update : message.path("updates")) {
                            if ("orders".equals(update.path("id").asText())) {
                                synchronized (countsSeen) {
                                    countsSeen.add(
                                            new long[] {arrivalMs, update.path("value").asLong()});
                                }
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("not JSON: " + partial, e);
                } finally {
                    partial.setLength(0);
                }
            }
            socket.request(1);
            return null;
        }

        /**
         * Each order from {@code first} on: the first frame showing it minus its append time, as a
         * histogram and as the largest latency among the orders appended in each second of the
         * {@code seconds} long window.
         */
        FrameLatencies latencies(long[] appendMs, long first, long total, long seconds) {
            Histogram histogram = new Histogram(3_600_000, 3);
            long[] worstBySecond = new long[(int) seconds];
            long shown = 0;
            synchronized (countsSeen) {
                for (long[] frame : countsSeen) {
                    long count = Math.min(frame[1], total);
                    for (long offset = Math.max(shown, first); offset < count; offset++) {
                        long latency = Math.max(0, frame[0] - appendMs[(int) offset]);
                        histogram.recordValue(latency);
                        int second =
                                (int) ((appendMs[(int) offset] - appendMs[(int) first]) / 1000);
                        int slot = Math.min(second, worstBySecond.length - 1);
                        worstBySecond[slot] = Math.max(worstBySecond[slot], latency);
                    }
                    shown = Math.max(shown, count);
                }
            }
            if (histogram.getTotalCount() != total - first) {
                throw new IllegalStateException(
                        "frames showed " + histogram.getTotalCount() + " of " + (total - first));
            }
            return new FrameLatencies(histogram, worstBySecond);
        }

        @Override
        public void close() {
            webSocket.abort();
        }
    }

    /** A plain consumer on the same topic, noting when it received each offset. */
    static final class ConsumerClock implements AutoCloseable {
        private final long[] receivedMs;
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile long received;

        private ConsumerClock(long[] receivedMs, Thread thread) {
            this.receivedMs = receivedMs;
            this.thread = thread;
        }

        static ConsumerClock start(String bootstrapServers, int total) {
            long[] receivedMs = new long[total];
            ConsumerClock[] self = new ConsumerClock[1];
            Thread thread =
                    new Thread(() -> self[0].consume(bootstrapServers, total), "latency-reference");
            self[0] = new ConsumerClock(receivedMs, thread);
            thread.start();
            return self[0];
        }

        private void consume(String bootstrapServers, int total) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
                TopicPartition partition = new TopicPartition(TOPIC, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (running.get() && received < total) {
                    for (ConsumerRecord<byte[], byte[]> record :
                            consumer.poll(Duration.ofMillis(100))) {
                        receivedMs[(int) record.offset()] = System.currentTimeMillis();
                        received = record.offset() + 1;
                    }
                }
            }
        }

        void await(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
        }

        Histogram latencies(long[] appendMs, long first) {
            Histogram histogram = new Histogram(3_600_000, 3);
            for (long offset = first; offset < received; offset++) {
                histogram.recordValue(
                        Math.max(0, receivedMs[(int) offset] - appendMs[(int) offset]));
            }
            return histogram;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    private static BenchmarkResult result(
            BenchSettings settings, List<RateRuns> rates, Duration measured) {
        List<Row> rows = new ArrayList<>();
        double[] percentiles = {0, 10, 25, 50, 75, 90, 95, 99, 99.9, 100};
        List<Double> x = Arrays.stream(percentiles).boxed().toList();
        List<Series> byPercentile = new ArrayList<>();
        List<Series> overTime = new ArrayList<>();
        for (RateRuns runs : rates) {
            String at =
                    String.format(
                            "%,.0f orders/s (%s)",
                            runs.rate().ordersPerSecond(), runs.rate().name());
            List<Histogram> job = runs.runs().stream().map(RunLatencies::job).toList();
            List<Histogram> reference = runs.runs().stream().map(RunLatencies::consumer).toList();
            for (double percentile : new double[] {50, 99, 100}) {
                String name = percentile == 100 ? "max" : "p" + (int) percentile;
                List<Double> jobValues = at(job, percentile);
                boolean judged = percentile == 99 && runs.rate().judged();
                rows.add(
                        new Row(
                                String.format("append to WebSocket frame, %s, at %s", name, at),
                                "ms",
                                jobValues,
                                "plain Kafka consumer (append to poll)",
                                at(reference, percentile),
                                false,
                                judged ? "< 150 ms" : null,
                                judged ? Stats.median(jobValues) < TARGET_P99_MS : null));
            }
            RunLatencies last = runs.runs().get(runs.runs().size() - 1);
            byPercentile.add(
                    new Series(
                            "append to WebSocket frame at " + at,
                            x,
                            values(last.job(), percentiles)));
            byPercentile.add(
                    new Series(
                            "append to consumer poll at " + at,
                            x,
                            values(last.consumer(), percentiles)));
            List<Double> seconds = new ArrayList<>();
            List<Double> worst = new ArrayList<>();
            for (int second = 0; second < last.jobWorstBySecond().length; second++) {
                seconds.add((double) second);
                worst.add((double) last.jobWorstBySecond()[second]);
            }
            overTime.add(new Series("worst at " + at, seconds, worst));
        }
        List<Plot> plots =
                List.of(
                        new Plot(
                                "latency-percentiles.png",
                                "Latency by percentile (last run at each rate)",
                                "percentile",
                                "ms",
                                false,
                                byPercentile),
                        new Plot(
                                "latency-over-time.png",
                                "Worst latency of the orders appended in each second (last run)",
                                "second of the measured window",
                                "ms",
                                false,
                                overTime));
        return new BenchmarkResult(
                ID,
                "Latency: Kafka append to the viewer's frame",
                String.format(
                        "At a steady rate, the time from an order's append to Kafka (the broker's"
                                + " LogAppendTime) to the first WebSocket frame whose orders count"
                                + " includes it, over every order of a %d s window after a warm-up;"
                                + " the job with RocksDB, checkpoints every 10 s, the history sink,"
                                + " the job's 20 ms emit interval and the server's 50 ms"
                                + " conflation, as `run` runs it. The target is set at half the"
                                + " job's maximum from the throughput benchmark.",
                        measured.toSeconds()),
                settings.command(),
                Machine.describe(),
                Instant.now().toString(),
                rows,
                plots,
                notes(rates));
    }

    private static List<String> notes(List<RateRuns> rates) {
        List<String> notes = new ArrayList<>();
        notes.add(
                "Producer, broker, job, dashboard server and viewer share this JVM and its 2 cores;"
                        + " times are this machine's wall clock in ms.");
        for (RateRuns runs : rates) {
            double p50 = Stats.median(at(runs.runs().stream().map(RunLatencies::job).toList(), 50));
            if (p50 > 1_000) {
                // A median in seconds is a backlog, not a delay in the pipeline: say so.
                notes.add(
                        String.format(
                                "At %,.0f orders/s the job fell behind (median %.1f s). The maximum"
                                        + " was measured reading a topic filled beforehand; here"
                                        + " the producer writes the orders on the same 2 cores"
                                        + " while the job reads them, see bench/README.md.",
                                runs.rate().ordersPerSecond(), p50 / 1000));
            }
        }
        return notes;
    }

    private static List<Double> at(List<Histogram> runs, double percentile) {
        return runs.stream()
                .map(
                        h ->
                                (double)
                                        (percentile == 100
                                                ? h.getMaxValue()
                                                : h.getValueAtPercentile(percentile)))
                .toList();
    }

    private static List<Double> values(Histogram histogram, double[] percentiles) {
        return Arrays.stream(percentiles)
                .mapToObj(
                        p ->
                                (double)
                                        (p == 100
                                                ? histogram.getMaxValue()
                                                : histogram.getValueAtPercentile(p)))
                .toList();
    }
}
