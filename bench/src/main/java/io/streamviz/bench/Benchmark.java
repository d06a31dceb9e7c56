package io.streamviz.bench;

import io.streamviz.bench.report.BenchmarkResult;

/** One benchmark of the suite: runs its scenarios and their references, and reports figures. */
public interface Benchmark {
    /** The id of its result file and section, such as {@code throughput}. */
    String id();

    /** Runs every scenario {@code settings.runs()} times (quick mode: fewer and smaller). */
    BenchmarkResult run(BenchSettings settings) throws Exception;
}
