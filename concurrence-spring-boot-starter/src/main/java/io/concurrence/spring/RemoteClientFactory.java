package io.concurrence.spring;

import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteServer;

/** Binds one client's properties and connects it; errors name the client's properties. */
final class RemoteClientFactory {

    private final Environment environment;
    private final BeanFactory beanFactory;

    RemoteClientFactory(Environment environment, BeanFactory beanFactory) {
        this.environment = environment;
        this.beanFactory = beanFactory;
    }

    /**
     * Connects the client {@code name}. The application's own server, if any, is created first, so
     * {@code ${local.concurrence.remote.port}} resolves for a client of it.
     *
     * @throws IllegalArgumentException naming the property, for a missing or malformed value
     * @throws IllegalStateException naming the client, when it cannot connect
     */
    RemoteClient create(String name) {
        beanFactory.getBeanProvider(RemoteServer.class).ifAvailable(server -> { });
        String prefix = ConcurrenceRemoteClientProperties.PREFIX + "." + name;
        ConcurrenceRemoteClientProperties properties = Binder.get(environment).bindOrCreate(prefix,
                Bindable.of(ConcurrenceRemoteClientProperties.class));
        RemoteClient.Builder builder = RemoteClient.builder()
                .allow(RemoteAllowList.resolve(prefix + ".allow", properties.getAllow(),
                        beanFactory.getBeanProvider(RemoteMessageTypes.class), classLoader()))
                .maxFrameBytes(properties.getMaxFrameBytes())
                .connectTimeout(properties.getConnectTimeout())
                .transport(properties.getTransport());
        try {
            builder.reconnectBackoff(properties.getReconnectMinBackoff(), properties.getReconnectMaxBackoff());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".reconnect-min-backoff/-max-backoff: " + e.getMessage(), e);
        }
        servers(prefix, properties, builder);
        if (properties.getAuthToken() != null) {
            try {
                builder.authToken(properties.getAuthToken());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + ".auth-token: " + e.getMessage(), e);
            }
        }
        tls(prefix, properties, builder);
        try {
            return builder.connect();
        } catch (RuntimeException e) {
            throw new IllegalStateException("remote client '" + name + "' (" + prefix + ") cannot connect: "
                    + e.getMessage(), e);
        }
    }

    private ClassLoader classLoader() {
        ClassLoader loader = beanFactory instanceof ConfigurableBeanFactory configurable
                ? configurable.getBeanClassLoader() : null;
        return loader != null ? loader : RemoteClientFactory.class.getClassLoader();
    }

    private static void servers(String prefix, ConcurrenceRemoteClientProperties properties,
            RemoteClient.Builder builder) {
        if (properties.getPort() > 0) {
            builder.host(properties.getHost()).port(properties.getPort());
        }
        for (int i = 0; i < properties.getServers().size(); i++) {
            String server = properties.getServers().get(i).trim();
            int colon = server.lastIndexOf(':');
            int port = -1;
            if (colon > 0 && server.indexOf(']', colon) < 0) {
                try {
                    port = Integer.parseInt(server.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(prefix + ".servers[" + i + "]: '" + server + "' is not host:port"
                        + " with a port in 1..65535");
            }
            String host = server.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            builder.server(host, port);
        }
        if (properties.getPort() <= 0 && properties.getServers().isEmpty()) {
            throw new IllegalArgumentException(prefix + ": no server: set " + prefix + ".port (and .host) or "
                    + prefix + ".servers");
        }
    }

    private static void tls(String prefix, ConcurrenceRemoteClientProperties properties,
            RemoteClient.Builder builder) {
        if (properties.isTrustAll()) {
            builder.tlsTrustAll();
        } else if (properties.getTrustStore() != null) {
            try {
                KeyStore store = KeyStore.getInstance(new File(properties.getTrustStore()),
                        properties.getTrustStorePassword().toCharArray());
                builder.tlsTrustStore(store);
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + ".trust-store: cannot read " + properties.getTrustStore()
                        + " as a trust store: " + e.getMessage(), e);
            }
        } else if (properties.isTls()) {
            try {
                builder.tls(SSLContext.getDefault());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(prefix + ".tls: the JDK's default SSLContext is unavailable", e);
            }
        }
    }
}
