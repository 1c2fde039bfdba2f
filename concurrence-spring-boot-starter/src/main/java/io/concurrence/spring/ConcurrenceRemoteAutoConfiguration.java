package io.concurrence.spring;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteServer;

/**
 * Remoting for the application: a {@link RemoteServer} from {@code concurrence.remote.server.*} that exposes every
 * bean annotated {@link RemoteEndpoint}, and a {@link RemoteClient} bean {@code <name>RemoteClient} for each
 * {@code concurrence.remote.clients.<name>}.
 *
 * <p>The server starts when {@code concurrence.remote.server.enabled} is true, or (unset) when the application has a
 * {@code @RemoteEndpoint} bean or sets {@code concurrence.remote.server.port}; its actual port is published as
 * {@code local.concurrence.remote.port}. Each {@code @RemoteEndpoint} bean, a {@code Consumer<Envelope>}, runs as a
 * {@code Tasklet.receiver} registered under the annotation's name once every singleton is created; on shutdown the
 * tasklets are killed, then the clients and the server closed. The message types allowed are those named in the
 * {@code allow} properties plus those of every {@link RemoteMessageTypes} bean. An application's own
 * {@code RemoteServer} bean replaces the server (its endpoints are still registered on it); a bean named
 * {@code <name>RemoteClient} replaces that client.
 *
 * @since 0.1
 */
@AutoConfiguration
@ConditionalOnClass(RemoteServer.class)
@EnableConfigurationProperties(ConcurrenceRemoteServerProperties.class)
public class ConcurrenceRemoteAutoConfiguration {

    /** The property holding the server's actual port. */
    public static final String LOCAL_PORT_PROPERTY = "local.concurrence.remote.port";

    private static final String LOCAL_PORT_SOURCE = "concurrence.remote.server.local";

    /** Creates the auto-configuration; Spring calls it. */
    public ConcurrenceRemoteAutoConfiguration() {
    }

    /**
     * The server, bound and listening, closed with the context; its port is published as
     * {@value #LOCAL_PORT_PROPERTY}.
     *
     * @param properties the {@code concurrence.remote.server.*} properties
     * @param types the {@link RemoteMessageTypes} beans, whose types are allowed besides those of {@code allow}
     * @param beanFactory the factory whose class loader loads the classes named in {@code allow}
     * @param environment where the server's actual port is published
     * @return the server, listening
     * @throws IllegalArgumentException naming the property, for a malformed value
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(RemoteServer.class)
    @Conditional(OnRemoteServerCondition.class)
    public RemoteServer concurrenceRemoteServer(ConcurrenceRemoteServerProperties properties,
            ObjectProvider<RemoteMessageTypes> types, ConfigurableListableBeanFactory beanFactory,
            ConfigurableEnvironment environment) {
        String prefix = ConcurrenceRemoteServerProperties.PREFIX;
        ClassLoader loader = beanFactory.getBeanClassLoader();
        RemoteServer.Builder builder = RemoteServer.builder()
                .host(properties.getHost())
                .port(properties.getPort())
                .allow(RemoteAllowList.resolve(prefix + ".allow", properties.getAllow(), types, loader))
                .maxFrameBytes(properties.getMaxFrameBytes())
                .transport(properties.getTransport());
        if (properties.getAuthToken() != null) {
            try {
                builder.authToken(properties.getAuthToken());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + ".auth-token: " + e.getMessage(), e);
            }
        }
        if (properties.getKeyStore() != null) {
            builder.tls(Path.of(properties.getKeyStore()), properties.getKeyStorePassword().toCharArray());
        }
        RemoteServer server;
        try {
            server = builder.bind();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ": " + e.getMessage(), e);
        }
        publishPort(environment, server.port());
        return server;
    }

    /** Registers the {@link RemoteEndpoint} beans on the server, and kills their tasklets on shutdown. */
    @Bean
    @ConditionalOnBean(RemoteServer.class)
    RemoteEndpointRegistrar concurrenceRemoteEndpointRegistrar(RemoteServer server,
            ConfigurableListableBeanFactory beanFactory) {
        return new RemoteEndpointRegistrar(server, beanFactory);
    }

    /** Defines the {@code <name>RemoteClient} beans of {@code concurrence.remote.clients.<name>}. */
    @Bean
    static RemoteClientsRegistrar concurrenceRemoteClientsRegistrar() {
        return new RemoteClientsRegistrar();
    }

    private static void publishPort(ConfigurableEnvironment environment, int port) {
        MutablePropertySources sources = environment.getPropertySources();
        MapPropertySource source = new MapPropertySource(LOCAL_PORT_SOURCE, Map.of(LOCAL_PORT_PROPERTY, port));
        if (sources.contains(LOCAL_PORT_SOURCE)) {
            sources.replace(LOCAL_PORT_SOURCE, source);
        } else {
            sources.addFirst(source);
        }
    }
}
