package io.concurrence.internal;

import java.util.concurrent.locks.LockSupport;

import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;

/**
 * The park loop under every blocking call of Concurrence: wait until something is ready, the deadline
 * passes, or the thread is interrupted ({@code Tasklet.kill()} interrupts).
 *
 * <p>The loop does not decide what a timeout or an interrupt means: the caller first tries to cancel its
 * wait (a CAS on its own state). If the cancel wins, the caller throws; if it loses, the value arrived at
 * the same moment and the caller takes it, re-asserting the interrupt with {@link #restoreInterrupt()}, so
 * that nothing is lost and the kill still lands at the next blocking call.
 */
public final class Parking {

    /** What ended a {@link #park} call. */
    public enum Wake {
        /** The waitable is ready. */
        READY,
        /** The deadline passed first. */
        TIMED_OUT,
        /** The thread was interrupted (its interrupt flag has been cleared). */
        INTERRUPTED
    }

    /** Something a thread can wait for. */
    @FunctionalInterface
    public interface Waitable {
        /** Whether the wait is over. Must be cheap and safe to call from any thread. */
        boolean isReady();
    }

    private static final Waitable NEVER = () -> false;

    /**
     * How long to spin before parking (on a multiprocessor), as {@code LinkedTransferQueue} does for
     * platform threads: a counterpart on another core often answers within microseconds, and a park and
     * unpark cost more. For virtual threads too: measured on channel round trips and calls between two
     * tasklets, spinning first was faster than parking at once (about 3x) and than yielding the carrier a
     * couple of times (about 1.5x); see docs/benchmarks.md.
     */
    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 1 << 7 : 0;

    private Parking() {
    }

    /**
     * Parks the current thread until {@code waitable} is ready, {@code deadline} passes, or the thread is
     * interrupted; in that order of precedence when several hold.
     *
     * @param blocker shown by thread dumps and {@code Tasklet.tree()} as what the thread waits on
     */
    public static Wake park(Waitable waitable, long deadline, Object blocker) {
        for (int spins = waitable == NEVER ? 0 : SPINS; spins > 0; spins--) {
            if (waitable.isReady()) {
                return Wake.READY;
            }
            Thread.onSpinWait();
        }
        Thread self = Thread.currentThread();
        for (;;) {
            if (waitable.isReady()) {
                return Wake.READY;
            }
            // isInterrupted() is a plain read; interrupted() (which clears) takes a lock on a virtual thread.
            if (self.isInterrupted() && Thread.interrupted()) {
                return Wake.INTERRUPTED;
            }
            if (deadline == Deadlines.NONE) {
                LockSupport.park(blocker);
            } else {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Wake.TIMED_OUT;
                }
                LockSupport.parkNanos(blocker, remaining);
            }
        }
    }

    /**
     * Sleeps until {@code deadline}, ignoring the ambient deadline.
     *
     * @throws TaskletExit if interrupted
     */
    public static void sleepUntil(long deadline, Object blocker, String operation) {
        if (park(NEVER, deadline, blocker) == Wake.INTERRUPTED) {
            throw killed(operation);
        }
    }

    /**
     * The exception for a wait ended by an interrupt that the caller has consumed. On a tasklet, the
     * interrupt was the kill, and it stays consumed. On any other thread, the interrupt flag is set again,
     * so that the thread's owner still sees it.
     */
    public static TaskletExit killed(String operation) {
        var current = Tasklet.findCurrent();
        if (current.isPresent()) {
            return new TaskletExit("Tasklet '" + current.get().name() + "' was killed while blocked in "
                    + operation);
        }
        Thread.currentThread().interrupt();
        return new TaskletExit("Thread " + Thread.currentThread().getName()
                + " was interrupted while blocked in " + operation + " (its interrupt flag is still set)");
    }

    /** Re-asserts an interrupt consumed by {@link #park} when the wait completed anyway. */
    public static void restoreInterrupt() {
        Thread.currentThread().interrupt();
    }
}
