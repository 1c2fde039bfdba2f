package io.concurrence.reactor;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import reactor.core.publisher.Mono;

import io.concurrence.JoinException;
import io.concurrence.Tasklet;

/**
 * Shared bounds and helpers of the bridge tests: run code in a tasklet, wait for latches and conditions
 * with bounded retries (never sleep-and-hope), build publishers that record their cancellation.
 */
final class BridgeTestSupport {

    /** A wait that is expected to time out; long enough to be sure a signal would have arrived. */
    static final Duration SHORT = Duration.ofMillis(100);

    /** The upper bound of every wait that is expected to succeed: generous for 2 shared CI cores. */
    static final Duration SAFETY = Duration.ofSeconds(10);

    /**
     * The bound of a call that must not wait for anything ("do not wait"): far below {@link #SAFETY}, and
     * far above what a call that returns at once takes on a loaded machine.
     */
    static final Duration PROMPT = Duration.ofSeconds(2);

    private BridgeTestSupport() {
    }

    /** Where a blocking call of the bridge runs: a tasklet (the intended use) or a platform thread. */
    enum Caller {
        /** A new tasklet, joined with {@link #SAFETY}. */
        TASKLET {
            @Override
            <T> T call(Callable<T> body) {
                return inTasklet(body);
            }
        },
        /** The test's own platform thread. */
        PLATFORM_THREAD {
            @Override
            <T> T call(Callable<T> body) throws Exception {
                if (Tasklet.findCurrent().isPresent()) {
                    throw new AssertionError("the test thread was expected to be a platform thread");
                }
                return body.call();
            }
        };

        abstract <T> T call(Callable<T> body) throws Exception;
    }

    /**
     * Runs {@code body} in a new tasklet and joins it with {@link #SAFETY}; rethrows what the body threw
     * (unwrapped from the {@link JoinException}), so that assertions see the bridge's exception itself.
     */
    static <T> T inTasklet(Callable<T> body) {
        Tasklet<T> tasklet = Tasklet.spawn(body);
        try {
            return tasklet.join(SAFETY);
        } catch (JoinException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new AssertionError("the tasklet failed with a checked exception", cause);
        }
    }

    /** Waits for {@code latch} for at most {@link #SAFETY}; fails naming {@code what} otherwise. */
    static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("not within " + SAFETY + ": " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for: " + what, e);
        }
    }

    /**
     * A bounded retry: polls {@code condition} until it holds, for at most {@link #SAFETY}; fails naming
     * {@code what} otherwise. Used only for state that offers no signal to wait on (channel balances).
     */
    static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + SAFETY + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    /** A Mono that never signals and counts {@code cancelled} down when its subscription is cancelled. */
    static <T> Mono<T> neverCompleting(CountDownLatch subscribed, CountDownLatch cancelled) {
        return Mono.<T>never().doOnSubscribe(s -> subscribed.countDown()).doOnCancel(cancelled::countDown);
    }

    /** Nanoseconds since {@code start} (a {@link System#nanoTime()} value), as a duration. */
    static Duration elapsedSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
