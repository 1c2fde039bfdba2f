package io.concurrence.remote.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.jspecify.annotations.Nullable;

import io.concurrence.remote.RemoteTransport;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.rsocket.transport.ClientTransport;
import io.rsocket.transport.ServerTransport;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.transport.netty.client.WebsocketClientTransport;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.rsocket.transport.netty.server.WebsocketServerTransport;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.SslProvider;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/** The RSocket transports of both sides: TCP or WebSocket, each with optional TLS. */
public final class Transports {

    /** The WebSocket path the server answers on and the client asks for. */
    static final String WEBSOCKET_PATH = "/";
    /**
     * What an RSocket frame may hold beyond a codec frame: its header, the metadata naming the operation and the
     * target, and in a setup frame the MIME types and the auth token.
     */
    static final int FRAME_HEADROOM = 64 * 1024;
    /** The largest frame RSocket's length prefix can announce (24 bits). */
    static final int MAX_RSOCKET_FRAME = 0xFF_FFFF;

    private Transports() {
    }

    /**
     * The largest RSocket frame, and payload reassembled from fragments, a server with codec frames of up to
     * {@code maxFrameBytes} accepts over {@code kind}: {@code maxFrameBytes} and {@link #FRAME_HEADROOM} over TCP,
     * where larger frames close their connection as they are announced; RSocket's 16 MiB frame length over
     * WebSocket (its transport does not take a smaller one). Without it RSocket would reassemble fragments without
     * limit. Between {@code maxFrameBytes} and this, the codec refuses the frame with an error naming the limit.
     */
    public static int frameLimit(RemoteTransport kind, int maxFrameBytes) {
        return switch (kind) {
            case TCP -> (int) Math.min(MAX_RSOCKET_FRAME, (long) maxFrameBytes + FRAME_HEADROOM);
            case WEBSOCKET -> MAX_RSOCKET_FRAME;
        };
    }

    /**
     * The server transport on {@code host}:{@code port}, secured with {@code tls} when it is not null; over TCP, a
     * connection is closed as soon as a frame announces more than {@code frameLimit} bytes (see
     * {@link #frameLimit(RemoteTransport, int)}).
     */
    public static ServerTransport<CloseableChannel> server(RemoteTransport kind, String host, int port,
            @Nullable SslContext tls, int frameLimit) {
        return switch (kind) {
            case TCP -> {
                TcpServer tcp = TcpServer.create().host(host).port(port)
                        .doOnConnection(c -> c.addHandlerFirst("concurrence.frameLength",
                                new FrameLengthGuard(frameLimit)));
                yield TcpServerTransport.create(tls == null ? tcp : tcp.secure(spec -> spec.sslContext(tls)),
                        frameLimit);
            }
            case WEBSOCKET -> {
                HttpServer http = HttpServer.create().host(host).port(port);
                yield WebsocketServerTransport.create(tls == null ? http : http.secure(spec -> spec.sslContext(tls)));
            }
        };
    }

    /**
     * How a client secures its connections: a Netty context, and whether the server's certificate must name the
     * host connected to ({@code HTTPS} endpoint identification).
     */
    public record ClientTls(SslContext context, boolean verifyHostNames) {

        void configure(SslProvider.SslContextSpec spec) {
            SslProvider.Builder builder = spec.sslContext(context);
            if (verifyHostNames) {
                builder.handlerConfigurator(handler -> {
                    SSLEngine engine = handler.engine();
                    SSLParameters parameters = engine.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    engine.setSSLParameters(parameters);
                });
            }
        }
    }

    /** The client transport to {@code host}:{@code port}, secured with {@code tls} when it is not null. */
    public static ClientTransport client(RemoteTransport kind, String host, int port, @Nullable ClientTls tls) {
        return switch (kind) {
            case TCP -> {
                TcpClient tcp = TcpClient.create().host(host).port(port);
                yield TcpClientTransport.create(tls == null ? tcp : tcp.secure(tls::configure));
            }
            case WEBSOCKET -> {
                HttpClient http = HttpClient.create().host(host).port(port);
                yield WebsocketClientTransport.create(tls == null ? http : http.secure(tls::configure),
                        WEBSOCKET_PATH);
            }
        };
    }

    /**
     * A server TLS context from the certificate chain and private key in a PKCS#12 (or, by its {@code .jks}
     * name, JKS) key store.
     *
     * @throws IllegalArgumentException if the store cannot be read or holds no usable key
     */
    public static SslContext serverTls(Path keyStore, char[] password) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            String type = keyStore.toString().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            return SslContextBuilder.forServer(keys).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("RemoteServer: cannot load the TLS key store " + keyStore + ": "
                    + e.getMessage(), e);
        }
    }

    /** Client TLS from an initialized JDK context (its trust and key managers, its protocols), verifying hosts. */
    public static ClientTls clientTls(SSLContext context) {
        return new ClientTls(new JdkSslContext(context, true, null, IdentityCipherSuiteFilter.INSTANCE,
                ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, null, false), true);
    }

    /** Client TLS trusting the certificates of {@code trustStore} only, verifying hosts. */
    public static ClientTls clientTls(KeyStore trustStore) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            return new ClientTls(SslContextBuilder.forClient().trustManager(trust).build(), true);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("RemoteClient: the key store cannot serve as a trust store: "
                    + e.getMessage(), e);
        }
    }

    /** Client TLS trusting every certificate and host: for tests against self-signed servers only. */
    public static ClientTls clientTlsTrustingAll() {
        try {
            return new ClientTls(SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .build(), false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }
}
