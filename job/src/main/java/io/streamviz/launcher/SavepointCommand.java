package io.streamviz.launcher;

import io.streamviz.job.CommandLine;
import io.streamviz.job.CommandLine.UsageException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code savepoint <subcommand>}: savepoint tools. Each subcommand is a {@link Launcher.Command} of
 * its own; adding one is one line in {@link #subcommands}.
 */
final class SavepointCommand implements Launcher.Command {
    private final Map<String, Launcher.Command> subcommands = new LinkedHashMap<>();

    SavepointCommand(PrintStream out) {
        subcommands.put("stop", SavepointRestCommand.stop(out));
        subcommands.put("trigger", SavepointRestCommand.trigger(out));
        subcommands.put("inspect", new SavepointInspectCommand(out));
        subcommands.put("check", new SavepointCheckCommand(out));
        subcommands.put("bootstrap", new SavepointBootstrapCommand(out));
    }

    @Override
    public String usage() {
        StringBuilder usage = new StringBuilder("usage: streamviz savepoint <subcommand> ...");
        subcommands.values().forEach(command -> usage.append("\n\n").append(command.usage()));
        return usage.toString();
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException(
                    "needs a subcommand: " + String.join(", ", subcommands.keySet()));
        }
        Launcher.Command subcommand = subcommands.get(args.get(0));
        if (subcommand == null) {
            throw new UsageException(
                    "unknown subcommand '"
                            + args.get(0)
                            + "', expected one of "
                            + String.join(", ", subcommands.keySet()));
        }
        return subcommand.run(args.subList(1, args.size()));
    }

    /** The one positional argument of a subcommand: a savepoint's directory or _metadata. */
    static Path savepointPath(CommandLine commandLine) throws UsageException {
        List<String> positional = commandLine.positional();
        if (positional.isEmpty()) {
            throw new UsageException("needs the savepoint's path");
        }
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument '" + positional.get(1) + "'");
        }
        try {
            return Path.of(positional.get(0)).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException("not a valid path: '" + positional.get(0) + "'");
        }
    }
}
