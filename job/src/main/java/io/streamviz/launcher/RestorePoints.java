package io.streamviz.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds where a local job resumes from: the newest complete retained checkpoint ({@code
 * checkpoints/<job id>/chk-<n>/_metadata}) or savepoint ({@code savepoints/savepoint-…/_metadata})
 * under a data directory. A directory without {@code _metadata} was never completed and is never
 * chosen. "Newest" is by the time {@code _metadata} was written, so a job stopped with a savepoint
 * resumes from that savepoint rather than from the checkpoint before it.
 */
public final class RestorePoints {
    private static final Pattern CHECKPOINT_DIR = Pattern.compile("chk-(\\d+)");

    /** A complete checkpoint or savepoint. */
    public record RestorePoint(Path path, boolean savepoint) {
        @Override
        public String toString() {
            return (savepoint ? "savepoint " : "checkpoint ") + path;
        }
    }

    private RestorePoints() {}

    public static Optional<RestorePoint> newest(Path dataDir) {
        Stream<RestorePoint> checkpoints =
                subdirectories(dataDir.resolve("checkpoints"))
                        .flatMap(RestorePoints::subdirectories)
                        .filter(
                                dir ->
                                        CHECKPOINT_DIR
                                                .matcher(dir.getFileName().toString())
                                                .matches())
                        .map(dir -> new RestorePoint(dir, false));
        Stream<RestorePoint> savepoints =
                subdirectories(dataDir.resolve("savepoints"))
                        .filter(dir -> dir.getFileName().toString().startsWith("savepoint-"))
                        .map(dir -> new RestorePoint(dir, true));
        return Stream.concat(checkpoints, savepoints)
                .filter(point -> Files.isRegularFile(point.path().resolve("_metadata")))
                .max(Comparator.comparing(RestorePoints::completedAt));
    }

    private static Stream<Path> subdirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static long completedAt(RestorePoint point) {
        try {
            return Files.getLastModifiedTime(point.path().resolve("_metadata")).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE; // deleted meanwhile: never the newest
        }
    }
}
