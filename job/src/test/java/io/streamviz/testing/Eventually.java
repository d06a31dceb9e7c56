package io.streamviz.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a check until it passes or a deadline is reached: the tests' only way to wait. */
public final class Eventually {
    private static final long POLL_MS = 100;

    private Eventually() {}

    /** A check that throws (an AssertionError, say) until what it checks holds. */
    public interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check} until it passes; after {@code timeout}, rethrows its last failure. */
    public static void within(Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (Exception | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** Returns the first non-null value of {@code supplier} within {@code timeout}. */
    public static <T> T value(Duration timeout, String what, Callable<T> supplier)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = supplier.call();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout);
            }
            Thread.sleep(POLL_MS);
        }
    }
}
