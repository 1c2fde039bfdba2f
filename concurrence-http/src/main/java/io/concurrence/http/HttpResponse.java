package io.concurrence.http;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The response to an HTTP request, written by its handler.
 *
 * <p>Set the status and headers, then either {@link #send(byte[]) send} the whole body at once (the server
 * sets {@code Content-Length}), or write it to {@link #outputStream()} (sent in chunks as it is written,
 * chunked encoding unless a {@code Content-Length} was set; writes block while the client is slow to read,
 * so a slow client stops the handler rather than filling the heap). A handler that returns without sending
 * anything sends its status with an empty body. The server adds {@code Date} and {@code Server}.
 *
 * <p>Header values may not contain CR or LF: setting one throws {@link IllegalArgumentException} (no
 * response splitting).
 *
 * <p>Handlers own their response for the duration of the call: it is not thread-safe, and must not be used
 * after the handler returns.
 *
 * @since 0.1
 */
public interface HttpResponse {

    /**
     * Sets the status. Default: 200.
     *
     * @param status the status code, 100 to 999
     * @return this response
     * @throws IllegalStateException if the response has been committed (its head sent)
     */
    HttpResponse status(int status);

    /**
     * The status set so far.
     *
     * @return the status code
     */
    int status();

    /**
     * Adds a header value (a second call with the same name adds another value).
     *
     * @param name the header name
     * @param value the value, without CR or LF
     * @return this response
     * @throws IllegalArgumentException if the name or value contains CR or LF, or the name is not a token
     * @throws IllegalStateException if the response has been committed
     */
    HttpResponse header(String name, String value);

    /**
     * Sets a header, replacing any value it had.
     *
     * @param name the header name
     * @param value the value, without CR or LF
     * @return this response
     * @throws IllegalArgumentException if the name or value contains CR or LF, or the name is not a token
     * @throws IllegalStateException if the response has been committed
     */
    HttpResponse setHeader(String name, String value);

    /**
     * The headers set so far.
     *
     * @return header name (case-insensitive keys) to values
     */
    Map<String, List<String>> headers();

    /**
     * Sets {@code Content-Type}.
     *
     * @param contentType e.g. {@code text/html; charset=UTF-8}
     * @return this response
     */
    default HttpResponse contentType(String contentType) {
        return setHeader("Content-Type", contentType);
    }

    /**
     * Sends {@code body} as UTF-8 text and ends the response. Sets {@code Content-Type} to
     * {@code text/plain; charset=UTF-8} unless one was set.
     *
     * @param body the text
     * @throws IllegalStateException if something was sent already
     * @throws java.io.UncheckedIOException if the client has gone away
     */
    void send(String body);

    /**
     * Sends {@code body} and ends the response.
     *
     * <p><b>Timeout:</b> blocks until the bytes are handed to the connection, honouring the ambient
     * {@link io.concurrence.Timeout}. <b>Kill:</b> throws {@link io.concurrence.TaskletExit}; the connection
     * is closed.
     *
     * @param body the bytes (not copied: do not modify them until the handler returns)
     * @throws IllegalStateException if something was sent already
     * @throws java.io.UncheckedIOException if the client has gone away
     */
    void send(byte[] body);

    /**
     * A stream for the body. The head is sent with the first bytes that go out (on {@code flush()}, when the
     * buffer fills, or when the handler returns); chunked unless {@code Content-Length} was set. Writes
     * block while the client reads slowly. Closing it, or returning from the handler, ends the response.
     *
     * <p><b>Timeout:</b> a write or flush blocked by a slow client honours the ambient
     * {@link io.concurrence.Timeout}. <b>Kill:</b> it throws {@link io.concurrence.TaskletExit}; the
     * response is cut off and its connection closed.
     *
     * @return the body stream (the same one each time)
     * @throws IllegalStateException if the body was sent with {@code send}
     */
    OutputStream outputStream();

    /**
     * Whether the head (status and headers) has been sent: status and headers can no longer change.
     *
     * @return true once committed
     */
    boolean isCommitted();
}
