package io.concurrence.http.internal;

import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import io.concurrence.TaskletExit;
import io.concurrence.Timeout;
import io.concurrence.TimeoutException;
import io.concurrence.internal.Deadlines;
import io.concurrence.reactor.Await;

/**
 * The engine of one {@code io.concurrence.http.HttpClient}: a Reactor Netty {@link HttpClient} on its own
 * {@link ConnectionProvider} (a pool per host, sized and with a pending-acquire queue deep enough for
 * thousands of waiting tasklets), and the one wait of an exchange: until the response head arrives.
 *
 * <p>An exchange is a Mono that completes on the event loop with a {@link ClientExchange} as soon as the
 * head has arrived; the sending tasklet waits for it with {@link Await#of(Mono, Duration)}, which cancels the
 * Mono on timeout or kill (Reactor Netty then closes the connection, whose response is pending; the cancel
 * is made on the connection's event loop, see {@link ConnectionLoop}). If the
 * head arrives just as the tasklet gives up, the exchange reaches the discard hook and is abandoned
 * (closed), so no connection is ever left holding an unread response.
 *
 * <p>Thread-safe.
 */
public final class ClientTransport {

    private static final String TEXT_PLAIN_UTF8 = "text/plain;charset=UTF-8";

    private final ClientSettings settings;
    private final ConnectionProvider pool;
    /** The pool's figures, registered by Reactor Netty per host. */
    private final ClientPools pools = new ClientPools();
    private final HttpClient client;
    /** Reads request bodies given as InputStreams: blocking, so never on an event loop. */
    private final Scheduler bodyReaders;
    /** Set by close; read by every send. */
    private volatile boolean closed;

    /** Builds the pool and the client; opens no connection. */
    public ClientTransport(ClientSettings settings) {
        this.settings = settings;
        this.pool = ConnectionProvider.builder("concurrence-http-client")
                .maxConnections(settings.maxConnections())
                .pendingAcquireMaxCount(settings.pendingAcquireMaxCount())
                .pendingAcquireTimeout(settings.pendingAcquireTimeout())
                .maxIdleTime(settings.maxIdleTime())
                .metrics(true, () -> pools)
                .build();
        HttpClient c = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .keepAlive(true)
                .followRedirect(settings.followRedirects())
                .observe((connection, state) -> {
                    if (state == ConnectionObserver.State.RELEASED) {
                        ClientExchange.released(connection.channel());
                    }
                })
                .headers(headers -> settings.defaultHeaders()
                        .forEach((name, values) -> values.forEach(value -> headers.add(name, value))));
        this.client = c.secure(ClientTls.provider(settings.tls())); // applies to https URIs only
        this.bodyReaders = Schedulers.fromExecutorService(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("concurrence-http-client-body-", 0).factory()),
                "concurrence-http-client-body");
    }

    /** The options this transport was built with. */
    public ClientSettings settings() {
        return settings;
    }

    /**
     * Resolves {@code uri} against the base URL.
     *
     * @throws IllegalArgumentException if it is malformed, not http(s), or relative without a base URL
     */
    public URI resolve(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid URI '" + uri + "': " + e.getMessage(), e);
        }
        URI base = settings.baseUrl();
        if (!parsed.isAbsolute()) {
            if (base == null) {
                throw new IllegalArgumentException("relative URI '" + uri + "' but the HttpClient has no baseUrl;"
                        + " pass an absolute http:// or https:// URI, or set HttpClient.builder().baseUrl(..)");
            }
            parsed = base.resolve(parsed);
        }
        checkHttp(parsed, "URI");
        return parsed;
    }

    /**
     * Checks that {@code uri} is an absolute http(s) URI with a host.
     *
     * @param option what the URI is, for the message ("URI", "baseUrl")
     */
    public static void checkHttp(URI uri, String option) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(option + " '" + uri + "' must be an absolute http:// or https:// URI");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(option + " '" + uri + "' has no host");
        }
    }

    /** The URI for messages: without user info (it may hold a password). */
    public static String describe(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        String text = uri.toString();
        return text.replace(uri.getRawUserInfo() + "@", "");
    }

    /**
     * Sends a request and waits until the response head arrives.
     *
     * @param bytes the body as bytes (sent with its Content-Length), or null
     * @param text whether the bytes are UTF-8 text, sent as {@code text/plain;charset=UTF-8} unless the
     *        request or the client's default headers set a Content-Type
     * @param stream the body as a stream (read on demand, chunked unless a Content-Length is given), or null
     * @param timeout the caller's timeout, or null for the client's responseTimeout; the ambient Timeout also
     *        applies
     * @throws IllegalStateException if this transport is closed
     */
    public ClientExchange exchange(String method, URI uri, Map<String, List<String>> headers,
                                   byte @Nullable [] bytes, boolean text, @Nullable InputStream stream,
                                   @Nullable Duration timeout) {
        String what = method + " " + describe(uri);
        if (closed) {
            throw new IllegalStateException(what + ": this HttpClient is closed; create a new one");
        }
        Publisher<ByteBuf> body = bytes != null ? ClientRequestBodies.of(bytes)
                : stream != null ? ClientRequestBodies.of(stream, bodyReaders, what) : null;
        ConnectionLoop loop = new ConnectionLoop();
        Mono<ClientExchange> exchange = client.request(HttpMethod.valueOf(method))
                .uri(uri)
                .send((request, outbound) -> {
                    outbound.withConnection(c -> loop.set(c.channel()));
                    HttpHeaders h = request.requestHeaders();
                    headers.forEach((name, values) -> {
                        h.remove(name);
                        values.forEach(value -> h.add(name, value));
                    });
                    if (bytes != null) {
                        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
                        h.set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
                    }
                    if (text && !h.contains(HttpHeaderNames.CONTENT_TYPE)) {
                        h.set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN_UTF8);
                    }
                    if (stream != null && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                        h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    }
                    return body == null ? outbound : outbound.send(body);
                })
                .responseConnection((response, c) -> {
                    ClientExchange received = new ClientExchange(what, response, c, settings);
                    return Mono.just(received).doOnCancel(received::abandon);
                })
                .singleOrEmpty()
                .cancelOn(Schedulers.fromExecutor(loop))
                .doOnDiscard(ClientExchange.class, ClientExchange::abandon);
        Duration wait = timeout != null ? timeout : settings.responseTimeout();
        Optional<Duration> ambient = Timeout.remaining();
        ClientExchange received;
        try {
            received = Await.of(exchange, wait);
        } catch (TaskletExit e) {
            throw e;
        } catch (TimeoutException e) {
            if (e.getCause() != null) {
                throw ClientErrors.translate(what, e, settings); // the engine's own timeout, e.g. pool acquire
            }
            throw headTimeout(what, timeout, wait, ambient, e);
        } catch (RuntimeException e) {
            throw ClientErrors.translate(what, e, settings);
        }
        if (received == null || !received.claim()) {
            throw new IllegalStateException(what + ": the exchange ended without a response");
        }
        return received;
    }

    private static TimeoutException headTimeout(String what, @Nullable Duration timeout, Duration wait,
                                                Optional<Duration> ambient, TimeoutException cause) {
        String reason;
        if (ambient.isPresent() && ambient.get().compareTo(wait) <= 0) {
            reason = "the ambient Timeout expired";
        } else if (timeout != null) {
            reason = "no response within " + Deadlines.format(timeout);
        } else {
            reason = "no response within " + Deadlines.format(wait) + " (responseTimeout)";
        }
        TimeoutException e = new TimeoutException(what + " timed out waiting for the response head: " + reason);
        e.initCause(cause);
        return e;
    }

    /** The figures of the pool, summed over its hosts. */
    public io.concurrence.http.HttpClient.PoolStats poolStats() {
        return pools.totals();
    }

    /** Closes the pool (and its connections) and the body readers. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.dispose();
        bodyReaders.dispose();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }
}
