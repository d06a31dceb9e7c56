package io.streamviz.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamviz.bench.BenchSettings;
import io.streamviz.bench.report.BenchmarkResult;
import io.streamviz.bench.report.BenchmarkResult.Row;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmarks of the {@code demo} process working: each runs once in quick mode against
 * the real launcher jar. Speed and memory are never judged here, only that the figures exist and
 * are consistent with each other.
 */
class DemoBenchmarksQuickTest {
    @TempDir Path workDir;

    private BenchSettings quick() {
        return new BenchSettings(true, 1, workDir, Path.of("..").toAbsolutePath(), "test");
    }

    @Test
    void recoveryClocksTheRestartAfterASigkillPhaseByPhase() throws Exception {
        BenchmarkResult result = new RecoveryBenchmark().run(quick());

        Row firstUpdate = result.rows().get(0);
        Row serving = result.rows().get(1);
        Row ready = result.rows().get(2);
        assertThat(firstUpdate.referenceRuns()).hasSize(1).allMatch(seconds -> seconds > 0);
        assertThat(serving.median()).isPositive();
        assertThat(serving.median()).isLessThanOrEqualTo(firstUpdate.median());
        assertThat(ready.median()).isLessThanOrEqualTo(firstUpdate.median());
        assertThat(firstUpdate.targetMet()).isNotNull();
    }

    @Test
    void footprintSamplesTheDemoUnderLoadAndIdle() throws Exception {
        BenchmarkResult result = new FootprintBenchmark().run(quick());

        Row peak = result.rows().get(0);
        assertThat(peak.runs()).hasSize(1).allMatch(mb -> mb > 50);
        assertThat(peak.referenceRuns()).hasSize(1).allMatch(mb -> mb > 50);
        assertThat(result.rows().get(1).runs()).hasSize(1);
        List<Double> residentMb = result.plots().get(0).series().get(0).y();
        assertThat(residentMb).hasSizeGreaterThan(10).allMatch(mb -> mb <= peak.median());
    }

    @Test
    void growthIsTheSlopeAfterTheFirstTwoMinutes() {
        List<Double> seconds = List.of(0.0, 60.0, 120.0, 180.0, 240.0);
        List<Double> residentMb = List.of(100.0, 400.0, 500.0, 502.0, 504.0);

        double growth =
                FootprintBenchmark.growthMbPerMinute(
                        new FootprintBenchmark.Samples(seconds, residentMb, 504, 0));

        assertThat(growth).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
