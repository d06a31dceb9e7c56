package io.streamviz.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the newest complete checkpoint under a checkpoint directory laid out by Flink as {@code
 * <dir>/<job id>/chk-<n>/_metadata}. A checkpoint without {@code _metadata} was not completed and
 * is never chosen.
 */
final class LatestCheckpoint {
    private static final Pattern CHECKPOINT_DIR = Pattern.compile("chk-(\\d+)");

    private LatestCheckpoint() {}

    static Optional<Path> in(Path checkpointsDir) {
        if (!Files.isDirectory(checkpointsDir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobDirs = Files.list(checkpointsDir)) {
            return jobDirs.filter(Files::isDirectory)
                    .flatMap(LatestCheckpoint::completedCheckpoints)
                    .max(Comparator.comparing(LatestCheckpoint::completedAt));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + checkpointsDir, e);
        }
    }

    /** The checkpoint number of a {@code chk-<n>} directory, or -1. */
    static long number(Path checkpoint) {
        Matcher matcher = CHECKPOINT_DIR.matcher(checkpoint.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private static Stream<Path> completedCheckpoints(Path jobDir) {
        try (Stream<Path> children = Files.list(jobDir)) {
            return children
                    .filter(dir -> number(dir) >= 0)
                    .filter(dir -> Files.isRegularFile(dir.resolve("_metadata")))
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + jobDir, e);
        }
    }

    private static long completedAt(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE; // deleted meanwhile: never the newest
        }
    }
}
