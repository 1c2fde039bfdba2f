package io.concurrence.http.internal;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.concurrence.http.HttpHandler;

/**
 * A built server's settings (see {@code HttpServer.Builder} for each one's meaning and default).
 *
 * @param maxStreamedBodySize {@code Long.MAX_VALUE} for no limit
 * @param maxConnections {@code Integer.MAX_VALUE} for no limit
 * @param tls null without TLS
 * @param eventLoopCarriers whether request tasklets run on the event loops (see {@code HandlerThreads})
 */
public record ServerConfig(String host, int port, HttpHandler handler, long maxRequestBodySize,
                           long maxStreamedBodySize, int maxHeaderSize, int maxInitialLineLength,
                           Duration idleTimeout, Duration requestTimeout, int maxConnections,
                           @Nullable TlsConfig tls, boolean http2, boolean accessLog, boolean metrics,
                           String serverHeader, boolean eventLoopCarriers) {

    /**
     * A key store holding the server's certificate chain and private key.
     *
     * @param keyStore a PKCS#12 or JKS file
     * @param password its password (also the key's)
     */
    public record TlsConfig(java.nio.file.Path keyStore, char[] password) {
    }
}
