package io.concurrence;

/**
 * Thrown by {@link Tasklet#join()} (and held by a failed {@link Tasklet.Result}) when the joined tasklet
 * ended with an exception, which is this exception's cause. A killed tasklet's cause is a
 * {@link TaskletExit}.
 *
 * @since 0.1
 */
public class JoinException extends ConcurrenceException {

    private static final long serialVersionUID = 1L;

    /** The failed tasklet; not serialized. */
    private final transient Tasklet<?> tasklet;

    /**
     * Creates a join exception.
     *
     * @param tasklet the tasklet that failed
     * @param cause what its body threw
     */
    public JoinException(Tasklet<?> tasklet, Throwable cause) {
        super(cause instanceof TaskletExit
                ? "Tasklet '" + tasklet.name() + "' was killed"
                : "Tasklet '" + tasklet.name() + "' failed: " + cause, cause);
        this.tasklet = tasklet;
    }

    /**
     * The tasklet that failed.
     *
     * @return the joined tasklet
     */
    public Tasklet<?> tasklet() {
        return tasklet;
    }
}
