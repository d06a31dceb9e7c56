package io.streamviz.launcher;

import io.streamviz.job.CommandLine;
import io.streamviz.job.savepoint.SavepointContents;
import io.streamviz.job.savepoint.SavepointContentsFormat;
import io.streamviz.job.savepoint.SavepointInspector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code savepoint inspect <path> [--json]}: what a savepoint holds, in the job's terms. */
final class SavepointInspectCommand implements Launcher.Command {
    private final PrintStream out;

    SavepointInspectCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String usage() {
        return String.join(
                "\n",
                "usage: streamviz savepoint inspect <path> [--json]",
                "  reads a savepoint or retained checkpoint (its directory or _metadata file)",
                "  offline and prints totals, per-region and per-category values, open minutes,",
                "  the rejected count and the dashboard's buffers",
                "  --json                   one JSON document instead of text");
    }

    @Override
    public int run(List<String> args) throws Exception {
        CommandLine commandLine = Launcher.parse(args, Set.of(), Set.of("json"));
        Path path = SavepointCommand.savepointPath(commandLine);
        SavepointContents contents = SavepointInspector.read(path);
        if (commandLine.flag("json")) {
            out.println(SavepointContentsFormat.json(contents));
        } else {
            out.print(SavepointContentsFormat.text(contents));
        }
        out.flush();
        return 0;
    }
}
