package io.streamviz.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamviz.bench.BenchSettings;
import io.streamviz.bench.report.BenchmarkResult;
import io.streamviz.bench.report.BenchmarkResult.Plot;
import io.streamviz.bench.report.BenchmarkResult.Row;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the job benchmarks working: each runs once in quick mode against a real broker and the real
 * job. Speed is never judged here; the figures only have to exist and be consistent. The throughput
 * benchmark itself fails when the dashboard's revenue is not exactly the sum of the orders written.
 */
class JobBenchmarksQuickTest {
    @TempDir Path workDir;

    private BenchSettings quick() {
        return new BenchSettings(true, 1, workDir, Path.of("..").toAbsolutePath(), "test");
    }

    @Test
    void throughputMeasuresTheJobAndItsLimit() throws Exception {
        BenchmarkResult result = new ThroughputBenchmark().run(quick());

        assertThat(result.rows()).hasSize(2);
        for (Row row : result.rows()) {
            assertThat(row.runs()).hasSize(1).allMatch(rate -> rate > 0);
            assertThat(row.referenceRuns()).hasSize(1).allMatch(rate -> rate > 0);
        }
        assertThat(result.rows().get(0).scenario()).isEqualTo(ThroughputBenchmark.HEADLINE);
        assertThat(result.rows().get(0).targetMet()).isNotNull();
    }

    @Test
    void latencyMeasuresEveryOrderOfTheWindow() throws Exception {
        BenchmarkResult result = new LatencyBenchmark().run(quick());

        assertThat(result.rows()).extracting(Row::scenario).hasSize(3);
        double p50 = result.rows().get(0).median();
        double p99 = result.rows().get(1).median();
        double max = result.rows().get(2).median();
        assertThat(p50).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(max);
        assertThat(result.rows().get(1).referenceMedian()).isGreaterThanOrEqualTo(0);
        assertThat(result.plots())
                .extracting(Plot::file)
                .containsExactly("latency-percentiles.png", "latency-over-time.png");
        // The quick window is 4 s: one worst latency per second, none above the overall max.
        List<Double> worstBySecond = result.plots().get(1).series().get(0).y();
        assertThat(worstBySecond).hasSize(4).allMatch(worst -> worst >= 0 && worst <= max);
    }
}
