package io.streamviz.launcher;

import io.streamviz.job.CommandLine;
import io.streamviz.job.CommandLine.UsageException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code savepoint stop} and {@code savepoint trigger}: savepoints of a running job through Flink's
 * REST API, that of {@code demo}/{@code run} ({@code --flink-ui-port}) or of any Flink cluster
 * ({@code --rest-url}). Each prints the savepoint's path alone on stdout, for scripts.
 */
final class SavepointRestCommand implements Launcher.Command {
    private static final Set<String> OPTIONS =
            Set.of("flink-ui-port", "rest-url", "job-id", "target-dir", "data-dir", "timeout");

    private static final String OPTIONS_USAGE =
            String.join(
                    "\n",
                    "  --flink-ui-port N   REST API of a local demo/run (8081)",
                    "  --rest-url URL      REST API of a Flink cluster instead, e.g. http://jm:8081",
                    "  --job-id ID         which job, when several run (the only running one)",
                    "  --target-dir DIR    where the savepoint goes (<data-dir>/savepoints)",
                    "  --data-dir DIR      of the local demo/run (STREAMVIZ_DATA_DIR, ./data)",
                    "  --timeout D         how long to wait for the savepoint (5m)");

    private final PrintStream out;
    private final boolean stop;

    private SavepointRestCommand(PrintStream out, boolean stop) {
        this.out = out;
        this.stop = stop;
    }

    /** {@code savepoint stop}: the job ends once its savepoint is complete. */
    static SavepointRestCommand stop(PrintStream out) {
        return new SavepointRestCommand(out, true);
    }

    /** {@code savepoint trigger}: the job keeps running. */
    static SavepointRestCommand trigger(PrintStream out) {
        return new SavepointRestCommand(out, false);
    }

    @Override
    public String usage() {
        return (stop
                        ? "usage: streamviz savepoint stop [options]\n"
                                + "  stops the running job with a savepoint and prints its path\n"
                        : "usage: streamviz savepoint trigger [options]\n"
                                + "  takes a savepoint of the running job, which keeps running\n")
                + OPTIONS_USAGE;
    }

    @Override
    public int run(List<String> args) throws Exception {
        CommandLine commandLine = Launcher.parse(args, OPTIONS, Set.of());
        commandLine.requireNoArguments();
        FlinkRestClient flink = new FlinkRestClient(restUrl(commandLine));
        String jobId = commandLine.optionalString("job-id", null);
        if (jobId == null) {
            jobId = flink.theRunningJob().id();
        }
        String targetDir = targetDirectory(commandLine);
        Duration timeout = commandLine.duration("timeout", Duration.ofMinutes(5));

        String savepoint =
                stop
                        ? flink.stopWithSavepoint(jobId, targetDir, timeout)
                        : flink.triggerSavepoint(jobId, targetDir, timeout);
        out.println(savepoint);
        return 0;
    }

    private static URI restUrl(CommandLine commandLine) throws UsageException {
        String url = commandLine.optionalString("rest-url", null);
        if (url == null) {
            return URI.create("http://localhost:" + commandLine.port("flink-ui-port", null, 8081));
        }
        try {
            URI uri = URI.create(url.endsWith("/") ? url : url + "/");
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    "--rest-url must be a URL such as http://jm:8081, was '" + url + "'");
        }
    }

    /**
     * A directory the Flink cluster can write to. A local path is made absolute (the local
     * MiniCluster shares this file system); a URI such as {@code s3://…} is passed as it is.
     */
    private static String targetDirectory(CommandLine commandLine) throws UsageException {
        String target = commandLine.optionalString("target-dir", null);
        if (target != null && target.contains("://")) {
            return target;
        }
        Path dir =
                target != null
                        ? Path.of(target).toAbsolutePath()
                        : commandLine
                                .path("data-dir", "STREAMVIZ_DATA_DIR", "./data")
                                .resolve("savepoints");
        return dir.toUri().toString();
    }
}
