package io.concurrence.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A bounded retry: checks a condition every few milliseconds until it holds or its bound passes. */
public final class Bounded {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Bounded() {
    }

    /**
     * Returns once {@code condition} holds; fails naming {@code what} and the last {@code state} if it does not
     * within {@code bound}.
     */
    public static void until(BooleanSupplier condition, Duration bound, String what, Supplier<?> state) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + bound + ": " + what + " (last seen: " + state.get() + ")");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** {@link #until(BooleanSupplier, Duration, String, Supplier)} without a state to report. */
    public static void until(BooleanSupplier condition, Duration bound, String what) {
        until(condition, bound, what, () -> "-");
    }
}
