package io.concurrence.http;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request, as a handler sees it. Header names are case-insensitive.
 *
 * <p>The body is read at most once: as a stream ({@link #body()}), or whole ({@link #bodyBytes()},
 * {@link #bodyText()}), not both. Reading blocks the handler's tasklet (honouring the ambient
 * {@link io.concurrence.Timeout}) and is backpressured: while the handler does not read, the connection
 * does not either.
 *
 * <p>Handlers own their request for the duration of the call: it is not thread-safe, and must not be used
 * after the handler returns. Implementations other than the server's (for tests, or wrappers) are welcome.
 *
 * @since 0.1
 */
public interface HttpRequest {

    /**
     * The method, e.g. {@code GET}; any token the client sent.
     *
     * @return the method name
     */
    String method();

    /**
     * The request target as sent (path and query), e.g. {@code /search?q=tasklets}. Route on {@link #path()}:
     * {@link URI} reads a target such as {@code //example.com/a} (a path whose first segment is empty) as a host.
     *
     * @return the request URI
     */
    URI uri();

    /**
     * The path, decoded, without the query.
     *
     * @return the path, e.g. {@code /users/42}
     */
    String path();

    /**
     * The protocol version, e.g. {@code HTTP/1.1}.
     *
     * @return the protocol
     */
    String version();

    /**
     * The first value of a query parameter (decoded).
     *
     * @param name the parameter name
     * @return the value, or empty
     */
    default Optional<String> query(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * All query parameters, decoded, in order.
     *
     * @return parameter name to values
     */
    Map<String, List<String>> queryParams();

    /**
     * The first value of a header.
     *
     * @param name the header name, in any case
     * @return the value, or empty
     */
    Optional<String> header(String name);

    /**
     * All headers.
     *
     * @return header name (case-insensitive keys) to values
     */
    Map<String, List<String>> headers();

    /**
     * A path parameter bound by a {@code Router} pattern such as {@code /users/{id}}.
     *
     * @param name the parameter name
     * @return the value, decoded
     * @throws IllegalArgumentException naming the parameter if the route bound no such parameter
     */
    default String pathParam(String name) {
        String value = pathParams().get(name);
        if (value == null) {
            throw new IllegalArgumentException("No path parameter '" + name + "' in " + path() + "; the route"
                    + " binds " + pathParams().keySet());
        }
        return value;
    }

    /**
     * The path parameters bound by the route; empty when the request was not routed by a pattern.
     *
     * @return parameter name to value
     */
    default Map<String, String> pathParams() {
        return Map.of();
    }

    /**
     * The body as a blocking stream, not limited by the maximum body size unless the server sets a
     * streamed limit. An {@code Expect: 100-continue} request gets its {@code 100 Continue} when the handler
     * first reads. Closing the stream discards what is left.
     *
     * <p><b>Timeout:</b> each read honours the ambient {@link io.concurrence.Timeout} (then throws
     * {@link io.concurrence.TimeoutException}, and the stream is unusable); a body that does not arrive
     * within the server's {@code requestTimeout} closes the connection and the read throws
     * {@link io.concurrence.TimeoutException} naming it. <b>Kill:</b> a read throws
     * {@link io.concurrence.TaskletExit}. A read throws {@link java.io.UncheckedIOException} if the client
     * goes away.
     *
     * @return the body; an empty stream for a request without one
     * @throws IllegalStateException if the body has already been read whole
     */
    InputStream body();

    /**
     * Blocks until the whole body has arrived and returns it.
     *
     * <p><b>Timeout:</b> honours the ambient {@link io.concurrence.Timeout} and the server's
     * {@code requestTimeout}, as {@link #body()}; {@link #bodyBytes(Duration)} sets a bound of its own.
     * <b>Kill:</b> throws {@link io.concurrence.TaskletExit}.
     *
     * @return the body's bytes
     * @throws HttpStatusException 413 if the body is larger than the server's maximum body size
     * @throws IllegalStateException if the body has already been read as a stream
     * @throws io.concurrence.TimeoutException if a deadline passes first
     * @throws java.io.UncheckedIOException if the client goes away
     */
    byte[] bodyBytes();

    /**
     * Like {@link #bodyBytes()}, reading the whole body within {@code timeout} (or the ambient
     * {@link io.concurrence.Timeout}, if tighter).
     *
     * @param timeout the most the whole read may take
     * @return the body's bytes
     * @throws HttpStatusException 413 if the body is larger than the server's maximum body size
     * @throws IllegalStateException if the body has already been read as a stream
     * @throws io.concurrence.TimeoutException if a deadline passes first
     * @throws io.concurrence.TaskletExit if the handler's tasklet is killed while waiting
     * @throws java.io.UncheckedIOException if the client goes away
     */
    @SuppressWarnings("try") // the Timeout is pushed for the scope of the block
    default byte[] bodyBytes(Duration timeout) {
        try (io.concurrence.Timeout ignored = io.concurrence.Timeout.push(timeout)) {
            return bodyBytes();
        }
    }

    /**
     * The whole body as text, in the charset of its {@code Content-Type} (UTF-8 by default). Blocks as
     * {@link #bodyBytes()} does.
     *
     * @return the body's text
     * @throws HttpStatusException 413 if the body is larger than the server's maximum body size
     * @throws IllegalStateException if the body has already been read as a stream
     * @throws io.concurrence.TimeoutException if a deadline passes first
     * @throws io.concurrence.TaskletExit if the handler's tasklet is killed while waiting
     * @throws java.io.UncheckedIOException if the client goes away
     */
    String bodyText();

    /**
     * Like {@link #bodyText()}, reading the whole body within {@code timeout} (or the ambient
     * {@link io.concurrence.Timeout}, if tighter).
     *
     * @param timeout the most the whole read may take
     * @return the body's text
     * @throws HttpStatusException 413 if the body is larger than the server's maximum body size
     * @throws IllegalStateException if the body has already been read as a stream
     * @throws io.concurrence.TimeoutException if a deadline passes first
     * @throws io.concurrence.TaskletExit if the handler's tasklet is killed while waiting
     * @throws java.io.UncheckedIOException if the client goes away
     */
    @SuppressWarnings("try") // the Timeout is pushed for the scope of the block
    default String bodyText(Duration timeout) {
        try (io.concurrence.Timeout ignored = io.concurrence.Timeout.push(timeout)) {
            return bodyText();
        }
    }

    /**
     * The address of the client (of the connection's peer).
     *
     * @return the remote address
     */
    InetSocketAddress remoteAddress();
}
