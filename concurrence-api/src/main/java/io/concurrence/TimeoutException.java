package io.concurrence;

/**
 * Thrown by a blocking call whose timeout, or the ambient {@link Timeout}, passed before it could complete.
 * The message names the call and which deadline expired.
 *
 * <p>Not to be confused with {@link java.util.concurrent.TimeoutException}, which is checked.
 *
 * @since 0.1
 */
public class TimeoutException extends ConcurrenceException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates a timeout exception.
     *
     * @param message which call timed out, and after how long
     */
    public TimeoutException(String message) {
        super(message);
    }
}
