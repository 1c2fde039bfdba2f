package io.concurrence.benchmarks.micro;

/**
 * Runs a batch of operations on a fresh virtual thread and waits for it. Every micro scenario measures
 * virtual thread to virtual thread (as tasklets run), not JMH's platform thread; the one platform hand-off
 * per batch costs every variant the same.
 */
final class OnVirtualThread {

    /** Operations per JMH invocation. */
    static final int BATCH = 1_000;

    /** One operation; may throw anything (e.g. InterruptedException from a peer's API). */
    @FunctionalInterface
    interface Op {
        void run() throws Exception;
    }

    private OnVirtualThread() {
    }

    /** Starts a virtual thread repeating {@code step} until interrupted (a ponger, a producer, a server). */
    static Thread repeatUntilInterrupted(Op step) {
        return Thread.ofVirtual().start(() -> {
            try {
                for (;;) {
                    step.run();
                }
            } catch (InterruptedException stopped) {
                // the trial is over
            } catch (Exception e) {
                throw new IllegalStateException("benchmark peer failed", e);
            }
        });
    }

    static void run(Op op) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread driver = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < BATCH; i++) {
                    op.run();
                }
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        driver.join();
        if (failure[0] != null) {
            throw new IllegalStateException("benchmark operation failed", failure[0]);
        }
    }
}
