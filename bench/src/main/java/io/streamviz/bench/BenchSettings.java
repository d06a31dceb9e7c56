package io.streamviz.bench;

import java.nio.file.Path;

/**
 * How the suite runs.
 *
 * @param quick small inputs and one run: for the build's tests, which check that the benchmarks
 *     work, never how fast
 * @param runs how many times each scenario and its reference run (3 unless told otherwise)
 * @param workDir scratch space (broker logs, data dirs), deleted by nobody but the user
 * @param projectDir the repository's root, where {@code job/target/streamviz.jar} and {@code
 *     bench/ws-reference} are found
 * @param command the command line that started the suite, recorded with every result
 */
public record BenchSettings(
        boolean quick, int runs, Path workDir, Path projectDir, String command) {}
