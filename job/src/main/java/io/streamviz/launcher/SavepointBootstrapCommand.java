package io.streamviz.launcher;

import io.streamviz.job.CommandLine;
import io.streamviz.job.CommandLine.UsageException;
import io.streamviz.job.savepoint.HistoryTotals;
import io.streamviz.job.savepoint.SavepointBootstrap;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code savepoint bootstrap --from-history}: a savepoint whose running totals come from the
 * history database, for a new deployment on an existing history. Prints the savepoint's path.
 */
final class SavepointBootstrapCommand implements Launcher.Command {
    private static final Logger LOG = LoggerFactory.getLogger(SavepointBootstrapCommand.class);
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final PrintStream out;

    SavepointBootstrapCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String usage() {
        return String.join(
                "\n",
                "usage: streamviz savepoint bootstrap --from-history [--jdbc-url URL]",
                "                                     [--data-dir DIR] [--target-dir DIR]",
                "  writes a savepoint whose totals per region and category, rejected count and",
                "  customer count are the latest in the history database, and prints its path;",
                "  start the job with --from-savepoint <path> to continue from them. The source",
                "  has no state in it: the job reads from the consumer group's committed offsets,",
                "  else from the earliest. Customers seen before are not known: a returning",
                "  customer is counted again",
                "  --jdbc-url URL           history database (STREAMVIZ_JDBC_URL,",
                "                           jdbc:duckdb:<data-dir>/streamviz.duckdb)",
                "  --data-dir DIR           STREAMVIZ_DATA_DIR, ./data",
                "  --target-dir DIR         where to write it, a directory that does not exist",
                "                           (<data-dir>/savepoints/bootstrap-<timestamp>)");
    }

    @Override
    public int run(List<String> args) throws Exception {
        CommandLine commandLine =
                Launcher.parse(
                        args, Set.of("jdbc-url", "data-dir", "target-dir"), Set.of("from-history"));
        commandLine.requireNoArguments();
        // The one source there is today; the flag keeps room for others (a savepoint, a file).
        if (!commandLine.flag("from-history")) {
            throw new UsageException("needs --from-history: the source of the totals");
        }
        Path dataDir = commandLine.path("data-dir", "STREAMVIZ_DATA_DIR", "./data");
        String jdbcUrl =
                commandLine.string(
                        "jdbc-url",
                        "STREAMVIZ_JDBC_URL",
                        "jdbc:duckdb:" + dataDir.resolve("streamviz.duckdb"));
        Path target =
                commandLine.path(
                        "target-dir",
                        null,
                        dataDir.resolve("savepoints")
                                .resolve("bootstrap-" + TIMESTAMP.format(Instant.now()))
                                .toString());
        if (Files.exists(target)) {
            throw new UsageException("--target-dir exists already: " + target);
        }

        HistoryTotals totals = HistoryTotals.read(jdbcUrl);
        LOG.info(
                "Bootstrapping from {}: overall {}, {} regions, {} categories, {} rejected,"
                        + " {} customers",
                jdbcUrl,
                totals.overall(),
                totals.regions().size(),
                totals.categories().size(),
                totals.rejected(),
                totals.customers());
        SavepointBootstrap.write(totals, target);
        out.println(target);
        out.flush();
        return 0;
    }
}
