package io.concurrence;

import org.jspecify.annotations.Nullable;

/**
 * The base of every exception Concurrence throws (unchecked).
 *
 * @since 0.1
 */
public class ConcurrenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, and what to do about it
     */
    public ConcurrenceException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, and what to do about it
     * @param cause the underlying failure, or null
     */
    public ConcurrenceException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
