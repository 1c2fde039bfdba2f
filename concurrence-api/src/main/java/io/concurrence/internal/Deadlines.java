package io.concurrence.internal;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.concurrence.TimeoutException;

/**
 * Deadline arithmetic on {@link System#nanoTime()} and the per-thread stack of ambient deadlines behind
 * {@link io.concurrence.Timeout}.
 *
 * <p>A deadline is a {@code nanoTime} value, or {@link #NONE}. Deadlines are compared by subtraction
 * ({@code a - b < 0}), which stays correct when {@code nanoTime} wraps. A timeout of zero or less gives a
 * deadline that has already passed ("do not wait"); a timeout longer than about 146 years gives
 * {@link #NONE}.
 *
 * <p>The ambient stack is per thread, so per tasklet, and children do not inherit their parent's deadline
 * (as in the seed). A tasklet keeps it in its {@link AmbientSlot} (reached through the thread's
 * uncaught-exception handler, without a thread-local map); any other thread in a plain, non-inheritable
 * {@link ThreadLocal}.
 */
public final class Deadlines {

    /** No deadline: wait indefinitely. */
    public static final long NONE = Long.MAX_VALUE;

    /** Timeouts at least this long mean "no deadline"; this keeps {@code now + timeout} from overflowing. */
    private static final long MAX_NANOS = 1L << 62;

    /** Top of the ambient stack of a thread that is not a tasklet; read and written only by that thread. */
    private static final ThreadLocal<Frame> AMBIENT = new ThreadLocal<>();

    /** Where a tasklet keeps the top of its ambient stack: its thread's uncaught-exception handler. */
    public interface AmbientSlot {
        /** The top frame, or null. */
        @Nullable Frame ambient();

        /** Sets the top frame (null: empty). */
        void ambient(@Nullable Frame top);
    }

    private static @Nullable Frame top() {
        if (Thread.currentThread().getUncaughtExceptionHandler() instanceof AmbientSlot slot) {
            return slot.ambient();
        }
        return AMBIENT.get();
    }

    private static void setTop(@Nullable Frame top) {
        if (Thread.currentThread().getUncaughtExceptionHandler() instanceof AmbientSlot slot) {
            slot.ambient(top);
        } else if (top == null) {
            AMBIENT.remove();
        } else {
            AMBIENT.set(top);
        }
    }

    private Deadlines() {
    }

    /**
     * One pushed ambient deadline. Created and popped by its owner thread only.
     */
    public static final class Frame {
        private final Thread owner;
        private final long deadline;
        private final Duration pushed;
        /** The push that set {@link #deadline}: this one, or an outer, tighter one. */
        private final Duration governing;
        private final @Nullable Frame previous;
        /** Written and read by the owner thread only. */
        private boolean popped;

        private Frame(Thread owner, long deadline, Duration pushed, @Nullable Frame previous) {
            this.owner = owner;
            this.deadline = deadline;
            this.pushed = pushed;
            this.previous = previous;
            this.governing = previous != null && previous.deadline == deadline ? previous.governing : pushed;
        }

        /** The effective deadline of this frame (never later than the frame below it). */
        public long deadline() {
            return deadline;
        }

        /** The duration given to {@code push}. */
        public Duration pushed() {
            return pushed;
        }
    }

    /**
     * Pushes an ambient deadline {@code timeout} from now, never later than the current one.
     */
    public static Frame push(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Frame top = top();
        long deadline = after(timeout);
        if (top != null) {
            deadline = earlier(deadline, top.deadline);
        }
        Frame frame = new Frame(Thread.currentThread(), deadline, timeout, top);
        setTop(frame);
        return frame;
    }

    /**
     * Pops {@code frame}. A second pop of the same frame does nothing. Popping a frame that is not on top
     * pops the frames above it too, then reports the misuse.
     *
     * @throws IllegalStateException if called from another thread than the one that pushed, or out of order
     */
    public static void pop(Frame frame) {
        if (frame.owner != Thread.currentThread()) {
            throw new IllegalStateException("Timeout closed by thread " + Thread.currentThread()
                    + " but pushed by " + frame.owner + "; close a Timeout in the tasklet that pushed it");
        }
        if (frame.popped) {
            return;
        }
        Frame top = top();
        boolean inOrder = top == frame;
        while (top != null && !frame.popped) {
            top.popped = true;
            top = top.previous;
        }
        setTop(top);
        if (!inOrder) {
            throw new IllegalStateException("Timeout closed out of order: an inner Timeout was still open and has"
                    + " been closed with it; close Timeouts innermost first (use try-with-resources)");
        }
    }

    /** The current thread's ambient deadline, or {@link #NONE}. */
    public static long ambient() {
        Frame top = top();
        return top == null ? NONE : top.deadline;
    }

    /** The deadline {@code timeout} from now: already passed when {@code timeout} is zero or negative. */
    public static long after(Duration timeout) {
        long now = System.nanoTime();
        if (timeout.isNegative() || timeout.isZero()) {
            return now;
        }
        if (timeout.compareTo(Duration.ofNanos(MAX_NANOS)) >= 0) {
            return NONE;
        }
        return now + timeout.toNanos();
    }

    /**
     * The deadline a blocking call must honour: the tighter of {@code timeout} (from now; null for an
     * untimed call) and the ambient deadline.
     */
    public static long effective(@Nullable Duration timeout) {
        long ambient = ambient();
        return timeout == null ? ambient : earlier(after(timeout), ambient);
    }

    /** The earlier of two deadlines. */
    public static long earlier(long a, long b) {
        if (a == NONE) {
            return b;
        }
        if (b == NONE) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }

    /** Nanoseconds left until {@code deadline} (zero or negative once passed), {@code Long.MAX_VALUE} for none. */
    public static long remainingNanos(long deadline) {
        return deadline == NONE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    /** Whether {@code deadline} has passed. */
    public static boolean hasPassed(long deadline) {
        return deadline != NONE && deadline - System.nanoTime() <= 0;
    }

    /**
     * The exception for a blocking call that reached {@code deadline}, saying whether the call's own
     * timeout or the ambient {@code Timeout} was the tighter.
     *
     * @param operation what timed out, e.g. {@code "Channel.receive"}
     * @param timeout the call's own timeout, or null for an untimed call
     * @param deadline the deadline the call waited for
     */
    public static TimeoutException timeout(String operation, @Nullable Duration timeout, long deadline) {
        Frame ambient = top();
        if (ambient != null && ambient.deadline == deadline) {
            return new TimeoutException(operation + " timed out: the ambient Timeout (pushed with "
                    + format(ambient.governing) + ") expired");
        }
        return new TimeoutException(operation + " timed out after "
                + format(timeout == null ? Duration.ZERO : timeout));
    }

    /** Formats a duration for messages: {@code 250 ms}, {@code 12 s}, {@code 0 ms}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0 ms";
        }
        if (duration.isNegative()) {
            return "a negative duration (" + duration + ")";
        }
        long millis = duration.toMillis();
        if (millis == 0) {
            return duration.toNanos() / 1000 + " µs";
        }
        if (millis < 10_000) {
            return millis + " ms";
        }
        return duration.getSeconds() + " s";
    }
}
