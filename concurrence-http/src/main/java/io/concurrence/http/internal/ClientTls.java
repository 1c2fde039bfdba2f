package io.concurrence.http.internal;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.jspecify.annotations.Nullable;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.tcp.SslProvider;

/**
 * How the client secures https connections: a JDK {@link SSLContext}, a trust store, or (for tests only)
 * trust in every certificate. Plain http connections are never affected.
 *
 * @param sslContext the JDK context to use as is, or null
 * @param trustManagers the trust managers to verify servers with, or null
 * @param trustAll whether to accept every certificate and skip host name verification
 */
public record ClientTls(@Nullable SSLContext sslContext, @Nullable TrustManagerFactory trustManagers,
                        boolean trustAll) {

    /** Uses {@code context} as it is (its trust managers, protocols and key managers). */
    public static ClientTls of(SSLContext context) {
        return new ClientTls(Objects.requireNonNull(context, "sslContext"), null, false);
    }

    /** Trusts the certificates in {@code trustStore} (and only those). */
    public static ClientTls trusting(KeyStore trustStore) {
        Objects.requireNonNull(trustStore, "trustStore");
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            return new ClientTls(null, factory, false);
        } catch (NoSuchAlgorithmException | KeyStoreException e) {
            throw new IllegalArgumentException("trust store unusable: " + e.getMessage(), e);
        }
    }

    /** Trusts every certificate and host name: for tests against self-signed servers only. */
    public static ClientTls trustingAll() {
        return new ClientTls(null, null, true);
    }

    /**
     * The TLS setup for https connections: {@code tls}, or the JDK's default trust when null. Host names are
     * verified ({@code HTTPS} endpoint identification) unless {@link #trustAll()}.
     *
     * <p>Built here, and given to Reactor Netty's {@code HttpClient.secure(SslProvider)}, rather than taken
     * from Reactor Netty's defaults: those live in a class whose initialization probes for the HTTP/3 (QUIC)
     * classes, which this module's build leaves out, and then fails.
     */
    static SslProvider provider(@Nullable ClientTls tls) {
        if (tls == null) {
            return verifyingHostNames(SslProvider.builder().sslContext(generic(Http11SslContextSpec.forClient())));
        }
        SSLContext jdk = tls.sslContext;
        if (jdk != null) {
            JdkSslContext context = new JdkSslContext(jdk, true, null, IdentityCipherSuiteFilter.INSTANCE,
                    ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, null, false);
            return verifyingHostNames(SslProvider.builder().sslContext(context));
        }
        TrustManagerFactory factory = tls.trustAll ? InsecureTrustManagerFactory.INSTANCE : tls.trustManagers;
        Http11SslContextSpec spec = Http11SslContextSpec.forClient().configure(b -> b.trustManager(factory));
        SslProvider.Builder builder = SslProvider.builder().sslContext(generic(spec));
        return tls.trustAll ? builder.build() : verifyingHostNames(builder);
    }

    /** Selects the non-deprecated {@code sslContext(GenericSslContextSpec)} overload. */
    private static SslProvider.GenericSslContextSpec<?> generic(Http11SslContextSpec spec) {
        return spec;
    }

    private static SslProvider verifyingHostNames(SslProvider.Builder builder) {
        return builder.handlerConfigurator(handler -> {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }).build();
    }
}
