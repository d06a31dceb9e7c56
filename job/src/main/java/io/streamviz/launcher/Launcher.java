package io.streamviz.launcher;

import io.streamviz.job.CommandLine;
import io.streamviz.job.CommandLine.UsageException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar streamviz.jar <command> [options]}: the entry point of the self-contained
 * launcher. Exit codes: 0 done, 1 failed, 2 the command line is wrong.
 */
public final class Launcher {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /** A launcher command: runs until done, or until the process is asked to stop. */
    interface Command {
        String usage();

        int run(List<String> args) throws UsageException, Exception;
    }

    /** The commands, printing their results to {@code out}. */
    private static Map<String, Command> commands(PrintStream out) {
        return Map.of(
                "demo", new DemoCommand(out),
                "run", new RunCommand(out),
                "produce", new ProduceCommand(out),
                "serve", new ServeCommand(out),
                "savepoint", new SavepointCommand(out));
    }

    private Launcher() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; what it prints goes to {@code out} and {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            printUsage(args.length == 0 ? err : out);
            return args.length == 0 ? EXIT_USAGE : 0;
        }
        Command command = commands(out).get(args[0]);
        if (command == null) {
            err.println("streamviz: unknown command '" + args[0] + "'");
            printUsage(err);
            return EXIT_USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help")) {
            out.println(command.usage());
            return 0;
        }
        try {
            return command.run(rest);
        } catch (UsageException e) {
            err.println("streamviz " + args[0] + ": " + e.getMessage());
            err.println(command.usage());
            return EXIT_USAGE;
        } catch (Exception e) {
            err.println("streamviz " + args[0] + " failed: " + e);
            return EXIT_FAILED;
        }
    }

    private static void printUsage(PrintStream out) {
        out.println("usage: java -jar streamviz.jar <command> [options]");
        out.println();
        out.println("commands:");
        out.println("  demo      embedded Kafka, order generator, the job and its dashboard");
        out.println("  run       the job and its dashboard against an existing Kafka");
        out.println("  produce   the order generator, writing to a Kafka topic");
        out.println("  serve     a standalone dashboard server that jobs on a cluster publish to");
        out.println("  savepoint inspect or check a savepoint offline");
        out.println();
        out.println("'java -jar streamviz.jar <command> --help' lists a command's options.");
    }

    /** Parses a command's options; the environment supplies the variables of CONTRACT.md. */
    static CommandLine parse(
            List<String> args, java.util.Set<String> values, java.util.Set<String> flags)
            throws UsageException {
        return CommandLine.parse(args, values, flags, System::getenv);
    }
}
