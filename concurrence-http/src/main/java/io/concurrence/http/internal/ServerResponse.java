package io.concurrence.http.internal;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import io.concurrence.http.HttpResponse;

/**
 * The server's {@link HttpResponse}: status and headers are kept here until the head goes out with the
 * first bytes ({@link ServerExchange} writes them on the event loop). Used by the handler's tasklet only.
 */
final class ServerResponse implements HttpResponse {

    /** Nothing sent yet. */
    private static final int OPEN = 0;
    /** The whole body was sent with send(). */
    private static final int SENT = 1;
    /** The body is being streamed; the head has gone out. */
    private static final int STREAMING = 2;

    private final ServerExchange exchange;
    private final HttpHeaders headers = new DefaultHttpHeaders(false);
    private int status = 200;
    private int state = OPEN;
    private @Nullable ResponseOutputStream stream;

    ServerResponse(ServerExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public HttpResponse status(int code) {
        checkNotCommitted("status");
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status must be 100 to 999, was " + code);
        }
        this.status = code;
        return this;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public HttpResponse header(String name, String value) {
        checkNotCommitted("header");
        checkHeader(name, value);
        headers.add(name, value);
        return this;
    }

    @Override
    public HttpResponse setHeader(String name, String value) {
        checkNotCommitted("setHeader");
        checkHeader(name, value);
        headers.set(name, value);
        return this;
    }

    @Override
    public Map<String, List<String>> headers() {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> entry : headers) {
            map.computeIfAbsent(entry.getKey(), k -> new ArrayList<>(1)).add(entry.getValue());
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public void send(String body) {
        Objects.requireNonNull(body, "body");
        if (!headers.contains(HttpHeaderNames.CONTENT_TYPE)) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        }
        send(body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void send(byte[] body) {
        Objects.requireNonNull(body, "body");
        if (state != OPEN || stream != null) {
            throw new IllegalStateException("The response was already sent (or is being streamed with"
                    + " outputStream()); send once");
        }
        state = SENT;
        exchange.sendWhole(status, headers, body);
    }

    @Override
    public OutputStream outputStream() {
        if (state == SENT) {
            throw new IllegalStateException("The response was already sent with send(); use either send or"
                    + " outputStream");
        }
        ResponseOutputStream out = stream;
        if (out == null) {
            out = new ResponseOutputStream(this);
            stream = out;
        }
        return out;
    }

    @Override
    public boolean isCommitted() {
        return state != OPEN;
    }

    /** Called by the stream with its first bytes: sends the head and starts the body. */
    BodyPublisher startStreaming() {
        state = STREAMING;
        return exchange.startStream(status, headers);
    }

    ByteBufAllocator allocator() {
        return exchange.allocator();
    }

    /** Ends the response after the handler returned: sends the status alone if nothing was sent. */
    void finish() {
        ResponseOutputStream out = stream;
        if (out != null) {
            out.close();
        } else if (state == OPEN) {
            state = SENT;
            exchange.sendWhole(status, headers, new byte[0]);
        }
    }

    /** Whether the stream has started (so a failure can only abort the connection). */
    boolean isStreaming() {
        return state == STREAMING;
    }

    /** Aborts a started stream. */
    void abort(Throwable error) {
        ResponseOutputStream out = stream;
        if (out != null) {
            out.abort(error);
        }
    }

    /** Replaces whatever was set with an error response (only while nothing was sent). */
    void sendError(int code, String message) {
        headers.clear();
        status = code;
        stream = null;
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        state = SENT;
        exchange.sendWhole(code, headers, message.getBytes(StandardCharsets.UTF_8));
    }

    private void checkNotCommitted(String what) {
        if (state != OPEN) {
            throw new IllegalStateException("Cannot set the " + what + " of a response whose head has been sent");
        }
    }

    /** Header names must be tokens, values free of CR/LF (and other controls but TAB): no response splitting. */
    static void checkHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("header name '" + name + "' has a character that is not allowed"
                        + " in a token (code " + (int) c + ")");
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c < ' ' && c != '\t' || c == 127) {
                throw new IllegalArgumentException("header '" + name + "' value contains a control character (code "
                        + (int) c + "); CR and LF would split the response");
            }
        }
    }
}
