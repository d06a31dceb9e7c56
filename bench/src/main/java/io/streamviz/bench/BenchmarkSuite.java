package io.streamviz.bench;

import io.streamviz.bench.demo.FootprintBenchmark;
import io.streamviz.bench.demo.RecoveryBenchmark;
import io.streamviz.bench.fanout.FanoutBenchmark;
import io.streamviz.bench.job.LatencyBenchmark;
import io.streamviz.bench.job.ThroughputBenchmark;
import io.streamviz.bench.parser.ParserBenchmark;
import io.streamviz.bench.report.BenchmarkResult;
import io.streamviz.bench.report.ReportWriter;
import io.streamviz.bench.report.ResultStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the benchmarks and writes the report. {@code bench/run.sh} is the way in:
 *
 * <pre>
 * bench/run.sh                      # every benchmark, 3 runs each, into bench/results
 * bench/run.sh fanout recovery      # only these; the others' stored results stay in the report
 * bench/run.sh --quick              # small and once, into bench/target/quick-results
 * </pre>
 */
public final class BenchmarkSuite {
    /** Every benchmark, in the order of the report. */
    static final Map<String, Supplier<Benchmark>> BENCHMARKS = new LinkedHashMap<>();

    static {
        // Each benchmark registers here under its id.
        BENCHMARKS.put(ThroughputBenchmark.ID, ThroughputBenchmark::new);
        BENCHMARKS.put(LatencyBenchmark.ID, LatencyBenchmark::new);
        BENCHMARKS.put(ParserBenchmark.ID, ParserBenchmark::new);
        BENCHMARKS.put("fanout", FanoutBenchmark::new);
        BENCHMARKS.put(RecoveryBenchmark.ID, RecoveryBenchmark::new);
        BENCHMARKS.put(FootprintBenchmark.ID, FootprintBenchmark::new);
    }

    private BenchmarkSuite() {}

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int runs = 3;
        Path resultsDir = null;
        Path projectDir = Path.of("").toAbsolutePath();
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--runs" -> runs = Integer.parseInt(value(args, ++i, "--runs"));
                case "--results" -> resultsDir = Path.of(value(args, ++i, "--results"));
                case "--project" -> projectDir = Path.of(value(args, ++i, "--project"));
                default -> {
                    if (args[i].startsWith("-") || !BENCHMARKS.containsKey(args[i])) {
                        usage("unknown benchmark or option: " + args[i]);
                    }
                    selected.add(args[i]);
                }
            }
        }
        if (quick) {
            runs = 1;
        }
        if (resultsDir == null) {
            resultsDir =
                    quick
                            ? projectDir.resolve("bench/target/quick-results")
                            : projectDir.resolve("bench/results");
        }
        if (selected.isEmpty()) {
            selected.addAll(BENCHMARKS.keySet());
        }
        Path workDir = projectDir.resolve("bench/target/work");
        Files.createDirectories(workDir);
        String command = "bench/run.sh " + String.join(" ", args);
        BenchSettings settings =
                new BenchSettings(quick, runs, workDir, projectDir, command.trim());
        ResultStore store = new ResultStore(resultsDir);
        for (String id : selected) {
            System.out.println("== benchmark " + id);
            BenchmarkResult result = BENCHMARKS.get(id).get().run(settings);
            store.save(result);
        }
        Path report =
                ReportWriter.write(resultsDir, store.loadAll(new ArrayList<>(BENCHMARKS.keySet())));
        System.out.println("Report: " + report);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            usage(option + " needs a value");
        }
        return args[index];
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(
                "usage: bench/run.sh [--quick] [--runs N] [--results DIR] [benchmark ...];"
                        + " benchmarks: "
                        + String.join(", ", BENCHMARKS.keySet()));
        System.exit(2);
    }
}
