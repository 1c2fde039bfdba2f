package io.concurrence.web;

import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.concurrence.http.HttpResponse;

/**
 * A stream of Server-Sent Events ({@code text/event-stream}) on a response: each {@link #send} writes one
 * event and flushes it, blocking while the client reads slowly (backpressure) and failing with
 * {@link UncheckedIOException} once the client has gone. Close it (or return from the handler) to end the
 * stream.
 * <pre>{@code
 * router.get("/ticks", (req, res) -> {
 *     try (ServerSentEvents events = ServerSentEvents.open(res)) {
 *         for (int i = 0; ; i++) {
 *             events.send("tick", Integer.toString(i));
 *             Tasklet.sleep(Duration.ofSeconds(1));
 *         }
 *     }
 * });
 * }</pre>
 *
 * <p>Not thread-safe: one tasklet writes.
 *
 * @since 0.1
 */
public final class ServerSentEvents implements AutoCloseable {

    private final OutputStream out;

    private ServerSentEvents(OutputStream out) {
        this.out = out;
    }

    /**
     * Starts an event stream: sets the headers and sends them.
     *
     * @param response a response nothing has been sent on
     * @return the event stream
     * @throws IllegalStateException if the response has been committed
     */
    public static ServerSentEvents open(HttpResponse response) {
        Objects.requireNonNull(response, "response");
        response.setHeader("Content-Type", "text/event-stream; charset=UTF-8")
                .setHeader("Cache-Control", "no-cache")
                .setHeader("X-Accel-Buffering", "no");
        OutputStream out = response.outputStream();
        ServerSentEvents events = new ServerSentEvents(out);
        events.flush();
        return events;
    }

    /**
     * Sends an event with a name and data (multi-line data is split into {@code data:} lines).
     *
     * @param event the event name, or null for the default ({@code message})
     * @param data the data
     * @throws UncheckedIOException if the client has gone away
     */
    public void send(@Nullable String event, String data) {
        send(event, null, data);
    }

    /**
     * Sends an event with a name, an id (the client's {@code Last-Event-ID} when it reconnects) and data.
     *
     * @param event the event name, or null for the default ({@code message})
     * @param id the event id, or null for none
     * @param data the data (multi-line data is split into {@code data:} lines)
     * @throws UncheckedIOException if the client has gone away
     */
    public void send(@Nullable String event, @Nullable String id, String data) {
        Objects.requireNonNull(data, "data");
        StringBuilder frame = new StringBuilder(data.length() + 32);
        if (event != null) {
            requireSingleLine(event, "event name");
            frame.append("event: ").append(event).append('\n');
        }
        if (id != null) {
            requireSingleLine(id, "event id");
            if (id.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("An SSE event id must not contain NUL");
            }
            frame.append("id: ").append(id).append('\n');
        }
        for (String line : data.split("\r\n|\r|\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        frame.append('\n');
        write(frame.toString());
    }

    /**
     * Sends an unnamed event.
     *
     * @param data the data
     * @throws UncheckedIOException if the client has gone away
     */
    public void send(String data) {
        send(null, data);
    }

    /**
     * Tells the client how long to wait before reconnecting after the connection drops.
     *
     * @param delay the reconnection delay (whole milliseconds are sent)
     * @throws UncheckedIOException if the client has gone away
     */
    public void retry(java.time.Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("An SSE retry delay must not be negative, was " + delay);
        }
        write("retry: " + delay.toMillis() + "\n\n");
    }

    /**
     * Sends a comment line, which clients ignore: keeps idle connections (and proxies) alive.
     *
     * @param text the comment
     * @throws UncheckedIOException if the client has gone away
     */
    public void comment(String text) {
        requireSingleLine(text, "comment");
        write(": " + text + "\n\n");
    }

    /** Ends the stream. Idempotent. */
    @Override
    public void close() {
        try {
            out.close();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        flush();
    }

    private void flush() {
        try {
            out.flush();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireSingleLine(String text, String what) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("An SSE " + what + " must be a single line");
        }
    }
}
