package io.streamviz.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamviz.bench.BenchSettings;
import io.streamviz.bench.report.BenchmarkResult;
import io.streamviz.bench.report.BenchmarkResult.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the fan-out benchmark in quick mode: it must work against both servers, at any speed. */
class FanoutBenchmarkTest {

    @TempDir Path workDir;

    @Test
    void quickRunMeasuresBothServers() throws Exception {
        // Surefire runs in the module's folder; the reference server is kept beside it.
        Path projectDir = Path.of("").toAbsolutePath().getParent();
        assertThat(projectDir.resolve("bench/ws-reference/node_modules/ws"))
                .as("the ws reference must be installed: run 'npm ci' in bench/ws-reference")
                .satisfies(path -> assertThat(Files.isDirectory(path)).isTrue());
        BenchSettings settings = new BenchSettings(true, 1, workDir, projectDir, "test");

        BenchmarkResult result = new FanoutBenchmark().run(settings);

        assertThat(row(result, "updates delivered/s").runs()).allMatch(v -> v > 0);
        assertThat(row(result, "updates delivered/s").referenceRuns()).allMatch(v -> v > 0);
        assertThat(row(result, "WebSocket frames/s").runs()).allMatch(v -> v > 0);
        assertThat(row(result, "WebSocket frames/s").referenceRuns()).allMatch(v -> v > 0);
        Row latency = row(result, "p99 delivery latency, ms");
        assertThat(latency.runs()).hasSize(1).allMatch(v -> v >= 0);
        assertThat(latency.referenceRuns()).hasSize(1).allMatch(v -> v >= 0);
        Row memory = row(result, "KB RSS per connection");
        // What 50 viewers cost is within the noise of one heap resize after the GC (a run here
        // measured -35 KB each); the full run's 10,000 are not. Here the figure must only exist.
        assertThat(memory.runs()).hasSize(1).allMatch(v -> Double.isFinite(v) && v < 1024);
        assertThat(result.plots()).hasSize(2);
    }

    private static Row row(BenchmarkResult result, String metric) {
        return result.rows().stream()
                .filter(row -> row.metric().equals(metric))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + metric + " in " + result));
    }
}
