package io.streamviz.bench.report;

import java.util.List;

/**
 * What one benchmark measured in one run of the suite: the rows of its table, the curves to plot
 * and the notes a reader needs to judge the figures. Saved as JSON under {@code
 * bench/results/data/<id>.json}, so that each benchmark can be rerun alone and the report written
 * from all of them.
 *
 * @param id file name and anchor, such as {@code throughput}
 * @param title the section heading
 * @param description what is measured and against what, in a sentence or two
 * @param command the exact command that produced these figures
 * @param machine the machine they were measured on ({@link Machine#describe()})
 * @param measuredAt when, ISO-8601
 * @param rows one per measured figure
 * @param plots curves, each written as a PNG next to the report
 * @param notes anything that qualifies the figures (bottlenecks found, what was left out)
 */
public record BenchmarkResult(
        String id,
        String title,
        String description,
        String command,
        String machine,
        String measuredAt,
        List<Row> rows,
        List<Plot> plots,
        List<String> notes) {

    /**
     * One figure: its value in every run and, where there is one, the reference measured in the
     * same runs, so that the ratio cancels the machine's noise.
     *
     * @param scenario what was run, such as {@code RocksDB, parallelism 1, 4 categories}
     * @param metric what was measured, such as {@code orders/s}
     * @param runs the figure of each run (at least 3 in a full run)
     * @param referenceName what the reference is, such as {@code plain Kafka consumers}; null when
     *     there is none
     * @param referenceRuns the reference's figure in the same runs, index by index; empty when
     *     there is none
     * @param higherIsBetter whether a larger figure is better (throughput) or worse (latency)
     * @param target the target in words, such as {@code >= 60% of the limit}; null when none
     * @param targetMet whether the median meets the target; null when there is no target
     */
    public record Row(
            String scenario,
            String metric,
            List<Double> runs,
            String referenceName,
            List<Double> referenceRuns,
            boolean higherIsBetter,
            String target,
            Boolean targetMet) {

        public double median() {
            return Stats.median(runs);
        }

        public double referenceMedian() {
            return referenceRuns.isEmpty() ? Double.NaN : Stats.median(referenceRuns);
        }

        /**
         * The median of the per-run ratios figure / reference: each run's pair was measured under
         * the same conditions, so their ratio is steadier than the ratio of two medians.
         */
        public double ratio() {
            if (referenceRuns.isEmpty()) {
                return Double.NaN;
            }
            int pairs = Math.min(runs.size(), referenceRuns.size());
            double[] ratios = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                ratios[i] = runs.get(i) / referenceRuns.get(i);
            }
            return Stats.median(ratios);
        }
    }

    /**
     * A chart of one or more curves over a common x axis.
     *
     * @param file the PNG's file name, such as {@code throughput-keys.png}
     */
    public record Plot(
            String file,
            String title,
            String xLabel,
            String yLabel,
            boolean logX,
            List<Series> series) {}

    /** One curve: {@code x} and {@code y} of equal length. */
    public record Series(String name, List<Double> x, List<Double> y) {}
}
