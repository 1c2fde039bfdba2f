package io.concurrence;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.concurrence.internal.Deadlines;

/**
 * The ambient deadline of the current tasklet: a stack of deadlines that every blocking call honours, in
 * every Concurrence module, together with its own timeout (the tighter wins).
 * <pre>{@code
 * try (Timeout outer = Timeout.push(Duration.ofSeconds(30))) {
 *     try (Timeout inner = Timeout.push(Duration.ofSeconds(5))) {
 *         connection = pool.connect();          // waits at most 5 s
 *     }
 *     rows = query(connection);                 // at most what is left of the 30 s
 * }
 * }</pre>
 *
 * <p>As in the seed: a pushed timeout never extends an outer, tighter one; the stack is per tasklet and
 * is not inherited by children; and {@link Tasklet#sleep} is the one blocking call that ignores it.
 * A zero or negative push is an already-expired deadline.
 *
 * <p>A {@code Timeout} belongs to the thread (tasklet) that pushed it: close it there, innermost first,
 * with try-with-resources. Closing twice is harmless.
 *
 * @since 0.1
 */
public final class Timeout implements AutoCloseable {

    private final Deadlines.Frame frame;

    private Timeout(Deadlines.Frame frame) {
        this.frame = frame;
    }

    /**
     * Pushes a deadline {@code timeout} from now onto the current tasklet's stack; the effective deadline
     * is the earlier of it and the current one.
     *
     * @param timeout how long from now; zero or negative means already expired
     * @return the pushed timeout, to be closed (popped) in the same tasklet
     */
    public static Timeout push(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return new Timeout(Deadlines.push(timeout));
    }

    /**
     * The time left before the current tasklet's ambient deadline.
     *
     * @return empty when no deadline is set; {@code Duration.ZERO} once it has passed (never negative)
     */
    public static Optional<Duration> remaining() {
        long deadline = Deadlines.ambient();
        if (deadline == Deadlines.NONE) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.max(0, Deadlines.remainingNanos(deadline))));
    }

    /**
     * Pops this timeout. A second call does nothing.
     *
     * @throws IllegalStateException if called from another tasklet than the one that pushed it, or while a
     *         timeout pushed after it is still open (that one is popped too)
     */
    @Override
    public void close() {
        Deadlines.pop(frame);
    }

    @Override
    public String toString() {
        return "Timeout[" + Deadlines.format(frame.pushed()) + "]";
    }
}
