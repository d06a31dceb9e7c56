package io.streamviz.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamviz.bench.BenchSettings;
import io.streamviz.bench.Benchmark;
import io.streamviz.bench.report.BenchmarkResult;
import io.streamviz.bench.report.BenchmarkResult.Plot;
import io.streamviz.bench.report.BenchmarkResult.Row;
import io.streamviz.bench.report.BenchmarkResult.Series;
import io.streamviz.bench.report.Machine;
import io.streamviz.bench.report.Stats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 5: the resident memory of {@code demo} (broker, generator, MiniCluster with RocksDB,
 * dashboard server, DuckDB history, all in one JVM) under 1,000 orders/s for 5 minutes: its peak,
 * and whether it grows with runtime. RSS is sampled every second from {@code /proc/<pid>/status};
 * the peak is the kernel's high-water mark ({@code VmHWM}), so no spike between samples is missed,
 * or the highest sample where that reads higher.
 *
 * <p>Reference, in the same run: the same demo with no orders ({@code --no-generator}) for 2
 * minutes, what the process costs before it does any work.
 */
public final class FootprintBenchmark implements Benchmark {
    public static final String ID = "footprint";
    private static final int RATE = 1_000;
    private static final double TARGET_PEAK_MB = 768;

    /**
     * Growth we still call flat: 2 MB a minute, under 3% of the target over the measured window and
     * within what one more heap region or RocksDB block does at any time.
     */
    private static final double FLAT_MB_PER_MINUTE = 2;

    private static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);

    /**
     * Growth is judged after the first two minutes, which belong to the JIT: native memory tracking
     * showed the code cache growing 5 MB and the compiler's arenas 3 MB between minutes 1 and 3.5
     * while the heap stayed flat. What still grows after them is not the JVM's but glibc malloc's
     * (bench/README.md, footprint), and this benchmark reports it as unflat.
     */
    private static final Duration SETTLING = Duration.ofMinutes(2);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** RSS samples of one run: seconds since ready, MB. */
    record Samples(
            List<Double> seconds, List<Double> residentMb, double peakMb, long ordersShown) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public BenchmarkResult run(BenchSettings settings) throws Exception {
        Duration loaded = settings.quick() ? Duration.ofSeconds(15) : Duration.ofMinutes(5);
        Duration idle = settings.quick() ? Duration.ofSeconds(10) : Duration.ofMinutes(2);
        List<Samples> loadedRuns = new ArrayList<>();
        List<Samples> idleRuns = new ArrayList<>();
        for (int run = 1; run <= settings.runs(); run++) {
            Path runDir = settings.workDir().resolve("footprint-" + System.currentTimeMillis());
            Samples underLoad =
                    sample(
                            settings,
                            runDir.resolve("loaded"),
                            List.of("--rate", Integer.toString(RATE)),
                            loaded);
            long expectedOrders = (long) (RATE * loaded.toSeconds() * 0.9);
            if (underLoad.ordersShown() < expectedOrders) {
                throw new IllegalStateException(
                        "the demo showed only "
                                + underLoad.ordersShown()
                                + " orders; at "
                                + RATE
                                + "/s for "
                                + loaded
                                + " it should show at least "
                                + expectedOrders);
            }
            Samples idleDemo =
                    sample(settings, runDir.resolve("idle"), List.of("--no-generator"), idle);
            System.out.printf(
                    Locale.ROOT,
                    "footprint run %d: at %d orders/s peak %.0f MB, growth %.2f MB/min, %d orders"
                            + " shown; idle peak %.0f MB%n",
                    run,
                    RATE,
                    underLoad.peakMb(),
                    growthMbPerMinute(underLoad),
                    underLoad.ordersShown(),
                    idleDemo.peakMb());
            loadedRuns.add(underLoad);
            idleRuns.add(idleDemo);
        }
        return result(settings, loaded, idle, loadedRuns, idleRuns);
    }

    private static Samples sample(
            BenchSettings settings, Path runDir, List<String> args, Duration duration)
            throws Exception {
        DemoProcess.Ports ports = DemoProcess.Ports.pick();
        try (DemoProcess demo =
                DemoProcess.start(
                        settings.projectDir(),
                        runDir.resolve("data"),
                        ports,
                        args,
                        runDir.resolve("demo.log"))) {
            long readyAtMs = demo.awaitReady();
            List<Double> seconds = new ArrayList<>();
            List<Double> residentMb = new ArrayList<>();
            long endMs = readyAtMs + duration.toMillis();
            long nextMs = readyAtMs;
            while (nextMs <= endMs) {
                Thread.sleep(Math.max(0, nextMs - System.currentTimeMillis()));
                seconds.add((System.currentTimeMillis() - readyAtMs) / 1000.0);
                residentMb.add(demo.residentBytes() / 1e6);
                nextMs += SAMPLE_INTERVAL.toMillis();
            }
            // The kernel counts RSS per thread in batches and folds them into the high-water mark
            // only at some points, so a sample can read a little above VmHWM: the peak is the
            // larger.
            double peakMb =
                    Math.max(
                            demo.peakResidentBytes() / 1e6,
                            residentMb.stream().mapToDouble(Double::doubleValue).max().orElse(0));
            long orders = ordersShown(ports.dashboard());
            demo.stop(Duration.ofMinutes(1));
            return new Samples(seconds, residentMb, peakMb, orders);
        }
    }

    private static long ordersShown(int port) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + port
                                                                + "/api/snapshot"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        JsonNode orders = JSON.readTree(response.body()).path("widgets").path("orders");
        return orders.path("value").asLong(0);
    }

    /** Least-squares slope of RSS over time, after the settling time, in MB per minute. */
    static double growthMbPerMinute(Samples samples) {
        List<Double> seconds = samples.seconds();
        double lastSecond = seconds.get(seconds.size() - 1);
        // Quick runs are shorter than the settling time: their slope uses every sample.
        double fromSecond = lastSecond > SETTLING.toSeconds() + 60 ? SETTLING.toSeconds() : 0;
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < seconds.size(); i++) {
            if (seconds.get(i) >= fromSecond) {
                points.add(new double[] {seconds.get(i), samples.residentMb().get(i)});
            }
        }
        double meanX = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
        double meanY = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (double[] p : points) {
            covariance += (p[0] - meanX) * (p[1] - meanY);
            variance += (p[0] - meanX) * (p[0] - meanX);
        }
        return variance == 0 ? 0 : covariance / variance * 60;
    }

    private static BenchmarkResult result(
            BenchSettings settings,
            Duration loaded,
            Duration idle,
            List<Samples> loadedRuns,
            List<Samples> idleRuns) {
        List<Double> peaks = loadedRuns.stream().map(Samples::peakMb).toList();
        List<Double> growth =
                loadedRuns.stream().map(FootprintBenchmark::growthMbPerMinute).toList();
        String scenario = String.format(Locale.ROOT, "demo at %,d orders/s", RATE);
        List<Row> rows =
                List.of(
                        new Row(
                                scenario,
                                "peak RSS, MB",
                                peaks,
                                "the same demo idle (--no-generator)",
                                idleRuns.stream().map(Samples::peakMb).toList(),
                                false,
                                "< 768 MB",
                                Stats.median(peaks) < TARGET_PEAK_MB),
                        new Row(
                                scenario + ", after its first 2 minutes",
                                "RSS growth, MB/min",
                                growth,
                                null,
                                List.of(),
                                false,
                                String.format(
                                        Locale.ROOT, "flat (<= %.0f MB/min)", FLAT_MB_PER_MINUTE),
                                Stats.median(growth) <= FLAT_MB_PER_MINUTE));
        Samples last = loadedRuns.get(loadedRuns.size() - 1);
        Samples lastIdle = idleRuns.get(idleRuns.size() - 1);
        Plot plot =
                new Plot(
                        "footprint-rss.png",
                        "RSS of demo over time (last run)",
                        "seconds since ready",
                        "RSS, MB",
                        false,
                        List.of(
                                new Series(scenario, last.seconds(), last.residentMb()),
                                new Series(
                                        "idle (--no-generator)",
                                        lastIdle.seconds(),
                                        lastIdle.residentMb())));
        return new BenchmarkResult(
                ID,
                "Footprint: RSS of demo under load",
                String.format(
                        Locale.ROOT,
                        "`java -jar job/target/streamviz.jar demo --rate %d` (no JVM options, as"
                                + " the README starts it) for %d s after it is ready: peak RSS"
                                + " (VmHWM, start-up included) and the slope of RSS after the first"
                                + " 2 minutes, sampled every second. Reference: the same demo idle"
                                + " (--no-generator) for %d s.",
                        RATE,
                        loaded.toSeconds(),
                        idle.toSeconds()),
                settings.command(),
                Machine.describe(),
                Instant.now().toString(),
                rows,
                List.of(plot),
                List.of(
                        "Each run checks that the dashboard showed at least 90% of the orders"
                                + " generated, so the load was real."));
    }
}
