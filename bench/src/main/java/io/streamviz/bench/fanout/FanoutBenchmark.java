package io.streamviz.bench.fanout;

import io.streamviz.bench.BenchSettings;
import io.streamviz.bench.Benchmark;
import io.streamviz.bench.report.BenchmarkResult;
import io.streamviz.bench.report.BenchmarkResult.Plot;
import io.streamviz.bench.report.BenchmarkResult.Row;
import io.streamviz.bench.report.BenchmarkResult.Series;
import io.streamviz.bench.report.Machine;
import io.streamviz.bench.report.Stats;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Issue #7, benchmark 3: WebSocket fan-out of the StreamViz dashboard server against a Node.js
 * server on the npm {@code ws} package doing the same broadcast, both measured by the same {@link
 * FanoutLoadClient}. Per server and client count: a fresh server process, its RSS before and after
 * the viewers connected (idle, after a GC), then a publisher at a fixed rate and a measuring
 * window. The workload and what is comparable are described in {@code bench/README.md}, section
 * fanout.
 */
public final class FanoutBenchmark implements Benchmark {
    /** The heap we would recommend a user give a dashboard server of this size. */
    static final String STREAMVIZ_HEAP = "-Xmx512m";

    static final String STREAMVIZ = "StreamViz";
    static final String WS = "Node.js ws";

    private static final int CLIENT_THREADS = 2;

    /** One workload: {@code clients} viewers, {@code updatesPerSecond} spread over the widgets. */
    record Workload(
            int clients,
            int updatesPerSecond,
            int widgets,
            Duration warmUp,
            Duration window,
            boolean targetScenario,
            boolean plotted) {}

    /** What one server did under one workload in one run. */
    record Measured(
            double updatesPerSecond,
            double framesPerSecond,
            double p50Ms,
            double p99Ms,
            double maxMs,
            double idleBytesPerViewer,
            int closedByServer) {}

    @Override
    public String id() {
        return "fanout";
    }

    static List<Workload> workloads(boolean quick) {
        String clients = System.getProperty("fanout.clients");
        if (clients != null) {
            // For exploring by hand: -Dfanout.clients=1000,10000 -Dfanout.rate=1000
            int rate = Integer.getInteger("fanout.rate", 200);
            Duration window = Duration.ofSeconds(Integer.getInteger("fanout.window", 10));
            return Arrays.stream(clients.split(","))
                    .map(
                            n ->
                                    workload(
                                            Integer.parseInt(n.trim()),
                                            rate,
                                            Duration.ofSeconds(3),
                                            window,
                                            true,
                                            true))
                    .toList();
        }
        if (quick) {
            return List.of(
                    workload(50, 200, Duration.ofSeconds(1), Duration.ofSeconds(2), true, true));
        }
        Duration warmUp = Duration.ofSeconds(3);
        Duration window = Duration.ofSeconds(10);
        return List.of(
                // 200,000 updates/s in all: both servers deliver every one, so this compares
                // their latency, not their capacity.
                workload(1_000, 200, warmUp, window, false, true),
                // 2,000,000 updates/s in all, more than either server can deliver on 2 cores: the
                // comparison of what each carries, where the target is set.
                workload(1_000, 2_000, warmUp, window, true, false),
                workload(10_000, 200, warmUp, window, false, true));
    }

    /** Widgets: every one changes every 200 ms, 4 ticks of StreamViz's 50 ms conflation. */
    private static Workload workload(
            int clients,
            int rate,
            Duration warmUp,
            Duration window,
            boolean targetScenario,
            boolean plotted) {
        return new Workload(
                clients, rate, Math.max(1, rate / 5), warmUp, window, targetScenario, plotted);
    }

    @Override
    public BenchmarkResult run(BenchSettings settings) throws Exception {
        Path reference = settings.projectDir().resolve("bench/ws-reference");
        checkReferenceInstalled(reference);
        Path logDir = Files.createDirectories(settings.workDir().resolve("fanout"));
        List<Workload> workloads = workloads(settings.quick());

        // measured.get(server).get(workload index) = one Measured per run
        Map<String, List<List<Measured>>> measured = new LinkedHashMap<>();
        for (String server : List.of(STREAMVIZ, WS)) {
            List<List<Measured>> perWorkload = new ArrayList<>();
            workloads.forEach(w -> perWorkload.add(new ArrayList<>()));
            measured.put(server, perWorkload);
        }
        for (int run = 0; run < settings.runs(); run++) {
            for (int w = 0; w < workloads.size(); w++) {
                Workload workload = workloads.get(w);
                // Alternate which server goes first, so neither always gets the cooler machine.
                List<String> order = run % 2 == 0 ? List.of(STREAMVIZ, WS) : List.of(WS, STREAMVIZ);
                for (String server : order) {
                    Measured m = measure(server, workload, reference, logDir);
                    System.out.printf(
                            Locale.ROOT,
                            "fanout run %d, %s, %,d clients: %,.0f updates/s, %,.0f frames/s,"
                                    + " p50 %.0f ms, p99 %.0f ms, max %.0f ms,"
                                    + " %.1f KB per idle viewer, %d closed by server%n",
                            run + 1,
                            server,
                            workload.clients(),
                            m.updatesPerSecond(),
                            m.framesPerSecond(),
                            m.p50Ms(),
                            m.p99Ms(),
                            m.maxMs(),
                            m.idleBytesPerViewer() / 1024,
                            m.closedByServer());
                    measured.get(server).get(w).add(m);
                }
            }
        }
        return result(settings, workloads, measured);
    }

    private static void checkReferenceInstalled(Path reference) throws IOException {
        if (!Files.isDirectory(reference.resolve("node_modules/ws"))) {
            throw new IOException(
                    "the ws reference is not installed: run 'npm ci' in "
                            + reference
                            + " (bench/run.sh and .ci/run do), which needs node and npm");
        }
    }

    private static Measured measure(String server, Workload workload, Path reference, Path logDir)
            throws Exception {
        Path log = logDir.resolve(server.equals(STREAMVIZ) ? "streamviz.log" : "ws.log");
        try (ServerProcess process =
                        ServerProcess.start(server, command(server, workload), reference, log);
                FanoutLoadClient client =
                        new FanoutLoadClient(
                                URI.create("ws://127.0.0.1:" + process.port() + "/ws"),
                                CLIENT_THREADS)) {
            warmUp(process, Math.min(100, workload.clients()));
            long before = settledResidentBytes(process);
            client.connect(workload.clients(), Duration.ofSeconds(120));
            long after = settledResidentBytes(process);
            double idleBytesPerViewer = (after - before) / (double) workload.clients();

            process.command("rate " + workload.updatesPerSecond());
            Thread.sleep(workload.warmUp().toMillis());
            client.startWindow();
            Thread.sleep(workload.window().toMillis());
            FanoutLoadClient.Window window = client.endWindow();
            process.command("rate 0");
            return new Measured(
                    window.updatesPerSecond(),
                    window.framesPerSecond(),
                    window.latencyMs().getValueAtPercentile(50),
                    window.latencyMs().getValueAtPercentile(99),
                    window.latencyMs().getMaxValue(),
                    idleBytesPerViewer,
                    client.closedByServer());
        }
    }

    /**
     * Connects and closes a few viewers first, so that what any first connection costs once (code
     * loaded and compiled, allocator arenas set up) is not counted per connection.
     */
    private static void warmUp(ServerProcess process, int viewers) throws InterruptedException {
        try (FanoutLoadClient client =
                new FanoutLoadClient(
                        URI.create("ws://127.0.0.1:" + process.port() + "/ws"), CLIENT_THREADS)) {
            client.connect(viewers, Duration.ofSeconds(60));
        }
    }

    /** RSS after a GC in the server and a moment for the allocator to return what it freed. */
    private static long settledResidentBytes(ServerProcess process) throws Exception {
        Thread.sleep(1_000);
        process.command("gc");
        Thread.sleep(1_000);
        return process.residentBytes();
    }

    private static List<String> command(String server, Workload workload) {
        String widgets = Integer.toString(workload.widgets());
        if (server.equals(WS)) {
            return List.of("node", "--expose-gc", "server.js", widgets);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(STREAMVIZ_HEAP);
        String extra = System.getProperty("fanout.serverJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add("-cp");
        command.add(absoluteClassPath());
        command.add(StreamVizFanoutServer.class.getName());
        command.add(widgets);
        return command;
    }

    /** This JVM's class path, absolute: the server starts in the reference's folder. */
    private static String absoluteClassPath() {
        String classPath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static BenchmarkResult result(
            BenchSettings settings,
            List<Workload> workloads,
            Map<String, List<List<Measured>>> measured) {
        List<Row> rows = new ArrayList<>();
        for (int w = 0; w < workloads.size(); w++) {
            Workload workload = workloads.get(w);
            List<Measured> ours = measured.get(STREAMVIZ).get(w);
            List<Measured> theirs = measured.get(WS).get(w);
            String scenario =
                    String.format(
                            Locale.ROOT,
                            "%,d clients, %,d updates/s",
                            workload.clients(),
                            workload.updatesPerSecond());
            List<Double> throughput = values(ours, Measured::updatesPerSecond);
            List<Double> referenceThroughput = values(theirs, Measured::updatesPerSecond);
            boolean target = workload.targetScenario();
            Row updates =
                    new Row(
                            scenario,
                            "updates delivered/s",
                            throughput,
                            WS,
                            referenceThroughput,
                            true,
                            target ? ">= 2x ws" : null,
                            target ? ratioMedian(throughput, referenceThroughput) >= 2 : null);
            rows.add(updates);
            rows.add(
                    new Row(
                            scenario,
                            "WebSocket frames/s",
                            values(ours, Measured::framesPerSecond),
                            WS,
                            values(theirs, Measured::framesPerSecond),
                            true,
                            null,
                            null));
            rows.add(
                    new Row(
                            scenario,
                            "p99 delivery latency, ms",
                            values(ours, Measured::p99Ms),
                            WS,
                            values(theirs, Measured::p99Ms),
                            false,
                            null,
                            null));
        }
        int largestIndex = 0;
        for (int w = 1; w < workloads.size(); w++) {
            if (workloads.get(w).clients() > workloads.get(largestIndex).clients()) {
                largestIndex = w;
            }
        }
        Workload largest = workloads.get(largestIndex);
        List<Double> memory =
                values(
                        measured.get(STREAMVIZ).get(largestIndex),
                        m -> m.idleBytesPerViewer() / 1024);
        rows.add(
                new Row(
                        String.format(Locale.ROOT, "%,d idle connections", largest.clients()),
                        "KB RSS per connection",
                        memory,
                        WS,
                        values(
                                measured.get(WS).get(largestIndex),
                                m -> m.idleBytesPerViewer() / 1024),
                        false,
                        "<= 30 KB",
                        Stats.median(memory) <= 30));
        return new BenchmarkResult(
                "fanout",
                "WebSocket fan-out against Node.js ws",
                "The same broadcast of small stat updates to N WebSocket viewers, from the StreamViz"
                        + " dashboard server and from a Node.js server on the npm ws package, both"
                        + " measured by one Netty load client: updates delivered per second summed"
                        + " over viewers, p99 delivery latency, and server RSS per idle connection.",
                settings.command(),
                Machine.describe(),
                Instant.now().toString(),
                rows,
                plots(workloads, measured),
                notes(workloads, measured));
    }

    private static double ratioMedian(List<Double> ours, List<Double> theirs) {
        double[] ratios = new double[Math.min(ours.size(), theirs.size())];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = ours.get(i) / theirs.get(i);
        }
        return Stats.median(ratios);
    }

    private static List<Plot> plots(
            List<Workload> workloads, Map<String, List<List<Measured>>> measured) {
        List<Series> throughput = new ArrayList<>();
        List<Series> latency = new ArrayList<>();
        // The curve over client counts at one rate per client; the saturating workload is a row.
        List<Integer> plotted = new ArrayList<>();
        for (int w = 0; w < workloads.size(); w++) {
            if (workloads.get(w).plotted()) {
                plotted.add(w);
            }
        }
        List<Double> clients =
                plotted.stream().map(w -> (double) workloads.get(w).clients()).toList();
        for (String server : measured.keySet()) {
            List<Double> updates = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (int w : plotted) {
                List<Measured> runs = measured.get(server).get(w);
                updates.add(Stats.median(values(runs, Measured::updatesPerSecond)));
                p99.add(Stats.median(values(runs, Measured::p99Ms)));
            }
            throughput.add(new Series(server, clients, updates));
            latency.add(new Series(server, clients, p99));
        }
        return List.of(
                new Plot(
                        "fanout-throughput.png",
                        String.format(
                                Locale.ROOT,
                                "Updates delivered per second, %,d updates/s to each client",
                                workloads.get(plotted.get(0)).updatesPerSecond()),
                        "clients",
                        "updates/s, summed over clients",
                        true,
                        throughput),
                new Plot("fanout-p99.png", "p99 delivery latency", "clients", "ms", true, latency));
    }

    private static List<String> notes(
            List<Workload> workloads, Map<String, List<List<Measured>>> measured) {
        List<String> notes = new ArrayList<>();
        Workload first = workloads.get(0);
        notes.add(
                String.format(
                        Locale.ROOT,
                        "Workload: each server publishes its own stat updates round-robin over"
                                + " one widget per 5 updates/s of the stated rate (every widget"
                                + " changes every %d ms, so StreamViz's 50 ms conflation drops"
                                + " none, it only batches them into one frame per tick); ws sends"
                                + " each update as its own frame. An update counts once per viewer"
                                + " it reaches. Warm-up %d s, window %d s.",
                        1000L * first.widgets() / first.updatesPerSecond(),
                        first.warmUp().toSeconds(),
                        first.window().toSeconds()));
        notes.add(
                "StreamViz runs with "
                        + STREAMVIZ_HEAP
                        + " and the JVM's defaults otherwise (G1); ws on Node.js "
                        + nodeVersion()
                        + " with --expose-gc. Memory per connection: RSS after the viewers"
                        + " connected minus RSS before, both after a full GC in the server, divided"
                        + " by the viewers.");
        for (int w = 0; w < workloads.size(); w++) {
            StringBuilder latencies = new StringBuilder();
            for (String server : measured.keySet()) {
                List<Measured> runs = measured.get(server).get(w);
                latencies.append(
                        String.format(
                                Locale.ROOT,
                                "%s p50 %.0f ms, max %.0f ms, viewers closed by the server %d; ",
                                server,
                                Stats.median(values(runs, Measured::p50Ms)),
                                Stats.median(values(runs, Measured::maxMs)),
                                runs.stream().mapToInt(Measured::closedByServer).max().orElse(0)));
            }
            notes.add(
                    String.format(
                                    Locale.ROOT,
                                    "%,d clients, %,d updates/s (medians): ",
                                    workloads.get(w).clients(),
                                    workloads.get(w).updatesPerSecond())
                            + latencies.substring(0, latencies.length() - 2)
                            + ".");
        }
        return notes;
    }

    private static String nodeVersion() {
        try {
            Process node =
                    new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(node.getInputStream().readAllBytes()).trim();
            node.waitFor();
            return version;
        } catch (IOException e) {
            return "(unknown version)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown version)";
        }
    }

    private static List<Double> values(
            List<Measured> runs, java.util.function.ToDoubleFunction<Measured> figure) {
        return runs.stream().map(m -> figure.applyAsDouble(m)).toList();
    }
}
