package io.concurrence.http;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import io.concurrence.ConcurrenceException;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.http.internal.ClientExchange;
import io.concurrence.http.internal.ClientHeaders;
import io.concurrence.http.internal.ClientSettings;
import io.concurrence.http.internal.ClientTls;
import io.concurrence.http.internal.ClientTransport;

/**
 * A blocking HTTP/1.1 client for tasklets, on Reactor Netty, with a pool of kept-alive connections per host.
 * <pre>{@code
 * try (HttpClient client = HttpClient.builder().baseUrl("http://localhost:8080/").build()) {
 *     try (HttpClient.Response response = client.get("/hello")) {
 *         System.out.println(response.status() + " " + response.bodyText());
 *     }
 *     try (HttpClient.Response response = client.send(HttpClient.Request.post("/items", "{\"n\":1}")
 *             .header("Content-Type", "application/json"), Duration.ofSeconds(5))) {
 *         response.body().transferTo(out);                  // streamed, backpressured
 *     }
 * }
 * }</pre>
 *
 * <h2>Exchanges</h2>
 * {@link #send(Request)} returns as soon as the response <em>head</em> (status and headers) has arrived;
 * the body then streams from the connection as it is read. A {@code 4xx} or {@code 5xx} status is returned as
 * a {@link Response} like any other: only transport failures and timeouts throw. Redirects are returned
 * as they are unless {@link Builder#followRedirects(boolean)} is set.
 *
 * <h2>Connections</h2>
 * Each host has a pool of at most {@link Builder#maxConnections(int) maxConnections} connections, kept
 * alive between exchanges. An exchange waits for a free connection in a queue of at most
 * {@link Builder#pendingAcquireMaxCount(int) pendingAcquireMaxCount} waiters (large by default: thousands of
 * tasklets may share a small pool) for at most {@link Builder#pendingAcquireTimeout(Duration)}. A response
 * gives its connection back once its body has been read to the end, or when it is {@linkplain Response#close()
 * closed}: a body that has fully arrived is drained and the connection kept; a half-read one has its
 * connection closed, never returned in a bad state. <b>Always close responses</b> (try-with-resources), or
 * read their bodies whole: a response left open holds its connection.
 *
 * <h2>Failures</h2>
 * <ul>
 * <li>Refused connections, unknown hosts, resets, premature closes and TLS failures throw
 *     {@link UncheckedIOException} whose cause is the {@code java.net} / {@code javax.net} exception
 *     ({@link java.net.ConnectException}, {@link java.net.UnknownHostException},
 *     {@link java.net.SocketException}, {@link javax.net.ssl.SSLHandshakeException}, …).</li>
 * <li>Timeouts (connect, pool acquire, response head, body reads, the ambient {@link io.concurrence.Timeout})
 *     throw {@link TimeoutException} naming the method, the URL and the deadline that expired.</li>
 * <li>{@link io.concurrence.Tasklet#kill() kill()} of a tasklet blocked in {@code send} or in a body read
 *     throws {@link TaskletExit} there, cancels the exchange and closes its connection; the pool stays
 *     usable.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Thread-safe: any number of tasklets (or platform threads) share one client. Its methods block, so call
 * them from tasklets or other threads that may block, never from a Netty event loop
 * ({@link IllegalStateException}).
 *
 * @since 0.1
 */
public final class HttpClient implements AutoCloseable {

    private final ClientTransport transport;

    private HttpClient(ClientTransport transport) {
        this.transport = transport;
    }

    /**
     * A client with the default options (see {@link Builder}); its URIs must be absolute.
     *
     * @return a new client, to be closed
     */
    public static HttpClient create() {
        return builder().build();
    }

    /**
     * A builder for a client.
     *
     * @return a new builder with the default options
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends a {@code GET} for {@code uri} and blocks until the response head has arrived; like
     * {@code send(Request.get(uri))}.
     *
     * <p><b>Timeout:</b> waits at most the client's {@link Builder#responseTimeout(Duration) responseTimeout},
     * subject to the ambient {@link io.concurrence.Timeout}; then cancels the exchange and throws
     * {@link TimeoutException}. <b>Kill:</b> throws {@link TaskletExit}; the exchange is cancelled and its
     * connection closed. <b>Threads:</b> any thread that may block; safe for concurrent use.
     *
     * @param uri an absolute {@code http(s)} URI, or one relative to the base URL
     * @return the response, to be closed; its status may be any, 4xx and 5xx included
     * @throws IllegalArgumentException if {@code uri} is malformed, or relative without a base URL
     * @throws UncheckedIOException if the exchange fails in transport (refused, unknown host, reset, TLS)
     * @throws TimeoutException if a deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if the client is closed, or called on an event loop
     */
    public Response get(String uri) {
        return send(Request.get(uri));
    }

    /**
     * Sends a {@code GET} for {@code uri} and blocks until the response head has arrived, for at most
     * {@code timeout}; like {@code send(Request.get(uri), timeout)}.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link io.concurrence.Timeout}; then
     * cancels the exchange and throws {@link TimeoutException}. <b>Kill:</b> throws {@link TaskletExit}; the
     * exchange is cancelled. <b>Threads:</b> any thread that may block; safe for concurrent use.
     *
     * @param uri an absolute {@code http(s)} URI, or one relative to the base URL
     * @param timeout how long to wait for the response head at most; zero or negative: do not wait
     * @return the response, to be closed
     * @throws IllegalArgumentException if {@code uri} is malformed, or relative without a base URL
     * @throws UncheckedIOException if the exchange fails in transport
     * @throws TimeoutException if a deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if the client is closed, or called on an event loop
     */
    public Response get(String uri, Duration timeout) {
        return send(Request.get(uri), timeout);
    }

    /**
     * Sends {@code request} and blocks until the response head (status and headers) has arrived; the body
     * streams afterwards, as it is read. Waits first for a pooled connection to the host (opening one if the
     * pool has room), then sends the request, streaming its body.
     *
     * <p><b>Timeout:</b> waits at most the client's {@link Builder#responseTimeout(Duration) responseTimeout},
     * subject to the ambient {@link io.concurrence.Timeout}; within it, the connect and the wait for a pooled
     * connection have their own limits ({@link Builder#connectTimeout(Duration)},
     * {@link Builder#pendingAcquireTimeout(Duration)}). On timeout the exchange is cancelled and
     * {@link TimeoutException} names the method, the URL and the deadline. <b>Kill:</b> throws
     * {@link TaskletExit}; the exchange is cancelled and its connection closed (a waiting acquire is
     * withdrawn). <b>Threads:</b> any thread that may block; safe for concurrent use.
     *
     * @param request the request; relative URIs resolve against the base URL
     * @return the response, to be closed; its status may be any, 4xx and 5xx included
     * @throws IllegalArgumentException if the URI is malformed, or relative without a base URL
     * @throws UncheckedIOException if the exchange fails in transport (refused: cause
     *         {@link java.net.ConnectException}; unknown host: {@link java.net.UnknownHostException}; reset or
     *         premature close: {@link java.net.SocketException}; TLS: {@link javax.net.ssl.SSLException}), or
     *         reading a request body stream fails (cause: its {@link java.io.IOException})
     * @throws TimeoutException if a deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws ConcurrenceException if {@link Builder#pendingAcquireMaxCount(int)} exchanges already wait for a
     *         connection to the host
     * @throws IllegalStateException if the client is closed, or called on an event loop
     */
    public Response send(Request request) {
        return exchange(request, null);
    }

    /**
     * Sends {@code request} and blocks until the response head has arrived, for at most {@code timeout}
     * (instead of the client's responseTimeout). Otherwise like {@link #send(Request)}.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link io.concurrence.Timeout}; zero
     * or negative means "do not wait" (the call then practically always times out). On timeout the exchange
     * is cancelled and {@link TimeoutException} names the method, the URL and the deadline. <b>Kill:</b>
     * throws {@link TaskletExit}; the exchange is cancelled and its connection closed. <b>Threads:</b> any
     * thread that may block; safe for concurrent use.
     *
     * @param request the request; relative URIs resolve against the base URL
     * @param timeout how long to wait for the response head at most
     * @return the response, to be closed; its status may be any, 4xx and 5xx included
     * @throws IllegalArgumentException if the URI is malformed, or relative without a base URL
     * @throws UncheckedIOException if the exchange fails in transport (see {@link #send(Request)})
     * @throws TimeoutException if a deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws ConcurrenceException if too many exchanges already wait for a connection to the host
     * @throws IllegalStateException if the client is closed, or called on an event loop
     */
    public Response send(Request request, Duration timeout) {
        return exchange(request, Objects.requireNonNull(timeout, "timeout"));
    }

    private Response exchange(Request request, @Nullable Duration timeout) {
        Objects.requireNonNull(request, "request");
        URI uri = transport.resolve(request.uri());
        ClientExchange exchange = transport.exchange(request.method, uri, request.headers, request.bytes,
                request.text, request.stream, timeout);
        return new Response(exchange);
    }

    /**
     * The connection pool's figures now, summed over the hosts this client has talked to: connections open,
     * in use by an exchange, idle, and exchanges waiting for one. A response not yet read to its end or closed
     * holds its connection ({@code acquired}); once every response is closed and no exchange runs,
     * {@code acquired} and {@code pending} are 0 and {@code allocated == idle}. Non-blocking; any thread; the
     * figures are read one after the other, so under load they are a close snapshot rather than an atomic one.
     *
     * @return the figures; all zero before the first exchange
     */
    public PoolStats poolStats() {
        return transport.poolStats();
    }

    /**
     * Figures of a client's connection pool at one moment, summed over its hosts (each host has a pool of at
     * most {@link Builder#maxConnections(int) maxConnections}).
     *
     * @param hosts the hosts with a pool (one per remote address the client has connected to)
     * @param allocated connections open now (idle and in use)
     * @param acquired connections in use now by an exchange whose response is not yet read or closed
     * @param idle connections open and free now
     * @param pending exchanges waiting for a connection now
     * @since 0.1
     */
    public record PoolStats(int hosts, int allocated, int acquired, int idle, int pending) {
    }

    /**
     * Closes the client: disposes its connection pool, closing every connection (exchanges still in progress
     * fail). Idempotent; any thread. Later sends throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        URI base = transport.settings().baseUrl();
        return "HttpClient[" + (base == null ? "no baseUrl" : base) + (transport.isClosed() ? ", closed]" : "]");
    }

    /**
     * Options for an {@link HttpClient}. Setters record; {@link #build()} validates every option and throws
     * {@link IllegalArgumentException} naming the option and its accepted range. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {

        /** 10 MiB. */
        private static final long DEFAULT_MAX_RESPONSE_BODY_SIZE = 10L << 20;

        private @Nullable String baseUrl;
        private int maxConnections = 512;
        private int pendingAcquireMaxCount = 100_000;
        private Duration pendingAcquireTimeout = Duration.ofSeconds(45);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration responseTimeout = Duration.ofSeconds(60);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration maxIdleTime = Duration.ofSeconds(30);
        private boolean followRedirects;
        private final Map<String, List<String>> headers = ClientHeaders.newMap();
        private String userAgent = "Concurrence-Http/0.1";
        private long maxResponseBodySize = DEFAULT_MAX_RESPONSE_BODY_SIZE;
        private @Nullable ClientTls tls;

        private Builder() {
        }

        /**
         * The URL that relative request URIs resolve against (RFC 3986, as {@link URI#resolve(URI)}: end it
         * with {@code /} to resolve {@code "users"} below its path, e.g. {@code http://host/api/} +
         * {@code users} = {@code http://host/api/users}; {@code /users} replaces the path). Default: none, so
         * request URIs must be absolute.
         *
         * @param baseUrl an absolute {@code http(s)} URL
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * The most connections the pool keeps open to one host (scheme, host and port). Default: 512.
         *
         * @param maxConnections at least 1
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * The most exchanges that may wait for a connection to one host while all are busy; beyond it, sends
         * fail at once with {@link ConcurrenceException}. Default: 100 000 (thousands of tasklets may share a
         * small pool).
         *
         * @param pendingAcquireMaxCount at least 1
         * @return this builder
         */
        public Builder pendingAcquireMaxCount(int pendingAcquireMaxCount) {
            this.pendingAcquireMaxCount = pendingAcquireMaxCount;
            return this;
        }

        /**
         * How long an exchange waits for a pooled connection before it fails with {@link TimeoutException}.
         * Default: 45 s.
         *
         * @param pendingAcquireTimeout positive
         * @return this builder
         */
        public Builder pendingAcquireTimeout(Duration pendingAcquireTimeout) {
            this.pendingAcquireTimeout = Objects.requireNonNull(pendingAcquireTimeout, "pendingAcquireTimeout");
            return this;
        }

        /**
         * How long opening a TCP connection may take (DNS resolution aside). Default: 10 s.
         *
         * @param connectTimeout positive, at most {@code Integer.MAX_VALUE} milliseconds
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long an untimed {@link HttpClient#send(Request)} waits for the response head, counted from the
         * call (so including the wait for a connection and the connect). A timed send uses its own timeout
         * instead. Default: 60 s.
         *
         * @param responseTimeout positive
         * @return this builder
         */
        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = Objects.requireNonNull(responseTimeout, "responseTimeout");
            return this;
        }

        /**
         * How long a read of a response body waits for more bytes to arrive before it fails with
         * {@link TimeoutException}; time the reader spends elsewhere does not count. Default: 60 s.
         *
         * @param readTimeout positive
         * @return this builder
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
            return this;
        }

        /**
         * How long a pooled connection may stay idle before the client closes it; keep it below the servers'
         * keep-alive timeout. Default: 30 s.
         *
         * @param maxIdleTime positive
         * @return this builder
         */
        public Builder maxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = Objects.requireNonNull(maxIdleTime, "maxIdleTime");
            return this;
        }

        /**
         * Whether redirects ({@code 301, 302, 303, 307, 308}) are followed; when not, they are returned as
         * responses. Default: false.
         *
         * @param followRedirects true to follow
         * @return this builder
         */
        public Builder followRedirects(boolean followRedirects) {
            this.followRedirects = followRedirects;
            return this;
        }

        /**
         * Adds a header sent with every request, unless the request sets a header of that name. Default: none
         * besides {@link #userAgent(String) User-Agent}.
         *
         * @param name the header name (a token)
         * @param value the value (no CR or LF)
         * @return this builder
         * @throws IllegalArgumentException if the name or value is invalid
         */
        public Builder header(String name, String value) {
            ClientHeaders.check(name, value);
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        /**
         * The {@code User-Agent} header. Default: {@code Concurrence-Http/0.1}.
         *
         * @param userAgent the value
         * @return this builder
         */
        public Builder userAgent(String userAgent) {
            ClientHeaders.check("User-Agent", userAgent);
            this.userAgent = userAgent;
            return this;
        }

        /**
         * Secures https connections with {@code sslContext} (its trust and key managers, its protocols).
         * Default: the JDK's default trust store, with host name verification.
         *
         * @param sslContext an initialized JDK context
         * @return this builder
         */
        public Builder tls(SSLContext sslContext) {
            this.tls = ClientTls.of(sslContext);
            return this;
        }

        /**
         * Trusts the certificates of {@code trustStore} (and only those) for https, with host name
         * verification. Default: the JDK's default trust store.
         *
         * @param trustStore a loaded key store
         * @return this builder
         * @throws IllegalArgumentException if the key store cannot serve as a trust store
         */
        public Builder tlsTrustStore(KeyStore trustStore) {
            this.tls = ClientTls.trusting(trustStore);
            return this;
        }

        /**
         * Trusts <b>every</b> certificate and host name for https: for tests against self-signed servers only;
         * it offers no protection against an attacker in the middle. Default: off.
         *
         * @return this builder
         */
        public Builder tlsTrustAll() {
            this.tls = ClientTls.trustingAll();
            return this;
        }

        /**
         * The most bytes {@link Response#bodyBytes()} and {@link Response#bodyText()} accept; a longer body
         * makes them throw (read it with {@link Response#body()}, which has no limit). Default: 10 MiB.
         *
         * @param maxResponseBodySize in bytes, 0 or more
         * @return this builder
         */
        public Builder maxResponseBodySize(long maxResponseBodySize) {
            this.maxResponseBodySize = maxResponseBodySize;
            return this;
        }

        /**
         * Lets {@link Response#bodyBytes()} and {@link Response#bodyText()} accept bodies of any length (up
         * to what an array holds). Default: limited to 10 MiB.
         *
         * @return this builder
         */
        public Builder unlimitedResponseBodySize() {
            this.maxResponseBodySize = Long.MAX_VALUE;
            return this;
        }

        /**
         * Validates the options and builds the client. No connection is opened yet.
         *
         * @return a new client, to be closed
         * @throws IllegalArgumentException naming the first invalid option and its accepted range
         */
        public HttpClient build() {
            URI base = baseUrl == null ? null : parseBaseUrl(baseUrl);
            atLeast("maxConnections", maxConnections, 1);
            atLeast("pendingAcquireMaxCount", pendingAcquireMaxCount, 1);
            positive("pendingAcquireTimeout", pendingAcquireTimeout);
            positive("connectTimeout", connectTimeout);
            if (connectTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException("connectTimeout must be at most " + Integer.MAX_VALUE
                        + " ms, was " + connectTimeout);
            }
            positive("responseTimeout", responseTimeout);
            positive("readTimeout", readTimeout);
            positive("maxIdleTime", maxIdleTime);
            if (maxResponseBodySize < 0) {
                throw new IllegalArgumentException("maxResponseBodySize must be 0 or more bytes (or"
                        + " unlimitedResponseBodySize()), was " + maxResponseBodySize);
            }
            Map<String, List<String>> defaults = ClientHeaders.newMap();
            defaults.put("User-Agent", List.of(userAgent));
            defaults.putAll(headers);
            return new HttpClient(new ClientTransport(new ClientSettings(base, maxConnections,
                    pendingAcquireMaxCount, pendingAcquireTimeout, connectTimeout, responseTimeout, readTimeout,
                    maxIdleTime, followRedirects, defaults, maxResponseBodySize, tls)));
        }

        private static URI parseBaseUrl(String baseUrl) {
            URI base;
            try {
                base = new URI(baseUrl);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("baseUrl '" + baseUrl + "' is not a valid URI: " + e.getMessage(),
                        e);
            }
            ClientTransport.checkHttp(base, "baseUrl");
            if (base.getRawPath() == null || base.getRawPath().isEmpty()) {
                base = base.resolve("/"); // "http://host" resolves "x" to "http://hostx" otherwise
            }
            return base;
        }

        private static void atLeast(String option, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
            }
        }

        private static void positive(String option, Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(option + " must be positive, was " + value);
            }
        }
    }

    /**
     * An HTTP request: method, URI, headers and body. Immutable: {@link #header(String, String)} and the
     * {@code body(..)} methods return modified copies. A request with a byte or text body may be sent any
     * number of times; one with an {@link InputStream} body only once (the stream is consumed).
     * <pre>{@code
     * Request.post("/upload", bytes).header("Content-Type", "application/octet-stream");
     * Request.method("PATCH", "/items/7").body("{\"done\":true}").header("Content-Type", "application/json");
     * }</pre>
     *
     * @since 0.1
     */
    public static final class Request {

        private final String method;
        private final String uri;
        /** Unmodifiable, case-insensitive. */
        private final Map<String, List<String>> headers;
        private final byte @Nullable [] bytes;
        private final @Nullable InputStream stream;
        /** Whether the body is text (sent with {@code text/plain;charset=UTF-8} unless a type is set). */
        private final boolean text;

        private Request(String method, String uri, Map<String, List<String>> headers, byte @Nullable [] bytes,
                        @Nullable InputStream stream, boolean text) {
            this.method = method;
            this.uri = uri;
            this.headers = headers;
            this.bytes = bytes;
            this.stream = stream;
            this.text = text;
        }

        /**
         * A request with any method and no body.
         *
         * @param method the method (a token, e.g. {@code PATCH}); sent as given
         * @param uri an absolute {@code http(s)} URI, or one relative to the client's base URL
         * @return the request
         * @throws IllegalArgumentException if {@code method} is not a token
         */
        public static Request method(String method, String uri) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            if (!ClientHeaders.isToken(method)) {
                throw new IllegalArgumentException("invalid HTTP method '" + method
                        + "': expected a token such as GET or PATCH");
            }
            return new Request(method, uri, Map.of(), null, null, false);
        }

        /**
         * A {@code GET} request.
         *
         * @param uri an absolute {@code http(s)} URI, or one relative to the client's base URL
         * @return the request
         */
        public static Request get(String uri) {
            return method("GET", uri);
        }

        /**
         * A {@code DELETE} request.
         *
         * @param uri an absolute {@code http(s)} URI, or one relative to the client's base URL
         * @return the request
         */
        public static Request delete(String uri) {
            return method("DELETE", uri);
        }

        /**
         * A {@code POST} request with a byte body (sent with its {@code Content-Length}).
         *
         * @param uri an absolute {@code http(s)} URI, or one relative to the client's base URL
         * @param body the body (copied)
         * @return the request
         */
        public static Request post(String uri, byte[] body) {
            return method("POST", uri).body(body);
        }

        /**
         * A {@code POST} request with a text body, encoded in UTF-8 and sent as
         * {@code text/plain;charset=UTF-8} unless a {@code Content-Type} header is set.
         *
         * @param uri an absolute {@code http(s)} URI, or one relative to the client's base URL
         * @param body the body
         * @return the request
         */
        public static Request post(String uri, String body) {
            return method("POST", uri).body(body);
        }

        /**
         * A {@code PUT} request with a byte body (sent with its {@code Content-Length}).
         *
         * @param uri an absolute {@code http(s)} URI, or one relative to the client's base URL
         * @param body the body (copied)
         * @return the request
         */
        public static Request put(String uri, byte[] body) {
            return method("PUT", uri).body(body);
        }

        /**
         * A {@code PUT} request with a text body, encoded in UTF-8 and sent as
         * {@code text/plain;charset=UTF-8} unless a {@code Content-Type} header is set.
         *
         * @param uri an absolute {@code http(s)} URI, or one relative to the client's base URL
         * @param body the body
         * @return the request
         */
        public static Request put(String uri, String body) {
            return method("PUT", uri).body(body);
        }

        /**
         * A copy with header {@code name} set to {@code value}, replacing any value it had here or among the
         * client's default headers.
         *
         * @param name the header name (a token; case-insensitive)
         * @param value the value (no CR or LF)
         * @return the modified copy
         * @throws IllegalArgumentException if the name or value is invalid
         */
        public Request header(String name, String value) {
            ClientHeaders.check(name, value);
            Map<String, List<String>> copy = ClientHeaders.newMap();
            copy.putAll(headers);
            copy.put(name, List.of(value));
            return new Request(method, uri, ClientHeaders.copyOf(copy), bytes, stream, text);
        }

        /**
         * A copy with one more value for header {@code name} (for headers that may repeat).
         *
         * @param name the header name (a token; case-insensitive)
         * @param value the value (no CR or LF)
         * @return the modified copy
         * @throws IllegalArgumentException if the name or value is invalid
         */
        public Request addHeader(String name, String value) {
            ClientHeaders.check(name, value);
            Map<String, List<String>> copy = ClientHeaders.newMap();
            copy.putAll(headers);
            List<String> values = new ArrayList<>(copy.getOrDefault(name, List.of()));
            values.add(value);
            copy.put(name, values);
            return new Request(method, uri, ClientHeaders.copyOf(copy), bytes, stream, text);
        }

        /**
         * A copy with a byte body, sent with its {@code Content-Length}.
         *
         * @param body the body (copied)
         * @return the modified copy
         */
        public Request body(byte[] body) {
            return new Request(method, uri, headers, Objects.requireNonNull(body, "body").clone(), null, false);
        }

        /**
         * A copy with a text body, encoded in UTF-8 and sent with its {@code Content-Length}, as
         * {@code text/plain;charset=UTF-8} unless a {@code Content-Type} header is set.
         *
         * @param body the body
         * @return the modified copy
         */
        public Request body(String body) {
            byte[] utf8 = Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8);
            return new Request(method, uri, headers, utf8, null, true);
        }

        /**
         * A copy with a streamed body: read on demand as the connection can take it (on a separate virtual
         * thread, since reads block), sent chunked unless a {@code Content-Length} header is set (then exactly
         * that many bytes must follow). The client closes the stream once it has read it to its end; if the
         * exchange fails first, the stream is left to the caller to close. Such a request can be sent once.
         *
         * @param body the stream
         * @return the modified copy
         */
        public Request body(InputStream body) {
            return new Request(method, uri, headers, null, Objects.requireNonNull(body, "body"), false);
        }

        /**
         * The method.
         *
         * @return e.g. {@code GET}
         */
        public String method() {
            return method;
        }

        /**
         * The URI as given (resolved against the client's base URL when sent).
         *
         * @return the URI
         */
        public String uri() {
            return uri;
        }

        /**
         * The headers set on this request (not the client's defaults).
         *
         * @return an unmodifiable map with case-insensitive keys
         */
        public Map<String, List<String>> headers() {
            return headers;
        }

        @Override
        public String toString() {
            return method + " " + uri;
        }
    }

    /**
     * A response whose head has arrived: status, headers, and a body still on its connection. Read the body
     * once: as a stream ({@link #body()}) or whole ({@link #bodyBytes()}, {@link #bodyText()}; these may
     * then be called again). Reading it to its end, or {@link #close()}, returns the connection to the pool;
     * close every response (try-with-resources).
     *
     * <p>A response is used by one tasklet at a time; {@link #close()} may be called from any thread.
     *
     * @since 0.1
     */
    public static final class Response implements AutoCloseable {

        private final ClientExchange exchange;

        private Response(ClientExchange exchange) {
            this.exchange = exchange;
        }

        /**
         * The status code.
         *
         * @return e.g. 200 or 404
         */
        public int status() {
            return exchange.status();
        }

        /**
         * The first value of a response header.
         *
         * @param name the header name, case-insensitive
         * @return the value, or empty
         */
        public Optional<String> header(String name) {
            return exchange.header(Objects.requireNonNull(name, "name"));
        }

        /**
         * All response headers.
         *
         * @return an unmodifiable map with case-insensitive keys, values in arrival order
         */
        public Map<String, List<String>> headers() {
            return exchange.headers();
        }

        /**
         * Blocks until the whole body has arrived and returns it; the connection then goes back to the pool.
         * A second call returns the same bytes.
         *
         * <p><b>Timeout:</b> each wait for more bytes lasts at most the client's
         * {@link Builder#readTimeout(Duration) readTimeout}, subject to the ambient
         * {@link io.concurrence.Timeout}; on timeout the body is cancelled (its connection closed).
         * <b>Kill:</b> throws {@link TaskletExit}; the body is cancelled and its connection closed.
         * <b>Threads:</b> one tasklet at a time.
         *
         * @return the body
         * @throws IllegalStateException if the body is longer than
         *         {@link Builder#maxResponseBodySize(long) maxResponseBodySize} (the message names the limit; the
         *         connection is closed), was already read as a stream, or the response is closed
         * @throws UncheckedIOException if the connection fails while reading
         * @throws TimeoutException if a deadline passes first
         * @throws TaskletExit if the calling tasklet is killed while waiting
         */
        public byte[] bodyBytes() {
            return exchange.bodyBytes(null);
        }

        /**
         * Blocks until the whole body has arrived, for at most {@code timeout} in all, and returns it. Like
         * {@link #bodyBytes()}.
         *
         * <p><b>Timeout:</b> the tighter of {@code timeout}, the ambient {@link io.concurrence.Timeout}, and
         * per wait the client's readTimeout; on timeout the body is cancelled. <b>Kill:</b> throws
         * {@link TaskletExit}; the body is cancelled. <b>Threads:</b> one tasklet at a time.
         *
         * @param timeout how long the whole read may take
         * @return the body
         * @throws IllegalStateException if the body is longer than maxResponseBodySize, was already read as a
         *         stream, or the response is closed
         * @throws UncheckedIOException if the connection fails while reading
         * @throws TimeoutException if a deadline passes first
         * @throws TaskletExit if the calling tasklet is killed while waiting
         */
        public byte[] bodyBytes(Duration timeout) {
            return exchange.bodyBytes(Objects.requireNonNull(timeout, "timeout"));
        }

        /**
         * Blocks until the whole body has arrived and returns it decoded with the charset of its
         * {@code Content-Type} (UTF-8 when none is given). Like {@link #bodyBytes()}.
         *
         * <p><b>Timeout:</b> each wait for more bytes lasts at most the client's readTimeout, subject to the
         * ambient {@link io.concurrence.Timeout}. <b>Kill:</b> throws {@link TaskletExit}; the body is
         * cancelled. <b>Threads:</b> one tasklet at a time.
         *
         * @return the body as text
         * @throws IllegalStateException if the body is longer than maxResponseBodySize, was already read as a
         *         stream, its charset is unsupported, or the response is closed
         * @throws UncheckedIOException if the connection fails while reading
         * @throws TimeoutException if a deadline passes first
         * @throws TaskletExit if the calling tasklet is killed while waiting
         */
        public String bodyText() {
            return exchange.bodyText(null);
        }

        /**
         * Blocks until the whole body has arrived, for at most {@code timeout} in all, and returns it as text.
         * Like {@link #bodyText()}.
         *
         * <p><b>Timeout:</b> the tighter of {@code timeout}, the ambient {@link io.concurrence.Timeout}, and
         * per wait the client's readTimeout. <b>Kill:</b> throws {@link TaskletExit}; the body is cancelled.
         * <b>Threads:</b> one tasklet at a time.
         *
         * @param timeout how long the whole read may take
         * @return the body as text
         * @throws IllegalStateException if the body is longer than maxResponseBodySize, was already read as a
         *         stream, its charset is unsupported, or the response is closed
         * @throws UncheckedIOException if the connection fails while reading
         * @throws TimeoutException if a deadline passes first
         * @throws TaskletExit if the calling tasklet is killed while waiting
         */
        public String bodyText(Duration timeout) {
            return exchange.bodyText(Objects.requireNonNull(timeout, "timeout"));
        }

        /**
         * The body as a stream, with no size limit: bytes are read from the connection as the stream is read
         * (a few buffers ahead), so memory stays bounded and a reader that stops makes the server's writes back
         * up. The same stream on every call. Its {@code read} methods block until bytes arrive:
         *
         * <p><b>Timeout:</b> each read waits at most the client's {@link Builder#readTimeout(Duration)
         * readTimeout}, subject to the ambient {@link io.concurrence.Timeout}, then throws
         * {@link TimeoutException}. <b>Kill:</b> a read throws {@link TaskletExit}. Either way the body is
         * cancelled (its connection closed) and later reads throw {@link java.io.IOException}; a body cut short
         * never reads as complete. A transport failure throws {@link UncheckedIOException}. <b>Threads:</b> one
         * reader at a time; closing the stream closes the response.
         *
         * @return the body stream
         * @throws IllegalStateException if the body was already read whole, or the response is closed
         */
        public InputStream body() {
            return exchange.body();
        }

        /**
         * Releases the connection: if the body was read to its end, it is back in the pool already; if it has
         * fully arrived, the rest is discarded and the connection kept; otherwise the connection is closed.
         * Idempotent; any thread; never blocks.
         */
        @Override
        public void close() {
            exchange.close();
        }

        @Override
        public String toString() {
            return "Response[" + exchange + "]";
        }
    }
}
