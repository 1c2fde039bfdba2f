package io.concurrence.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import reactor.core.publisher.Flux;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.context.Context;

import io.concurrence.Timeout;
import io.concurrence.TimeoutException;
import io.concurrence.internal.Deadlines;
import io.concurrence.reactor.internal.QueueSubscriber;

/**
 * One exchange whose response head has arrived: the status and headers, and the body still on its
 * connection. Built on the event loop when the head arrives; then owned by the tasklet that sent the
 * request ({@link #claim()}), or, if that tasklet gave up at the same moment, abandoned ({@link #abandon()}),
 * which closes it.
 *
 * <p>The body is read at most once, as a stream ({@link #body()}) or whole ({@link #bodyBytes}); whole
 * bytes are kept, so {@code bodyBytes} and {@code bodyText} may be called again. {@link #close()} releases
 * the connection: a body read to its end has already let the connection go back to the pool; an unread or
 * half-read one is drained if it has fully arrived, else its connection is closed (see
 * {@link ClientBodyFlux}).
 *
 * <p>Used by one tasklet at a time; {@link #close()} may be called from any thread.
 */
public final class ClientExchange {

    /*
     * Release tracking. Reactor Netty completes a response body a moment before it hands the connection back
     * to the pool (both on the event loop). A tasklet woken by the end of the body and sending again at once
     * could find no free connection and open another, which defeats keep-alive for the plainest loop of
     * sequential requests. So the end of the body reaches the reader only once the connection is released:
     *
     * - the channel's EXCHANGE attribute names the exchange it carries, set when the head arrives;
     * - the release is signalled by the client's observer (State.RELEASED), by the channel's close (one
     *   listener per channel), or by the next exchange on the channel (which proves the release, should the
     *   RELEASED signal ever come late); each takes the attribute and marks that exchange released;
     * - the body's completion (ClientBodyFlux, on the event loop) and the release meet in onRelease, a CAS
     *   slot: whichever comes second runs the completion, so it runs exactly once, after both.
     */

    /** Buffers requested ahead of a body reader; Netty reads at most 64 KiB each, so about 1 MiB. */
    private static final int BODY_PREFETCH = 16;

    private static final int NEW = 0;
    /** The sending tasklet took it. */
    private static final int CLAIMED = 1;
    /** Nobody will take it: closed at once. */
    private static final int ABANDONED = 2;

    /** The exchange currently on a channel, until the channel goes back to the pool or closes. */
    private static final AttributeKey<ClientExchange> EXCHANGE =
            AttributeKey.valueOf("concurrence.http.client.exchange");
    /** Whether the channel's close listener is installed (once per channel, not once per exchange). */
    private static final AttributeKey<Boolean> CLOSE_HOOKED =
            AttributeKey.valueOf("concurrence.http.client.close-hooked");
    /** The value of {@link #onRelease} once the connection has been released. */
    private static final Runnable RELEASED = () -> { };

    private final String what;
    private final int status;
    /** Whether the request was a HEAD (whose response has no body). */
    private final boolean headRequest;
    private final Map<String, List<String>> headers;
    private final ClientBodyFlux bodyFlux;
    /** The body's buffers, requested ahead ({@link #BODY_PREFETCH}) from the moment the head arrived. */
    private final QueueSubscriber<ByteBuf> bodyQueue;
    private final ClientSettings settings;
    private final AtomicInteger state = new AtomicInteger(NEW);

    /** Set on the event loop when the exchange's operations terminate; read there by {@link ClientBodyFlux}. */
    private volatile boolean terminated;
    /**
     * What to run when the connection is back in the pool (or closed): null, an action waiting for that, or
     * {@link #RELEASED} once it happened. Set by the body's end on the event loop, and by the release.
     */
    private final AtomicReference<@Nullable Runnable> onRelease = new AtomicReference<>();
    /** Guards the body's state below; held only for state changes, never while waiting for bytes. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The body as a stream, once opened; guarded by {@link #lock}. */
    private @Nullable ClientBodyStream stream;
    /** Whether bodyBytes has begun; guarded by {@link #lock}. */
    private boolean readingWhole;
    /** The body read whole; guarded by {@link #lock}. */
    private byte @Nullable [] bytes;
    /** Written under {@link #lock}; read by any thread. */
    private volatile boolean closed;

    /**
     * Called on the event loop by the response handler, with the head just arrived.
     *
     * @param what the exchange for messages, e.g. {@code GET http://host/path}
     */
    public ClientExchange(String what, HttpClientResponse response, Connection connection, ClientSettings settings) {
        this.what = what;
        this.headRequest = response.method().name().equals("HEAD");
        this.settings = settings;
        this.status = response.status().code();
        this.headers = ClientHeaders.of(response.responseHeaders());
        connection.onTerminate().subscribe(null, e -> terminated = true, () -> terminated = true);
        Channel channel = connection.channel();
        ClientExchange previous = channel.attr(EXCHANGE).getAndSet(this);
        if (previous != null) {
            previous.markReleased(); // the channel carries a new exchange: it was released
        }
        if (channel.attr(CLOSE_HOOKED).setIfAbsent(Boolean.TRUE) == null) {
            channel.closeFuture().addListener(closed -> released(channel));
        }
        Flux<ByteBuf> source = connection.inbound().receive().retain();
        this.bodyFlux = new ClientBodyFlux(source, channel.eventLoop(), this);
        // Subscribed now, on the event loop: a body that arrived with the head is queued before the tasklet
        // wakes for the head, so reading it whole needs no second wake-up (nor a hop to subscribe).
        this.bodyQueue = new QueueSubscriber<>(BODY_PREFETCH, Context.empty(), ReferenceCountUtil::release);
        bodyFlux.subscribe(bodyQueue);
    }

    /**
     * Called (on the event loop) when {@code channel} has gone back to the pool, or closed: the exchange on
     * it, if any, is over.
     */
    public static void released(Channel channel) {
        ClientExchange exchange = channel.attr(EXCHANGE).getAndSet(null);
        if (exchange != null) {
            exchange.markReleased();
        }
    }

    private void markReleased() {
        Runnable waiting = onRelease.getAndSet(RELEASED);
        if (waiting != null && waiting != RELEASED) {
            waiting.run();
        }
    }

    /** Whether the exchange's operations have terminated (the response has arrived whole, or failed). */
    boolean isTerminated() {
        return terminated;
    }

    /**
     * Runs {@code action} once the connection is back in the pool (or closed): now if it already is. Used to
     * hold back the end of the body until then, so that a tasklet that read the body to its end and sends
     * again finds the connection free rather than opening another.
     */
    void whenReleased(Runnable action) {
        if (!onRelease.compareAndSet(null, action)) {
            action.run();
        }
    }

    /** Takes ownership for the sending tasklet; false if the exchange was abandoned first. */
    public boolean claim() {
        return state.compareAndSet(NEW, CLAIMED);
    }

    /** Gives the exchange up (nobody will read it): closes it, unless it was claimed. Idempotent. */
    public void abandon() {
        if (state.compareAndSet(NEW, ABANDONED)) {
            close();
        }
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The response headers: unmodifiable, case-insensitive keys. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The exchange, for messages: {@code GET http://host/path}. */
    public String what() {
        return what;
    }

    /**
     * The body as a stream; the same stream on every call.
     *
     * @throws IllegalStateException if the body was read whole, or the response closed
     */
    public InputStream body() {
        lock.lock();
        try {
            checkNotClosed("body()");
            if (readingWhole) {
                throw new IllegalStateException(what + ": the body was already read whole (bodyBytes/bodyText);"
                        + " read it once, either as a stream or whole");
            }
            ClientBodyStream s = stream;
            return s != null ? s : openStream();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The whole body, at most {@code maxResponseBodySize} bytes; the connection is released once it is read.
     * A second call returns the same bytes.
     *
     * @param timeout the most the whole read may take, or null for the ambient Timeout and readTimeout only
     */
    public byte[] bodyBytes(@Nullable Duration timeout) {
        ClientBodyStream s;
        lock.lock();
        try {
            byte[] whole = bytes;
            if (whole != null) {
                return whole.clone();
            }
            checkNotClosed("bodyBytes()");
            if (stream != null) {
                throw new IllegalStateException(what + ": the body is being read as a stream (body()), or an"
                        + " earlier bodyBytes() failed; read it once, either as a stream or whole");
            }
            long declared = declaredLength();
            if (declared > settings.maxResponseBodySize()) {
                closeLocked();
                throw tooLarge("declares Content-Length " + declared + ", more");
            }
            readingWhole = true;
            s = openStream();
        } finally {
            lock.unlock();
        }
        byte[] whole = timeout == null ? readAll(s) : readAll(s, timeout);
        lock.lock();
        try {
            bytes = whole;
        } finally {
            lock.unlock();
        }
        return whole.clone();
    }

    /**
     * The whole body decoded with the charset of its {@code Content-Type} (UTF-8 when none is given).
     *
     * @param timeout the most the whole read may take, or null for the ambient Timeout and readTimeout only
     */
    public String bodyText(@Nullable Duration timeout) {
        return new String(bodyBytes(timeout), charset());
    }

    private Charset charset() {
        Optional<String> type = header("Content-Type");
        if (type.isPresent()) {
            for (String parameter : type.get().split(";")) {
                String p = parameter.trim();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    String name = p.substring(8).trim().replace("\"", "");
                    try {
                        return Charset.forName(name);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException(what + ": the response declares charset " + name
                                + ", which this JVM does not support; read it with bodyBytes()", e);
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @SuppressWarnings("try") // the Timeout is pushed for the scope of the block
    private byte[] readAll(ClientBodyStream s, Duration timeout) {
        Optional<Duration> ambient = Timeout.remaining();
        try (Timeout ignored = Timeout.push(timeout)) {
            return readAll(s);
        } catch (TimeoutException e) {
            if (ambient.isPresent() && ambient.get().compareTo(timeout) <= 0) {
                throw e;
            }
            TimeoutException t = new TimeoutException(what + ": reading the response body timed out after "
                    + Deadlines.format(timeout));
            t.initCause(e);
            throw t;
        }
    }

    private byte[] readAll(ClientBodyStream s) {
        long limit = settings.maxResponseBodySize();
        long declared = declaredLength();
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                declared >= 0 ? (int) Math.min(declared, 1 << 24) : 8192);
        // Sized to the body when it is declared (a 64 KiB array per small response was a measurable cost).
        byte[] chunk = new byte[declared >= 0 ? (int) Math.min(Math.max(declared + 1, 256), 65_536) : 8192];
        long total = 0;
        try {
            for (int n; (n = s.read(chunk, 0, chunk.length)) >= 0; ) {
                total += n;
                if (total > limit) {
                    close();
                    throw tooLarge("is longer");
                }
                out.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return out.toByteArray(); // read to its end: the connection is back in the pool, nothing to cancel
    }

    private IllegalStateException tooLarge(String how) {
        return new IllegalStateException(what + ": the response body " + how + " than maxResponseBodySize ("
                + settings.describeMaxResponseBodySize() + ") allows; read it as a stream with body(), or raise"
                + " HttpClient.Builder.maxResponseBodySize");
    }

    private long declaredLength() {
        if (headRequest) {
            return -1; // the Content-Length of a HEAD response describes a body that is not sent
        }
        Optional<String> length = header("Content-Length");
        if (length.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(length.get().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Holds {@link #lock}. */
    private ClientBodyStream openStream() {
        ClientBodyStream s = new ClientBodyStream(bodyQueue, settings.readTimeout(), settings, what, this::close);
        stream = s;
        return s;
    }

    private void checkNotClosed(String method) {
        if (closed) {
            throw new IllegalStateException(what + ": " + method + " called after the response was closed");
        }
    }

    /**
     * Releases the connection: see the class comment. Idempotent; any thread; never waits for a reader.
     */
    public void close() {
        if (closed) {
            return;
        }
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Holds {@link #lock}. The stream's close only cancels and wakes its reader: it does not block. */
    private void closeLocked() {
        if (closed) {
            return;
        }
        closed = true;
        ClientBodyStream s = stream;
        if (s != null) {
            s.close();
            return;
        }
        bodyQueue.cancel(); // never read: drains the body if it has arrived whole, else closes the connection
    }

    @Override
    public String toString() {
        return status + " from " + what;
    }
}
