package io.concurrence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Shared helpers for the channel, select, mailbox and call tests: named time bounds, bounded retry
 * assertions (never sleep-and-hope), and a way to run the same code on a platform thread or in a tasklet.
 */
final class ChannelTestSupport {

    /** A wait that is expected to time out: long enough to be measured, short enough to keep tests fast. */
    static final Duration SHORT = Duration.ofMillis(100);
    /** The bound on anything that is expected to happen: generous, for 2 shared CI cores. */
    static final Duration SAFETY = Duration.ofSeconds(10);
    /** What "promptly" means for a call that must not wait out its timeout. */
    static final Duration PROMPT = Duration.ofSeconds(5);
    /**
     * The scale of the timeouts and of the jitter in race tests (10 µs): of the order of the time between two
     * parties' arrivals, so that many waits end just as the partner arrives.
     */
    static final long TINY_NANOS = 10_000;

    private ChannelTestSupport() {
    }

    /** Waits (bounded by {@link #SAFETY}) until {@code channel.balance()} is {@code expected}. */
    static void awaitBalance(Channel<?> channel, int expected) {
        awaitCondition(() -> channel.balance() == expected,
                () -> "balance " + expected + " on " + channel);
    }

    /** Waits (bounded by {@link #SAFETY}) until {@code mailbox.size()} is {@code expected}. */
    static void awaitMailboxSize(Tasklet<?> tasklet, int expected) {
        awaitCondition(() -> tasklet.mailbox().size() == expected,
                () -> "mailbox size " + expected + " on " + tasklet.mailbox());
    }

    /** A bounded retry: spins (yielding) until {@code condition} holds, failing after {@link #SAFETY}. */
    static void awaitCondition(BooleanSupplier condition, Supplier<String> description) {
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Gave up after " + SAFETY + " waiting for " + description.get());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Joins a tasklet that is expected to finish normally (within {@link #SAFETY}). */
    static <T> T joinWithin(Tasklet<T> tasklet) {
        return tasklet.join(SAFETY);
    }

    /**
     * Kills a tasklet, joins it and asserts that it ended with a {@link TaskletExit} thrown from
     * {@code operation} (e.g. {@code "Channel.receive"}).
     */
    static void killAndAssertExit(Tasklet<?> tasklet, String operation) {
        tasklet.kill();
        assertThatThrownBy(() -> tasklet.join(SAFETY))
                .isInstanceOf(JoinException.class)
                .hasMessageContaining("was killed")
                .cause()
                .isInstanceOf(TaskletExit.class)
                .hasMessageContaining(operation);
        assertThat(tasklet.isDone()).isTrue();
    }

    /** Kills a helper tasklet at the end of a test and waits for it, whatever its outcome. */
    static void stop(Tasklet<?> tasklet) {
        tasklet.kill();
        try {
            tasklet.join(SAFETY);
        } catch (JoinException ignored) {
            // killed: expected
        }
    }

    /** A random timeout between 0 and {@link #TINY_NANOS}, for race tests. */
    static Duration tiny() {
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(0, TINY_NANOS));
    }

    /**
     * Spins for a random time between 0 and {@link #TINY_NANOS}, so that either side of a race may arrive
     * first. Not a wait for anything: the outcome is checked whichever side wins.
     */
    static void jitter() {
        long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(0, TINY_NANOS);
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

    /** The time elapsed since {@code startNanos} (from {@link System#nanoTime()}). */
    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
