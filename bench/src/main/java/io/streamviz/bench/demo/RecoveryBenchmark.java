package io.streamviz.bench.demo;

import io.streamviz.bench.BenchSettings;
import io.streamviz.bench.Benchmark;
import io.streamviz.bench.report.BenchmarkResult;
import io.streamviz.bench.report.BenchmarkResult.Plot;
import io.streamviz.bench.report.BenchmarkResult.Row;
import io.streamviz.bench.report.BenchmarkResult.Series;
import io.streamviz.bench.report.Machine;
import io.streamviz.bench.report.Stats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Benchmark 4: how long a user's dashboard stands still after {@code demo} is SIGKILLed and started
 * again on the same data directory: from the kill to the first WebSocket update of the {@code
 * orders} stat after the restart. The restart includes everything a crash costs: a new JVM, the
 * embedded broker recovering its log, the MiniCluster, the job restoring its RocksDB checkpoint and
 * the Kafka transactions of the dead-letter sink, and the replay of the orders since that
 * checkpoint.
 *
 * <p>Reference, in the same run: a cold start of a fresh {@code demo} (no data directory yet) from
 * its launch to its first update, what a user waits for anyway.
 */
public final class RecoveryBenchmark implements Benchmark {
    public static final String ID = "recovery";
    private static final double TARGET_SECONDS = 10;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    /**
     * Orders still to replay at the kill: it lands this long after the first completed checkpoint,
     * so the restarted job re-reads a few seconds of orders, as after most crashes.
     */
    private static final Duration KILL_AFTER_CHECKPOINT = Duration.ofSeconds(4);

    /** One run's clocks, in ms. */
    record Measured(
            long coldStartToFirstUpdate,
            long killToDashboardServing,
            long killToReady,
            long killToFirstUpdate) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public BenchmarkResult run(BenchSettings settings) throws Exception {
        List<Measured> runs = new ArrayList<>();
        for (int run = 1; run <= settings.runs(); run++) {
            Path runDir = settings.workDir().resolve("recovery-" + System.currentTimeMillis());
            Measured measured = runOnce(settings, runDir);
            System.out.printf(
                    "recovery run %d: cold start to first update %d ms; after SIGKILL: dashboard"
                            + " serving %d ms, ready %d ms, first update %d ms (logs in %s)%n",
                    run,
                    measured.coldStartToFirstUpdate(),
                    measured.killToDashboardServing(),
                    measured.killToReady(),
                    measured.killToFirstUpdate(),
                    runDir);
            runs.add(measured);
        }
        return result(settings, runs);
    }

    private static Measured runOnce(BenchSettings settings, Path runDir) throws Exception {
        Path dataDir = runDir.resolve("data");
        DemoProcess.Ports ports = DemoProcess.Ports.pick();
        // The demo's defaults (50 orders/s, checkpoints every 10 s) but in quick mode, where a
        // shorter interval only saves the test time.
        List<String> args = settings.quick() ? List.of("--checkpoint-interval", "2s") : List.of();

        long launchedAtMs = System.currentTimeMillis();
        long coldStart;
        long killedAtMs;
        try (DemoProcess first =
                DemoProcess.start(
                        settings.projectDir(), dataDir, ports, args, runDir.resolve("first.log"))) {
            first.awaitReady();
            try (FirstUpdateWatcher viewer =
                    FirstUpdateWatcher.connect(ports.dashboard(), TIMEOUT)) {
                coldStart = viewer.awaitFirstUpdate(TIMEOUT) - launchedAtMs;
            }
            awaitCompletedCheckpoint(dataDir);
            Thread.sleep(KILL_AFTER_CHECKPOINT.toMillis());
            killedAtMs = System.currentTimeMillis();
            first.kill();
        }

        try (DemoProcess restarted =
                DemoProcess.start(
                        settings.projectDir(),
                        dataDir,
                        ports,
                        args,
                        runDir.resolve("restarted.log"))) {
            try (FirstUpdateWatcher viewer =
                    FirstUpdateWatcher.connect(ports.dashboard(), TIMEOUT)) {
                long firstUpdateAtMs = viewer.awaitFirstUpdate(TIMEOUT);
                long readyAtMs = restarted.awaitReady();
                int exitCode = restarted.stop(Duration.ofMinutes(1));
                if (exitCode != 0) {
                    throw new IllegalStateException("restarted demo exited with " + exitCode);
                }
                return new Measured(
                        coldStart,
                        viewer.connectedAtMs() - killedAtMs,
                        readyAtMs - killedAtMs,
                        firstUpdateAtMs - killedAtMs);
            }
        }
    }

    private static void awaitCompletedCheckpoint(Path dataDir) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!DemoProcess.hasCompletedCheckpoint(dataDir)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no completed checkpoint after " + TIMEOUT);
            }
            Thread.sleep(100);
        }
    }

    private static BenchmarkResult result(BenchSettings settings, List<Measured> runs) {
        List<Double> recovery = seconds(runs, Measured::killToFirstUpdate);
        List<Double> coldStart = seconds(runs, Measured::coldStartToFirstUpdate);
        String reference = "cold start of a fresh demo (launch to first update)";
        List<Row> rows =
                List.of(
                        new Row(
                                "SIGKILL to the first update after restart",
                                "s",
                                recovery,
                                reference,
                                coldStart,
                                false,
                                "< 10 s",
                                Stats.median(recovery) < TARGET_SECONDS),
                        new Row(
                                "SIGKILL to the restarted dashboard serving its snapshot",
                                "s",
                                seconds(runs, Measured::killToDashboardServing),
                                null,
                                List.of(),
                                false,
                                null,
                                null),
                        new Row(
                                "SIGKILL to the restarted demo's ready banner",
                                "s",
                                seconds(runs, Measured::killToReady),
                                null,
                                List.of(),
                                false,
                                null,
                                null));
        List<Double> runNumbers =
                IntStream.rangeClosed(1, runs.size()).mapToObj(i -> (double) i).toList();
        Plot plot =
                new Plot(
                        "recovery-phases.png",
                        "After SIGKILL: when each part of the restarted demo was back",
                        "run",
                        "seconds after the kill",
                        false,
                        List.of(
                                new Series(
                                        "dashboard serving",
                                        runNumbers,
                                        seconds(runs, Measured::killToDashboardServing)),
                                new Series(
                                        "ready banner",
                                        runNumbers,
                                        seconds(runs, Measured::killToReady)),
                                new Series("first update", runNumbers, recovery),
                                new Series("cold start (reference)", runNumbers, coldStart)));
        return new BenchmarkResult(
                ID,
                "Recovery: SIGKILL of demo to its first update after restart",
                "`demo` (50 orders/s, checkpoints every 10 s, everything in one process) is killed"
                        + " with SIGKILL "
                        + KILL_AFTER_CHECKPOINT.toSeconds()
                        + " s after its first completed checkpoint and started again at once on the"
                        + " same data directory; a WebSocket viewer retrying every 10 ms notes the"
                        + " first update of the orders stat. Reference: the cold start of the same"
                        + " fresh demo in the same run, launch to first update.",
                settings.command(),
                Machine.describe(),
                Instant.now().toString(),
                rows,
                List.of(plot),
                List.of(
                        "Both starts are `java -jar job/target/streamviz.jar demo` without JVM"
                                + " options, as the README starts it. The restart's time includes"
                                + " the JVM's start, the broker's log recovery after the unclean"
                                + " shutdown, the MiniCluster's start, the restore of the RocksDB"
                                + " checkpoint and the replay of the orders since it.",
                        "The dashboard serves the restored figures (from the history database)"
                                + " before the job runs: a viewer sees the last figures at once,"
                                + " then the first update once the job is back."));
    }

    private static List<Double> seconds(
            List<Measured> runs, java.util.function.ToLongFunction<Measured> clock) {
        return runs.stream().map(run -> clock.applyAsLong(run) / 1000.0).toList();
    }
}
