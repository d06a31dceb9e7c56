package io.streamviz.launcher;

import io.streamviz.job.CommandLine;
import io.streamviz.job.CommandLine.UsageException;
import io.streamviz.job.EcommerceJob;
import io.streamviz.job.JobOptions;
import io.streamviz.job.JobStateLayout;
import io.streamviz.job.savepoint.SavepointCheck;
import io.streamviz.job.savepoint.SavepointCheck.Finding;
import io.streamviz.job.savepoint.SavepointCheck.Report;
import io.streamviz.job.savepoint.SavepointMetadata;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code savepoint check <path>}: whether this build of the job can restore a savepoint. Exit code
 * 0 when it can (SAFE), 1 when it cannot (UNSAFE).
 */
final class SavepointCheckCommand implements Launcher.Command {
    private final PrintStream out;
    private final Consumer<StreamExecutionEnvironment> jobBuilder;
    private final JobStateLayout layout;

    SavepointCheckCommand(PrintStream out) {
        this(out, SavepointCheckCommand::buildCurrentJob, JobStateLayout.current());
    }

    /** Checks against another build of the job: how tests stand in for a changed job. */
    SavepointCheckCommand(
            PrintStream out,
            Consumer<StreamExecutionEnvironment> jobBuilder,
            JobStateLayout layout) {
        this.out = out;
        this.jobBuilder = jobBuilder;
        this.layout = layout;
    }

    @Override
    public String usage() {
        return String.join(
                "\n",
                "usage: streamviz savepoint check <path> [--allow-non-restored-state]",
                "  tells whether this build of the job can restore the savepoint: operators by",
                "  uid, keyed state serializers, Kryo; exit code 1 when it cannot",
                "  --allow-non-restored-state  the job will start with this flag: state of",
                "                              removed operators is dropped, not an error");
    }

    @Override
    public int run(List<String> args) throws Exception {
        CommandLine commandLine =
                Launcher.parse(args, Set.of(), Set.of("allow-non-restored-state"));
        Path path = SavepointCommand.savepointPath(commandLine);
        SavepointMetadata savepoint = SavepointMetadata.load(path);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(jobConfiguration());
        jobBuilder.accept(env);
        Report report =
                SavepointCheck.check(
                        savepoint, env, layout, commandLine.flag("allow-non-restored-state"));
        print(report);
        return report.safe() ? 0 : Launcher.EXIT_FAILED;
    }

    private void print(Report report) {
        out.println(
                "Savepoint "
                        + report.savepoint()
                        + " (checkpoint "
                        + report.checkpointId()
                        + ") against this build of the job:");
        for (Finding finding : report.findings()) {
            out.println("  " + finding.severity() + ": " + finding.what());
            if (!finding.todo().isEmpty()) {
                out.println("      what to do: " + finding.todo());
            }
        }
        if (report.safe()) {
            out.println("SAFE: this build can restore the savepoint");
        } else {
            out.println("UNSAFE: this build cannot restore the savepoint (see BLOCKER above)");
        }
        out.flush();
    }

    /** The job as {@code run} builds it; the options do not change its operators or state. */
    private static void buildCurrentJob(StreamExecutionEnvironment env) {
        EcommerceJob.build(env, defaultOptions());
    }

    private static Configuration jobConfiguration() {
        return EcommerceJob.jobConfiguration(defaultOptions());
    }

    private static JobOptions defaultOptions() {
        try {
            return JobOptions.from(Launcher.parse(List.of(), Set.of(), Set.of()));
        } catch (UsageException e) {
            throw new IllegalStateException("default job options are invalid", e);
        }
    }
}
