package io.streamviz.bench.parser;

import io.streamviz.bench.BenchSettings;
import io.streamviz.bench.Benchmark;
import io.streamviz.bench.report.BenchmarkResult;
import io.streamviz.bench.report.BenchmarkResult.Row;
import io.streamviz.bench.report.Machine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The order parser under JMH (see {@link OrderParsing}): one forked JVM per run, 3 warm-up and 5
 * measured iterations of 1 s each; the quick mode runs in this JVM, briefly.
 */
public final class ParserBenchmark implements Benchmark {
    public static final String ID = "parser";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public BenchmarkResult run(BenchSettings settings) throws Exception {
        OptionsBuilder options = new OptionsBuilder();
        options.include(OrderParsing.class.getName());
        if (settings.quick()) {
            options.forks(0)
                    .warmupIterations(1)
                    .warmupTime(TimeValue.milliseconds(200))
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200));
        } else {
            options.forks(settings.runs())
                    .warmupIterations(3)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5)
                    .measurementTime(TimeValue.seconds(1));
        }
        Options built = options.build();
        List<Double> streaming = new ArrayList<>();
        List<Double> tree = new ArrayList<>();
        for (RunResult result : new Runner(built).run()) {
            String method = result.getParams().getBenchmark();
            List<Double> target = method.endsWith("streamingParser") ? streaming : tree;
            // One BenchmarkResult per fork: each fork is a run.
            for (org.openjdk.jmh.results.BenchmarkResult fork : result.getBenchmarkResults()) {
                target.add(fork.getPrimaryResult().getScore());
            }
        }
        Row row =
                new Row(
                        "OrderParser.parse (streaming, with every check)",
                        "orders/s on one thread",
                        streaming,
                        "Jackson readTree + the same fields",
                        tree,
                        true,
                        null,
                        null);
        return new BenchmarkResult(
                ID,
                "Order parsing (JMH)",
                "How many orders per second one thread parses: the job's parser, which streams over"
                        + " the tokens and checks every field, against Jackson's tree model"
                        + " reading the same fields. Each run is one forked JVM, 3 warm-up and 5"
                        + " measured iterations of 1 s.",
                settings.command(),
                Machine.describe(),
                Instant.now().toString(),
                List.of(row),
                List.of(),
                List.of(
                        "The parser is also the reference of the throughput benchmark: the"
                                + " job's limit is reading plus this parsing."));
    }
}
