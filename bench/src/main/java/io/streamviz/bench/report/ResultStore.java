package io.streamviz.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The benchmarks' results as JSON files in {@code <results>/data}, one per benchmark. */
public final class ResultStore {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path resultsDir;

    public ResultStore(Path resultsDir) {
        this.resultsDir = resultsDir;
    }

    public Path resultsDir() {
        return resultsDir;
    }

    /** Replaces the stored result of the same benchmark. */
    public void save(BenchmarkResult result) {
        try {
            Files.createDirectories(dataDir());
            JSON.writeValue(dataDir().resolve(result.id() + ".json").toFile(), result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every stored result, ordered by the suite's order of benchmarks, then by id. */
    public List<BenchmarkResult> loadAll(List<String> order) {
        if (!Files.isDirectory(dataDir())) {
            return List.of();
        }
        List<BenchmarkResult> results = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                results.add(JSON.readValue(file.toFile(), BenchmarkResult.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        results.sort(
                Comparator.comparingInt(
                                (BenchmarkResult r) ->
                                        order.indexOf(r.id()) < 0
                                                ? Integer.MAX_VALUE
                                                : order.indexOf(r.id()))
                        .thenComparing(BenchmarkResult::id));
        return results;
    }

    private Path dataDir() {
        return resultsDir.resolve("data");
    }
}
