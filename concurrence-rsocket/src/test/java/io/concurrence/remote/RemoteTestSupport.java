package io.concurrence.remote;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers of the remoting tests. */
final class RemoteTestSupport {

    /** How long anything that should happen at once may take on a loaded CI machine. */
    static final Duration SOON = Duration.ofSeconds(10);

    private RemoteTestSupport() {
    }

    /** Waits, polling every 20 ms, until {@code condition} holds; fails after {@link #SOON}. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + SOON.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
