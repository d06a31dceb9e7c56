package io.streamviz.launcher;

import io.streamviz.job.JobOptions;
import java.io.PrintStream;
import java.nio.file.Path;

/** The lines a command prints once its dashboard serves: where to look, and where data lives. */
final class ReadyBanner {
    private ReadyBanner() {}

    static void print(
            PrintStream out,
            String command,
            JobOptions options,
            LocalJobSession session,
            String bootstrapServers,
            Path dataDir,
            long startupMs)
            throws Exception {
        String token = options.token() == null ? "" : "?token=<your token>";
        out.printf("StreamViz %s ready in %d ms%n", command, startupMs);
        out.printf("  dashboard  http://localhost:%d/%s%n", session.dashboard().port(), token);
        out.printf("  Flink UI   %s%n", session.cluster().restAddress());
        out.printf("  Kafka      %s, topic %s%n", bootstrapServers, options.topic());
        out.printf("  data       %s%n", dataDir);
        out.printf(
                "  state      %s%n",
                session.restoredFrom() == null
                        ? "fresh start"
                        : "resumed from " + session.restoredFrom());
        out.printf("  stop       Ctrl-C; or 'streamviz savepoint stop' to stop with a savepoint%n");
        out.flush();
    }
}
