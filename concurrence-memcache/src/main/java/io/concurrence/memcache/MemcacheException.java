package io.concurrence.memcache;

import org.jspecify.annotations.Nullable;

import io.concurrence.ConcurrenceException;

/**
 * A memcache operation failed: the server answered {@code ERROR}, {@code CLIENT_ERROR} or
 * {@code SERVER_ERROR}, the server is unreachable or marked dead, the connection was lost, or the server
 * broke the protocol. The message names the server and the command.
 *
 * @since 0.1
 */
public class MemcacheException extends ConcurrenceException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, and what to do about it
     */
    public MemcacheException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, and what to do about it
     * @param cause the underlying failure, or null
     */
    public MemcacheException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
