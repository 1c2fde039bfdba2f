package io.concurrence.http;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;

import org.jspecify.annotations.Nullable;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.resources.LoopResources;

import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.http.internal.ServerConfig;
import io.concurrence.http.internal.Exchanges;
import io.concurrence.http.internal.ServerRuntime;
import io.concurrence.internal.Deadlines;
import io.concurrence.reactor.internal.Listeners;
import io.concurrence.reactor.internal.MonoAwaiter;
import io.concurrence.reactor.internal.NettyFutures;
import io.concurrence.reactor.internal.TransportErrors;

/**
 * An HTTP server whose every request runs its {@link HttpHandler} in a tasklet: plain blocking code,
 * served by Reactor Netty.
 * <pre>{@code
 * HttpServer server = HttpServer.builder()
 *         .port(8080)
 *         .handler((request, response) -> response.send("Hello, " + request.query("name").orElse("world")))
 *         .build()
 *         .start();
 * ...
 * server.stop(Duration.ofSeconds(10));   // graceful: in-flight requests finish, then connections close
 * }</pre>
 *
 * <h2>Protocol</h2>
 * HTTP/1.1 with keep-alive (HTTP/1.0 connections close after each response unless they ask for
 * keep-alive), pipelined requests answered in order, any method name, {@code HEAD} (the head only),
 * {@code Expect: 100-continue} (answered when the handler first reads the body), chunked responses for
 * streamed bodies, {@code Date} and {@code Server} headers. Optional TLS and HTTP/2 ({@code h2} over TLS,
 * {@code h2c} in the clear) with the same handler code.
 *
 * <h2>Limits</h2>
 * Every limit has a default and a builder option: a request line longer than
 * {@link Builder#maxInitialLineLength(int)} gets {@code 414}, headers larger than
 * {@link Builder#maxHeaderSize(int)} {@code 431}, a body read whole larger than
 * {@link Builder#maxRequestBodySize(long)} {@code 413}, a malformed request {@code 400}, a request line of
 * an HTTP version other than 1.x {@code 505}, a request head not received within
 * {@link Builder#requestTimeout(Duration)} of its first byte {@code 408}; a body not received within it once
 * the head has arrived has its connection closed. Each of these closes its connection and
 * the server keeps serving everyone else. Idle keep-alive connections close
 * after {@link Builder#idleTimeout(Duration)}; connections beyond {@link Builder#maxConnections(int)} are
 * closed at once.
 *
 * <h2>Errors</h2>
 * A handler exception becomes a {@code 500} with no internals in the body (or the status of an
 * {@link HttpStatusException}), logged once with the request line. A handler that fails after its response
 * has started streaming has its connection closed.
 *
 * <h2>Observability</h2>
 * Access log on the SLF4J logger {@code io.concurrence.http.access} when {@link Builder#accessLog(boolean)};
 * Micrometer meters in {@code Metrics.globalRegistry} when Micrometer is on the class path (see
 * {@link Builder#metrics(boolean)}).
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class HttpServer implements AutoCloseable {

    private final ServerConfig config;
    /** Set by {@link #start()}. */
    private volatile @Nullable ServerRuntime runtime;
    /** Set by {@link #start()}. */
    private volatile @Nullable DisposableServer server;
    private volatile boolean stopped;

    private HttpServer(ServerConfig config) {
        this.config = config;
    }

    /**
     * A builder with the defaults documented on each option.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The port the server listens on (the one picked when built with port 0).
     *
     * @return the port
     */
    public int port() {
        return running().port();
    }

    /**
     * The host the server listens on.
     *
     * @return the host, as configured
     */
    public String host() {
        return config.host();
    }

    /**
     * Stops gracefully: stops accepting connections, closes idle ones, lets requests in flight finish (their
     * responses close their connections) within {@code grace}, then closes the rest (their handlers are
     * killed). Blocks until done. A second call does nothing.
     *
     * <p><b>Threads:</b> any thread that may block.
     *
     * @param grace how long in-flight requests may take to finish
     */
    public void stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        DisposableServer bound = server;
        ServerRuntime state = runtime;
        if (stopped || bound == null || state == null) {
            stopped = true;
            return;
        }
        stopped = true;
        NettyFutures.await(bound.channel().close(), Deadlines.after(Duration.ofSeconds(10)),
                Duration.ofSeconds(10), "HttpServer.stop");
        state.stopGracefully(grace);
    }

    /**
     * Stops at once: closes the listening socket and every connection (handlers are killed). Called while a
     * {@link #stop(Duration)} waits, it cuts the grace short. Returns once the port is released (at most 10 s), so
     * that a client connecting afterwards is refused and the port can be bound again. Idempotent.
     *
     * <p><b>Kill:</b> a tasklet killed while it waits for the port throws {@link TaskletExit}; the server is closed
     * all the same, only that wait is cut short.
     */
    @Override
    public void close() {
        stopped = true;
        DisposableServer bound = server;
        ServerRuntime state = runtime;
        if (bound == null || state == null) {
            return;
        }
        bound.dispose();
        state.closeAll();
        Listeners.awaitReleased(bound.onDispose(), this);
    }

    /**
     * Binds and starts serving. Starting a server twice throws.
     *
     * <p><b>Timeout:</b> binding honours the ambient {@link io.concurrence.Timeout}. <b>Threads:</b> any
     * thread that may block.
     *
     * @return this server, running
     * @throws java.io.UncheckedIOException if the address cannot be bound (e.g. the port is in use)
     * @throws IllegalStateException if the server was started before
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while binding
     */
    public synchronized HttpServer start() {
        if (server != null || stopped) {
            throw new IllegalStateException("HttpServer on " + config.host() + ":" + config.port()
                    + " was started before; build a new one");
        }
        ServerRuntime state = new ServerRuntime(config);
        DisposableServer bound = Binder.bind(config, state);
        state.started(bound.port());
        runtime = state;
        server = bound;
        return this;
    }

    private DisposableServer running() {
        DisposableServer bound = server;
        if (bound == null) {
            throw new IllegalStateException("HttpServer not started; call start()");
        }
        return bound;
    }

    @Override
    public String toString() {
        DisposableServer bound = server;
        return "HttpServer[" + config.host() + ":" + (bound == null ? config.port() + ", not started"
                : bound.port() + (stopped ? ", stopped" : "")) + "]";
    }

    /**
     * Configures an {@link HttpServer}; {@link #build()} validates, {@link HttpServer#start()} binds.
     */
    public static final class Builder {

        private String host = "0.0.0.0";
        private int port = 8080;
        private @Nullable HttpHandler handler;
        private long maxRequestBodySize = 10L * 1024 * 1024;
        private long maxStreamedBodySize = Long.MAX_VALUE;
        private int maxHeaderSize = 8192;
        private int maxInitialLineLength = 4096;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxConnections = Integer.MAX_VALUE;
        private ServerConfig.@Nullable TlsConfig tls;
        private boolean http2;
        private boolean accessLog;
        private boolean metrics = true;
        private String serverHeader = "Concurrence/0.1";
        private boolean eventLoopCarriers;

        private Builder() {
        }

        /**
         * The address to listen on. Default: {@code 0.0.0.0} (every interface).
         *
         * @param host a host name or address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The port to listen on; 0 picks a free one (see {@link HttpServer#port()}). Default: 8080.
         *
         * @param port 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The handler every request runs, in its own tasklet. Required.
         *
         * @param handler the handler (a {@code Router}, for instance)
         * @return this builder
         */
        public Builder handler(HttpHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * The largest body {@link HttpRequest#bodyBytes()} and {@code bodyText()} accept; beyond it they
         * throw {@link HttpStatusException} 413 (a larger declared {@code Content-Length} fails at once).
         * Default: 10 MiB.
         *
         * @param bytes at least 0
         * @return this builder
         */
        public Builder maxRequestBodySize(long bytes) {
            this.maxRequestBodySize = bytes;
            return this;
        }

        /**
         * Limits the body read as a stream ({@link HttpRequest#body()}) too: a read past it throws
         * {@link HttpStatusException} 413. Default: unlimited (the stream is backpressured, so memory stays
         * bounded anyway).
         *
         * @param bytes at least 0
         * @return this builder
         */
        public Builder maxStreamedBodySize(long bytes) {
            this.maxStreamedBodySize = bytes;
            return this;
        }

        /**
         * The largest request head (all header lines); larger gets 431. Default: 8 KiB.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxHeaderSize(int bytes) {
            this.maxHeaderSize = bytes;
            return this;
        }

        /**
         * The longest request line; longer gets 414. Default: 4 KiB.
         *
         * @param bytes at least 256
         * @return this builder
         */
        public Builder maxInitialLineLength(int bytes) {
            this.maxInitialLineLength = bytes;
            return this;
        }

        /**
         * How long a kept-alive connection may stay idle between requests before it is closed. Default: 60 s.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long a client may take to send a request's head, from its first byte (beyond it: {@code 408} and
         * the connection closes), and then its body (beyond it the connection closes and the handler's body
         * read throws {@code TimeoutException}). Default: 30 s.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The most connections open at once; further ones are closed as they arrive. Default: unlimited.
         *
         * @param connections at least 1
         * @return this builder
         */
        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        /**
         * Serves HTTPS with the certificate chain and private key in a key store. Default: no TLS.
         *
         * @param keyStore a PKCS#12 (or JKS) file
         * @param password the store's (and key's) password
         * @return this builder
         */
        public Builder tls(Path keyStore, char[] password) {
            this.tls = new ServerConfig.TlsConfig(Objects.requireNonNull(keyStore, "keyStore"),
                    Objects.requireNonNull(password, "password").clone());
            return this;
        }

        /**
         * Enables HTTP/2 besides HTTP/1.1: {@code h2} negotiated by ALPN with TLS, {@code h2c} (prior knowledge
         * or upgrade) without. The handlers are the same. Default: off.
         *
         * @param enabled whether to offer HTTP/2
         * @return this builder
         */
        public Builder http2(boolean enabled) {
            this.http2 = enabled;
            return this;
        }

        /**
         * Logs every request (client, request line, status, bytes, milliseconds) at INFO on the SLF4J logger
         * {@code io.concurrence.http.access}. Default: off.
         *
         * @param enabled whether to log requests
         * @return this builder
         */
        public Builder accessLog(boolean enabled) {
            this.accessLog = enabled;
            return this;
        }

        /**
         * Records Micrometer meters ({@code concurrence.http.server.requests},
         * {@code concurrence.http.server.connections}, {@code concurrence.http.server.requests.active}) in
         * {@code Metrics.globalRegistry} when Micrometer is on the class path. Default: on.
         *
         * @param enabled whether to record metrics
         * @return this builder
         */
        public Builder metrics(boolean enabled) {
            this.metrics = enabled;
            return this;
        }

        /**
         * The {@code Server} header value. Default: {@code Concurrence/0.1}.
         *
         * @param value a header value
         * @return this builder
         */
        public Builder serverHeader(String value) {
            this.serverHeader = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * Experimental: runs each request's tasklet on the Netty event loop that read the request, as its
         * virtual thread's carrier, instead of on the JDK's default scheduler. The hand-off to the handler and
         * back then costs no thread wake-up, which roughly doubles the throughput of short requests; but while
         * a handler computes, its event loop serves no other connection, and a handler pinned in native code
         * (or, before JDK 24, blocking inside {@code synchronized}) stalls the loop. Tasklets the handler
         * spawns run on the default scheduler. See {@code docs/http.md}.
         *
         * <p>Needs the JVM option {@code --add-opens java.base/java.lang=ALL-UNNAMED} (on the module path:
         * {@code =io.concurrence}); without it the server logs a warning at start and uses the default
         * scheduler. Default: off.
         *
         * @param enabled whether handlers run on the event loops
         * @return this builder
         */
        public Builder eventLoopCarriers(boolean enabled) {
            this.eventLoopCarriers = enabled;
            return this;
        }

        /**
         * Validates the configuration.
         *
         * @return a server ready to {@link HttpServer#start() start}
         * @throws IllegalArgumentException naming the first option out of range
         * @throws IllegalStateException if no handler was set
         */
        public HttpServer build() {
            if (handler == null) {
                throw new IllegalStateException("HttpServer.Builder: handler(...) is required");
            }
            require(port >= 0 && port <= 65_535, "port", "0 to 65535", port);
            require(maxRequestBodySize >= 0, "maxRequestBodySize", "0 or more", maxRequestBodySize);
            require(maxStreamedBodySize >= 0, "maxStreamedBodySize", "0 or more", maxStreamedBodySize);
            require(maxHeaderSize >= 1024, "maxHeaderSize", "1024 or more", maxHeaderSize);
            require(maxInitialLineLength >= 256, "maxInitialLineLength", "256 or more", maxInitialLineLength);
            require(maxConnections >= 1, "maxConnections", "1 or more", maxConnections);
            require(!idleTimeout.isNegative() && !idleTimeout.isZero(), "idleTimeout", "positive", idleTimeout);
            require(!requestTimeout.isNegative() && !requestTimeout.isZero(), "requestTimeout", "positive",
                    requestTimeout);
            if (tls != null && !Files.isReadable(tls.keyStore())) {
                throw new IllegalArgumentException("HttpServer.Builder: tls key store " + tls.keyStore()
                        + " is not a readable file");
            }
            return new HttpServer(new ServerConfig(host, port, handler, maxRequestBodySize, maxStreamedBodySize,
                    maxHeaderSize, maxInitialLineLength, idleTimeout, requestTimeout, maxConnections, tls, http2,
                    accessLog, metrics, serverHeader, eventLoopCarriers));
        }

        private static void require(boolean ok, String option, String range, Object value) {
            if (!ok) {
                throw new IllegalArgumentException("HttpServer.Builder: " + option + " must be " + range + ", was "
                        + value);
            }
        }
    }

    /** Builds Reactor Netty's server from a configuration, and binds it. */
    private static final class Binder {

        /**
         * The event loops of every server in the JVM: one per available processor (Reactor Netty's default is at
         * least 4). Handlers run elsewhere, so the loops only parse and write; more loops than cores only add
         * context switches to every hop (measured: 30 000 against 22 000 requests/s on 2 cores with 4 loops).
         * Daemon threads, like Reactor Netty's global loops. The system property
         * {@code io.concurrence.http.server.eventLoops} sets another count.
         *
         * <p>Connections are accepted on a loop of their own: accepting on the loops that serve requests let a
         * storm of new connections under load wait behind the requests of the connections already open (a
         * loop accepts a few connections per turn), so the first request of some of 1 000 new connections
         * waited over a second (p99.9 1.0–1.4 s against 43–190 ms with the acceptor loop, wrk -c1000).
         */
        private static final class Loops {
            static final LoopResources SHARED = LoopResources.create("concurrence-http", 1,
                    Integer.getInteger("io.concurrence.http.server.eventLoops",
                            Math.max(1, Runtime.getRuntime().availableProcessors())), true);
        }

        private Binder() {
        }

        static DisposableServer bind(ServerConfig config, ServerRuntime runtime) {
            reactor.netty.http.server.HttpServer netty = reactor.netty.http.server.HttpServer.create()
                    .runOn(Loops.SHARED)
                    .host(config.host())
                    .port(config.port())
                    .idleTimeout(config.idleTimeout())
                    .requestTimeout(config.requestTimeout())
                    .httpRequestDecoder(spec -> spec
                            .maxHeaderSize(config.maxHeaderSize())
                            .maxInitialLineLength(config.maxInitialLineLength()))
                    .doOnChannelInit((observer, channel, address) -> {
                        runtime.connectionOpened(channel);
                        Exchanges.initChannel(runtime, channel.pipeline());
                    })
                    .handle((request, response) -> Exchanges.handle(runtime, request, response));
            netty = configureProtocols(netty, config);
            DisposableServer bound;
            try {
                bound = MonoAwaiter.await(netty.bind(), null, "HttpServer.start on " + config.host() + ":"
                        + config.port());
            } catch (TimeoutException | TaskletExit e) {
                throw e;
            } catch (RuntimeException e) {
                throw TransportErrors.translate("Could not listen on " + config.host() + ":" + config.port(), e);
            }
            return Objects.requireNonNull(bound, "bind() completed without a server");
        }

        private static reactor.netty.http.server.HttpServer configureProtocols(
                reactor.netty.http.server.HttpServer netty, ServerConfig config) {
            ServerConfig.TlsConfig tls = config.tls();
            if (tls == null) {
                return config.http2() ? netty.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C) : netty;
            }
            SslContext ssl = sslContext(tls, config.http2());
            reactor.netty.http.server.HttpServer secured = netty.secure(spec -> spec.sslContext(ssl));
            return config.http2() ? secured.protocol(HttpProtocol.HTTP11, HttpProtocol.H2) : secured;
        }

        private static SslContext sslContext(ServerConfig.TlsConfig tls, boolean http2) {
            try (InputStream in = Files.newInputStream(tls.keyStore())) {
                String type = tls.keyStore().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jks")
                        ? "JKS" : "PKCS12";
                KeyStore store = KeyStore.getInstance(type);
                store.load(in, tls.password());
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, tls.password());
                SslContextBuilder builder = SslContextBuilder.forServer(keys);
                if (http2) {
                    builder.applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                            io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                            io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            io.netty.handler.ssl.ApplicationProtocolNames.HTTP_2,
                            io.netty.handler.ssl.ApplicationProtocolNames.HTTP_1_1));
                }
                return builder.build();
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                throw new IllegalArgumentException("HttpServer: cannot load the TLS key store " + tls.keyStore()
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
