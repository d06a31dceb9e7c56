package io.streamviz.launcher;

import java.io.PrintStream;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;

/** What {@code demo} and {@code run} say, and exit with, when their job ends by itself. */
final class JobEnd {
    private JobEnd() {}

    /**
     * A job stopped with a savepoint ends as succeeded: the command then exits 0 and says how to go
     * on. A failed or cancelled job is an error the user did not ask for.
     */
    static int report(ApplicationStatus status, PrintStream out) {
        if (status == ApplicationStatus.SUCCEEDED) {
            out.println(
                    "The job stopped (with a savepoint). Start again with --from-savepoint <path>,");
            out.println("or without it to resume from the newest savepoint or checkpoint.");
            return 0;
        }
        out.println(
                "The job ended as " + status + "; see the log. Starting again resumes from the");
        out.println("newest retained checkpoint.");
        return Launcher.EXIT_FAILED;
    }
}
