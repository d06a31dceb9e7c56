package io.streamviz.dashboard;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition by polling it until a deadline, instead of sleeping a fixed time. */
final class Poll {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private Poll() {}

    static <T> T until(Duration timeout, Supplier<T> probe, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout + " waiting for " + what + "; last: " + last);
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
            last = probe.get();
        }
        return last;
    }
}
