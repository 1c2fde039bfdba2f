package io.concurrence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Shared bounds and synchronization helpers for the tasklet tests (tasklets, tree, repeating helpers,
 * timeouts, task-locals, dispatch). No helper sleeps to "wait for" something: they wait on latches or poll a
 * condition against {@link #SAFETY}.
 */
final class TaskletTestSupport {

    /** A short wait that is expected to elapse (a timeout that must fire). */
    static final Duration SHORT = Duration.ofMillis(100);
    /** The bound for anything that must happen; only reached when the code under test is broken. */
    static final Duration SAFETY = Duration.ofSeconds(10);
    /** A generous upper bound for calls that must return "at once" (CI runs on 2 shared cores). */
    static final Duration AT_ONCE = Duration.ofSeconds(2);
    /** Longer than any test: a wait that must never end by itself. */
    static final Duration FOREVER = Duration.ofDays(1);

    /** The pause between two polls of a condition. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private TaskletTestSupport() {
    }

    /** Where a piece of code runs: a platform thread or a tasklet. */
    enum Caller {
        PLATFORM_THREAD {
            @Override
            <T> T call(Callable<T> body) throws Exception {
                AtomicReference<T> value = new AtomicReference<>();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread thread = Thread.ofPlatform().name("test-platform-caller").start(() -> {
                    try {
                        value.set(body.call());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                if (!thread.join(SAFETY)) {
                    thread.interrupt();
                    fail("the platform thread did not finish within " + SAFETY);
                }
                if (failure.get() != null) {
                    throw TaskletTestSupport.<Exception>sneaky(failure.get());
                }
                return value.get();
            }
        },
        TASKLET {
            @Override
            <T> T call(Callable<T> body) throws Exception {
                Tasklet<T> tasklet = Tasklet.named("test-tasklet-caller").spawn(body);
                try {
                    return tasklet.join(SAFETY);
                } catch (JoinException e) {
                    if (e.tasklet() == tasklet) {
                        throw TaskletTestSupport.<Exception>sneaky(e.getCause());
                    }
                    throw e;
                } catch (TimeoutException e) {
                    // The join timed out (a TimeoutException from the body arrives wrapped in JoinException).
                    tasklet.kill();
                    throw new AssertionError("the tasklet did not finish within " + SAFETY, e);
                }
            }
        };

        /**
         * Runs {@code body} on this kind of thread, waits for it (at most {@link #SAFETY}) and returns its
         * result; rethrows what the body threw, as is.
         */
        abstract <T> T call(Callable<T> body) throws Exception;

        /** Like {@link #call(Callable)} for code without a result. */
        void run(ThrowingRunnable body) throws Exception {
            call(() -> {
                body.run();
                return null;
            });
        }
    }

    /** A runnable that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** Waits (at most {@link #SAFETY}) for {@code latch} to reach zero; fails otherwise. */
    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(SAFETY.toNanos(), TimeUnit.NANOSECONDS))
                    .as("latch reached zero within %s (count left: %d)", SAFETY, latch.getCount())
                    .isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a latch", e);
        }
    }

    /** Polls {@code condition} until it holds; fails after {@link #SAFETY}. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + SAFETY + " waiting until " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Waits until a receiver is blocked on {@code channel}. */
    static void awaitReceiverWaiting(Channel<?> channel) {
        awaitCondition("a receiver waits on " + channel, () -> channel.balance() < 0);
    }

    /** Waits until {@code tasklet} is parked (blocked in a Concurrence or JDK blocking call). */
    static void awaitParked(Tasklet<?> tasklet) {
        awaitCondition(tasklet + " is parked", () -> switch (tasklet.thread().getState()) {
            case WAITING, TIMED_WAITING -> true;
            default -> false;
        });
    }

    /** {@link CountDownLatch#await()} for tasklet bodies: an interrupt (a kill) becomes a {@link TaskletExit}. */
    static void block(CountDownLatch latch) {
        try {
            if (!latch.await(SAFETY.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("latch not released within " + SAFETY);
            }
        } catch (InterruptedException e) {
            throw new TaskletExit("interrupted while blocked on a test latch");
        }
    }

    /** Spins (CPU-bound, no blocking call) until the current tasklet has been killed; fails after SAFETY. */
    static void spinUntilKilled() {
        Tasklet<?> self = Tasklet.current();
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (!self.isKilled()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(self + " was not killed within " + SAFETY);
            }
            Thread.onSpinWait();
        }
    }

    /** Kills the tasklets and waits until each has finished, whatever its outcome. */
    static void killAndJoin(Tasklet<?>... tasklets) {
        for (Tasklet<?> tasklet : tasklets) {
            if (tasklet != null) {
                tasklet.kill();
            }
        }
        for (Tasklet<?> tasklet : tasklets) {
            if (tasklet != null) {
                try {
                    tasklet.join(SAFETY);
                } catch (JoinException expected) {
                    // killed, or failed: either way it has finished
                }
                assertThat(tasklet.isDone()).as("%s finished after kill", tasklet).isTrue();
            }
        }
    }

    /** The time elapsed since {@code startNanos} (a {@link System#nanoTime()} value). */
    static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
