package io.concurrence.http;

import org.jspecify.annotations.Nullable;

import io.concurrence.ConcurrenceException;

/**
 * Ends a request with a given status: thrown by a handler (or by the server, e.g. {@code 413} when
 * {@link HttpRequest#bodyBytes()} exceeds the limit), it becomes that response if nothing has been sent yet.
 * The message is sent as the body (plain text): keep internals out of it.
 *
 * @since 0.1
 */
public class HttpStatusException extends ConcurrenceException {

    private static final long serialVersionUID = 1L;

    /** The response status, 400 to 599. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status, 400 to 599
     * @param message the response body: what was wrong, for the client
     */
    public HttpStatusException(int status, String message) {
        this(status, message, null);
    }

    /**
     * Creates the exception with a cause (logged, not sent).
     *
     * @param status the HTTP status, 400 to 599
     * @param message the response body: what was wrong, for the client
     * @param cause the underlying failure, or null
     */
    public HttpStatusException(int status, String message, @Nullable Throwable cause) {
        super(message, cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 400 to 599, was " + status);
        }
        this.status = status;
    }

    /**
     * The HTTP status of the response.
     *
     * @return the status, 400 to 599
     */
    public int status() {
        return status;
    }
}
