package io.concurrence;

/**
 * Thrown inside a tasklet by the blocking call it was in (or the next one it makes) when the tasklet is
 * {@linkplain Tasklet#kill() killed}. Let it propagate: the tasklet then ends, and its
 * {@link Tasklet#join() join} throws a {@link JoinException} with this as the cause. A tasklet that catches
 * it survives the kill, as in the seed.
 *
 * @since 0.1
 */
public class TaskletExit extends ConcurrenceException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exit signal.
     *
     * @param message which tasklet was killed, and where it was blocked
     */
    public TaskletExit(String message) {
        super(message);
    }
}
