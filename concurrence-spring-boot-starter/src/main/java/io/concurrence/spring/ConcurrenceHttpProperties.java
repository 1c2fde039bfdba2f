package io.concurrence.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code concurrence.http.*} properties: the Concurrence {@code HttpServer} that
 * {@link ConcurrenceHttpAutoConfiguration} starts with the application. Each option mirrors one of
 * {@code HttpServer.Builder}'s, with the same default. A value out of range fails binding, and with it the
 * application's start, with a message naming the property (e.g.
 * {@code concurrence.http.port: -1 is out of range 0..65535}).
 *
 * <p>Not thread-safe: bound once, at start, by Spring Boot.
 *
 * @since 0.1
 */
@ConfigurationProperties("concurrence.http")
public class ConcurrenceHttpProperties {

    /** What happens to requests in flight when the application stops. */
    public enum Shutdown {
        /** Stop accepting connections and let requests in flight finish, up to the shutdown timeout. */
        GRACEFUL,
        /** Close every connection at once; handlers in flight are killed. */
        IMMEDIATE
    }

    /** Whether to start a Concurrence HTTP server with the application. */
    private boolean enabled = true;

    /** The port to listen on; 0 picks a free one (published as local.concurrence.http.port). */
    private int port = 8080;

    /** The address to listen on; 0.0.0.0 is every interface. */
    private String host = "0.0.0.0";

    /** The most connections open at once; further ones are closed as they arrive. Unset: unlimited. */
    private @Nullable Integer maxConnections;

    /** The largest request body read whole (bodyBytes, bodyText, @Body); larger gets 413. */
    private DataSize maxRequestBodySize = DataSize.ofMegabytes(10);

    /** The largest request body read as a stream; a read past it gets 413. Unset: unlimited. */
    private @Nullable DataSize maxStreamedBodySize;

    /** The largest request head (all header lines); larger gets 431. At least 1KB. */
    private DataSize maxHeaderSize = DataSize.ofKilobytes(8);

    /** The longest request line; longer gets 414. At least 256B. */
    private DataSize maxInitialLineLength = DataSize.ofKilobytes(4);

    /** How long a kept-alive connection may stay idle between requests before it is closed. */
    private Duration idleTimeout = Duration.ofSeconds(60);

    /** How long a client may take to send a request's head (then 408), and then its body. */
    private Duration requestTimeout = Duration.ofSeconds(30);

    /** Whether to offer HTTP/2 besides HTTP/1.1: h2 by ALPN with TLS, h2c without. */
    private boolean http2;

    /** Whether to log every request at INFO on the SLF4J logger io.concurrence.http.access. */
    private boolean accessLog;

    /** Whether to record the server's Micrometer meters. */
    private boolean metrics = true;

    /** The Server header value. */
    private String serverHeader = "Concurrence/0.1";

    /**
     * What happens to requests in flight when the application stops. Unset: the value of server.shutdown if
     * set, else graceful.
     */
    private @Nullable Shutdown shutdown;

    /** With graceful shutdown, how long requests in flight may take to finish before they are cut off. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /** TLS: serve HTTPS with the certificate and key of a key store. */
    private final Tls tls = new Tls();

    /** Creates properties holding the defaults. */
    public ConcurrenceHttpProperties() {
    }

    /**
     * Whether to start a server.
     *
     * @return {@code true} unless turned off
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Turns the server on or off.
     *
     * @param enabled whether to start a server
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The port to listen on.
     *
     * @return 0 to 65535
     */
    public int getPort() {
        return port;
    }

    /**
     * Sets the port.
     *
     * @param port 0 (any free port) to 65535
     * @throws IllegalArgumentException if out of range
     */
    public void setPort(int port) {
        check(port >= 0 && port <= 65_535, "port", port, "is out of range 0..65535");
        this.port = port;
    }

    /**
     * The address to listen on.
     *
     * @return a host name or address
     */
    public String getHost() {
        return host;
    }

    /**
     * Sets the address to listen on.
     *
     * @param host a host name or address
     */
    public void setHost(String host) {
        check(host != null && !host.isBlank(), "host", host, "must not be blank");
        this.host = host;
    }

    /**
     * The most connections open at once.
     *
     * @return the limit, or {@code null} for unlimited
     */
    public @Nullable Integer getMaxConnections() {
        return maxConnections;
    }

    /**
     * Sets the most connections open at once.
     *
     * @param maxConnections at least 1, or {@code null} for unlimited
     */
    public void setMaxConnections(@Nullable Integer maxConnections) {
        check(maxConnections == null || maxConnections >= 1, "max-connections", maxConnections,
                "must be at least 1 (leave it unset for no limit)");
        this.maxConnections = maxConnections;
    }

    /**
     * The largest body read whole.
     *
     * @return the limit
     */
    public DataSize getMaxRequestBodySize() {
        return maxRequestBodySize;
    }

    /**
     * Sets the largest body read whole.
     *
     * @param maxRequestBodySize 0 or more
     */
    public void setMaxRequestBodySize(DataSize maxRequestBodySize) {
        check(maxRequestBodySize != null && !maxRequestBodySize.isNegative(), "max-request-body-size",
                maxRequestBodySize, "must be 0 or more");
        this.maxRequestBodySize = maxRequestBodySize;
    }

    /**
     * The largest body read as a stream.
     *
     * @return the limit, or {@code null} for unlimited
     */
    public @Nullable DataSize getMaxStreamedBodySize() {
        return maxStreamedBodySize;
    }

    /**
     * Sets the largest body read as a stream.
     *
     * @param maxStreamedBodySize 0 or more, or {@code null} for unlimited
     */
    public void setMaxStreamedBodySize(@Nullable DataSize maxStreamedBodySize) {
        check(maxStreamedBodySize == null || !maxStreamedBodySize.isNegative(), "max-streamed-body-size",
                maxStreamedBodySize, "must be 0 or more (leave it unset for no limit)");
        this.maxStreamedBodySize = maxStreamedBodySize;
    }

    /**
     * The largest request head.
     *
     * @return the limit
     */
    public DataSize getMaxHeaderSize() {
        return maxHeaderSize;
    }

    /**
     * Sets the largest request head.
     *
     * @param maxHeaderSize 1KB to 2GB
     */
    public void setMaxHeaderSize(DataSize maxHeaderSize) {
        check(maxHeaderSize != null && maxHeaderSize.toBytes() >= 1024
                && maxHeaderSize.toBytes() <= Integer.MAX_VALUE, "max-header-size", maxHeaderSize,
                "is out of range 1KB..2GB");
        this.maxHeaderSize = maxHeaderSize;
    }

    /**
     * The longest request line.
     *
     * @return the limit
     */
    public DataSize getMaxInitialLineLength() {
        return maxInitialLineLength;
    }

    /**
     * Sets the longest request line.
     *
     * @param maxInitialLineLength 256B to 2GB
     */
    public void setMaxInitialLineLength(DataSize maxInitialLineLength) {
        check(maxInitialLineLength != null && maxInitialLineLength.toBytes() >= 256
                && maxInitialLineLength.toBytes() <= Integer.MAX_VALUE, "max-initial-line-length",
                maxInitialLineLength, "is out of range 256B..2GB");
        this.maxInitialLineLength = maxInitialLineLength;
    }

    /**
     * How long a kept-alive connection may stay idle.
     *
     * @return a positive duration
     */
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    /**
     * Sets how long a kept-alive connection may stay idle.
     *
     * @param idleTimeout positive
     */
    public void setIdleTimeout(Duration idleTimeout) {
        check(isPositive(idleTimeout), "idle-timeout", idleTimeout, "must be positive");
        this.idleTimeout = idleTimeout;
    }

    /**
     * How long a client may take to send a request.
     *
     * @return a positive duration
     */
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    /**
     * Sets how long a client may take to send a request.
     *
     * @param requestTimeout positive
     */
    public void setRequestTimeout(Duration requestTimeout) {
        check(isPositive(requestTimeout), "request-timeout", requestTimeout, "must be positive");
        this.requestTimeout = requestTimeout;
    }

    /**
     * Whether HTTP/2 is offered.
     *
     * @return {@code true} if on
     */
    public boolean isHttp2() {
        return http2;
    }

    /**
     * Offers HTTP/2 or not.
     *
     * @param http2 whether to offer HTTP/2
     */
    public void setHttp2(boolean http2) {
        this.http2 = http2;
    }

    /**
     * Whether requests are logged.
     *
     * @return {@code true} if on
     */
    public boolean isAccessLog() {
        return accessLog;
    }

    /**
     * Logs requests or not.
     *
     * @param accessLog whether to log requests
     */
    public void setAccessLog(boolean accessLog) {
        this.accessLog = accessLog;
    }

    /**
     * Whether meters are recorded.
     *
     * @return {@code true} if on
     */
    public boolean isMetrics() {
        return metrics;
    }

    /**
     * Records meters or not.
     *
     * @param metrics whether to record meters
     */
    public void setMetrics(boolean metrics) {
        this.metrics = metrics;
    }

    /**
     * The {@code Server} header value.
     *
     * @return the value
     */
    public String getServerHeader() {
        return serverHeader;
    }

    /**
     * Sets the {@code Server} header value.
     *
     * @param serverHeader a header value
     */
    public void setServerHeader(String serverHeader) {
        this.serverHeader = Objects.requireNonNull(serverHeader, "serverHeader");
    }

    /**
     * The shutdown mode, if set.
     *
     * @return the mode, or {@code null} to follow {@code server.shutdown}
     */
    public @Nullable Shutdown getShutdown() {
        return shutdown;
    }

    /**
     * Sets the shutdown mode.
     *
     * @param shutdown the mode, or {@code null} to follow {@code server.shutdown}
     */
    public void setShutdown(@Nullable Shutdown shutdown) {
        this.shutdown = shutdown;
    }

    /**
     * How long requests in flight may take to finish on a graceful shutdown.
     *
     * @return zero or more
     */
    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * Sets how long requests in flight may take to finish on a graceful shutdown.
     *
     * @param shutdownTimeout zero or more
     */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        check(shutdownTimeout != null && !shutdownTimeout.isNegative(), "shutdown-timeout", shutdownTimeout,
                "must be 0 or more");
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * The TLS settings.
     *
     * @return the nested {@code concurrence.http.tls.*} properties
     */
    public Tls getTls() {
        return tls;
    }

    private static boolean isPositive(@Nullable Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private static void check(boolean ok, String property, @Nullable Object value, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("concurrence.http." + property + ": " + value + " " + problem);
        }
    }

    /**
     * The {@code concurrence.http.tls.*} properties: HTTPS from a key store. TLS is on when
     * {@code key-store} is set.
     */
    public static class Tls {

        /** A PKCS#12 (or, by its .jks extension, JKS) file holding the certificate chain and private key. */
        private @Nullable Path keyStore;

        /** The password of the key store and of its key. */
        private @Nullable String keyStorePassword;

        /** Creates TLS properties holding the defaults: no key store, so no TLS. */
        public Tls() {
        }

        /**
         * The key store.
         *
         * @return the file, or {@code null} for no TLS
         */
        public @Nullable Path getKeyStore() {
            return keyStore;
        }

        /**
         * Sets the key store.
         *
         * @param keyStore the file, or {@code null} for no TLS
         */
        public void setKeyStore(@Nullable Path keyStore) {
            this.keyStore = keyStore;
        }

        /**
         * The key store's password.
         *
         * @return the password, or {@code null}
         */
        public @Nullable String getKeyStorePassword() {
            return keyStorePassword;
        }

        /**
         * Sets the key store's password.
         *
         * @param keyStorePassword the password
         */
        public void setKeyStorePassword(@Nullable String keyStorePassword) {
            this.keyStorePassword = keyStorePassword;
        }

        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + ", keyStorePassword=" + (keyStorePassword == null ? null : "***")
                    + "]";
        }
    }
}
