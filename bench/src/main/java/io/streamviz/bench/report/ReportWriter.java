package io.streamviz.bench.report;

import io.streamviz.bench.report.BenchmarkResult.Plot;
import io.streamviz.bench.report.BenchmarkResult.Row;
import io.streamviz.bench.report.BenchmarkResult.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes {@code BENCHMARKS.md} and one PNG per plot from the stored results: per benchmark a table
 * with the median of the runs, their spread, the reference, the ratio and the target.
 */
public final class ReportWriter {
    private ReportWriter() {}

    public static Path write(Path resultsDir, List<BenchmarkResult> results) throws IOException {
        Files.createDirectories(resultsDir);
        StringBuilder md = new StringBuilder();
        md.append("# StreamViz benchmarks\n\n");
        md.append(
                "Written by `bench/run.sh` from the results in `data/`. Every figure is the median"
                        + " of the runs, with their spread (min to max); where a reference was"
                        + " measured in the same runs, the ratio is the median of the per-run"
                        + " ratios. See `bench/README.md` for how each benchmark works.\n\n");
        md.append("| benchmark | target | met |\n| --- | --- | --- |\n");
        for (BenchmarkResult result : results) {
            for (Row row : result.rows()) {
                if (row.target() != null) {
                    md.append("| [")
                            .append(result.title())
                            .append("](#")
                            .append(result.id())
                            .append("): ")
                            .append(row.scenario())
                            .append(" | ")
                            .append(row.target())
                            .append(" | ")
                            .append(verdict(row))
                            .append(" |\n");
                }
            }
        }
        md.append('\n');
        for (BenchmarkResult result : results) {
            appendSection(md, result);
            for (Plot plot : result.plots()) {
                writePlot(resultsDir.resolve(plot.file()), plot);
            }
        }
        Path report = resultsDir.resolve("BENCHMARKS.md");
        Files.writeString(report, md.toString());
        return report;
    }

    private static void appendSection(StringBuilder md, BenchmarkResult result) {
        md.append("<a id=\"").append(result.id()).append("\"></a>\n");
        md.append("## ").append(result.title()).append("\n\n");
        md.append(result.description()).append("\n\n");
        md.append(
                "| scenario | metric | median | spread | runs | reference | reference median |"
                        + " ratio | target | met |\n");
        md.append("| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |\n");
        for (Row row : result.rows()) {
            md.append("| ")
                    .append(row.scenario())
                    .append(" | ")
                    .append(row.metric())
                    .append(" | ")
                    .append(number(row.median()))
                    .append(" | ")
                    .append(number(Stats.min(row.runs())))
                    .append(" – ")
                    .append(number(Stats.max(row.runs())))
                    .append(" | ")
                    .append(row.runs().size())
                    .append(" | ")
                    .append(row.referenceName() == null ? "" : row.referenceName())
                    .append(" | ")
                    .append(row.referenceRuns().isEmpty() ? "" : number(row.referenceMedian()))
                    .append(" | ")
                    .append(
                            row.referenceRuns().isEmpty()
                                    ? ""
                                    : String.format(Locale.ROOT, "%.2f", row.ratio()))
                    .append(" | ")
                    .append(row.target() == null ? "" : row.target())
                    .append(" | ")
                    .append(verdict(row))
                    .append(" |\n");
        }
        md.append('\n');
        md.append("Every run: ");
        md.append(
                result.rows().stream()
                        .map(
                                row ->
                                        row.scenario()
                                                + ", "
                                                + row.metric()
                                                + ": "
                                                + row.runs().stream()
                                                        .map(ReportWriter::number)
                                                        .collect(Collectors.joining(", ")))
                        .collect(Collectors.joining("; ")));
        md.append(".\n\n");
        for (Plot plot : result.plots()) {
            md.append("![").append(plot.title()).append("](").append(plot.file()).append(")\n\n");
        }
        for (String note : result.notes()) {
            md.append("- ").append(note).append('\n');
        }
        if (!result.notes().isEmpty()) {
            md.append('\n');
        }
        md.append("Machine: ").append(result.machine()).append(". Measured ");
        md.append(result.measuredAt()).append(".\n\n");
        md.append("```\n").append(result.command()).append("\n```\n\n");
    }

    private static String verdict(Row row) {
        if (row.targetMet() == null) {
            return "";
        }
        return row.targetMet() ? "yes" : "**no**";
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static void writePlot(Path file, Plot plot) throws IOException {
        XYChart chart =
                new XYChartBuilder()
                        .width(800)
                        .height(450)
                        .title(plot.title())
                        .xAxisTitle(plot.xLabel())
                        .yAxisTitle(plot.yLabel())
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLogarithmic(plot.logX());
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Series series : plot.series()) {
            chart.addSeries(series.name(), series.x(), series.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        String name = file.getFileName().toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(
                chart, file.resolveSibling(base).toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
