package io.concurrence.remote;

import io.concurrence.ConcurrenceException;
import org.jspecify.annotations.Nullable;

/**
 * A remote operation failed: a message or reply of a type the codec refuses, a frame too large or malformed,
 * a lost connection, or an error reported by the peer. The message says which, and names the type or the
 * peer concerned.
 *
 * @since 0.1
 */
public class RemoteException extends ConcurrenceException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, and what to do about it
     */
    public RemoteException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, and what to do about it
     * @param cause the underlying failure, or null
     */
    public RemoteException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
