package io.streamviz.launcher;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What a long-running command started, stopped in reverse order when the process is asked to stop
 * (SIGTERM, Ctrl-C) or when the command fails while starting.
 *
 * <p>SIGTERM and SIGINT are handled rather than left to the JVM's shutdown hooks, so that the
 * command stops everything on its own thread and exits with 0 after a clean stop (the JVM would
 * report 143). The shutdown hook remains for any other way the JVM ends.
 */
final class ProcessLifetime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessLifetime.class);

    /** Guarded by this. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    private final CountDownLatch stopRequested = new CountDownLatch(1);

    ProcessLifetime() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "streamviz-shutdown"));
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), received -> requestStop(received.getName()));
        }
    }

    private void requestStop(String signal) {
        LOG.info("Stopping on SIG{}", signal);
        stopRequested.countDown();
    }

    /** Registers a part to stop; returns it for chaining. */
    synchronized <T extends AutoCloseable> T own(T part) {
        started.push(part);
        return part;
    }

    /** Blocks until the process is asked to stop; the caller then closes this lifetime. */
    void awaitStop() throws InterruptedException {
        stopRequested.await();
    }

    /**
     * Blocks until the process is asked to stop or {@code work} has ended by itself; returns true
     * in the second case.
     */
    boolean awaitStopOrEnd(CompletableFuture<?> work) throws InterruptedException {
        while (!work.isDone()) {
            if (stopRequested.await(100, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        synchronized (this) {
            while (!started.isEmpty()) {
                AutoCloseable part = started.pop();
                try {
                    part.close();
                } catch (Exception e) {
                    // Keep stopping the rest: one part failing to stop must not leave others up.
                    LOG.warn("Could not stop {} cleanly", part, e);
                }
            }
        }
        stopRequested.countDown();
    }
}
