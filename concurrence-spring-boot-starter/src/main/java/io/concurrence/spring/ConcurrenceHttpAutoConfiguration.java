package io.concurrence.spring;

import java.nio.file.Files;
import java.util.Locale;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

import io.concurrence.http.HttpServer;
import io.concurrence.spring.ConcurrenceHttpProperties.Shutdown;

/**
 * Auto-configuration of a Concurrence {@link HttpServer}, configured by {@link ConcurrenceHttpProperties}
 * ({@code concurrence.http.*}), serving a {@code Router} assembled from the application's {@code Filter},
 * controller, {@code HttpHandler} ({@link HttpRoute}) and {@code Router} beans, started and stopped with the
 * application context (gracefully unless {@code concurrence.http.shutdown} or {@code server.shutdown} is
 * {@code immediate}). Its port is published as {@code local.concurrence.http.port}.
 *
 * <p>Backs off when the application defines its own {@code HttpServer} bean (which it then starts and stops
 * itself), and when {@code concurrence.http.enabled=false}.
 *
 * @since 0.1
 */
@AutoConfiguration
@ConditionalOnClass(HttpServer.class)
@ConditionalOnBooleanProperty(name = "concurrence.http.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(HttpServer.class)
@EnableConfigurationProperties(ConcurrenceHttpProperties.class)
public class ConcurrenceHttpAutoConfiguration {

    /** Created by Spring Boot. */
    public ConcurrenceHttpAutoConfiguration() {
    }

    /**
     * The server, built (so its options are validated) but not started: {@link HttpServerLifecycle} starts it
     * after every singleton is ready.
     *
     * @param properties the {@code concurrence.http.*} properties
     * @param beans the application's beans, to assemble the router from
     * @return the server
     */
    @Bean
    public HttpServer concurrenceHttpServer(ConcurrenceHttpProperties properties,
            ConfigurableListableBeanFactory beans) {
        HttpServer.Builder builder = HttpServer.builder()
                .host(properties.getHost())
                .port(properties.getPort())
                .handler(ApplicationRouter.assemble(beans))
                .maxRequestBodySize(properties.getMaxRequestBodySize().toBytes())
                .maxHeaderSize((int) properties.getMaxHeaderSize().toBytes())
                .maxInitialLineLength((int) properties.getMaxInitialLineLength().toBytes())
                .idleTimeout(properties.getIdleTimeout())
                .requestTimeout(properties.getRequestTimeout())
                .http2(properties.isHttp2())
                .accessLog(properties.isAccessLog())
                .metrics(properties.isMetrics())
                .serverHeader(properties.getServerHeader());
        if (properties.getMaxConnections() != null) {
            builder.maxConnections(properties.getMaxConnections());
        }
        if (properties.getMaxStreamedBodySize() != null) {
            builder.maxStreamedBodySize(properties.getMaxStreamedBodySize().toBytes());
        }
        ConcurrenceHttpProperties.Tls tls = properties.getTls();
        if (tls.getKeyStore() != null) {
            if (!Files.isReadable(tls.getKeyStore())) {
                throw new IllegalArgumentException("concurrence.http.tls.key-store: " + tls.getKeyStore()
                        + " is not a readable file");
            }
            String password = tls.getKeyStorePassword();
            builder.tls(tls.getKeyStore(), password == null ? new char[0] : password.toCharArray());
        }
        return builder.build();
    }

    /**
     * Starts the server with the context and stops it, gracefully or not, when the context closes.
     *
     * @param server the server
     * @param properties the {@code concurrence.http.*} properties
     * @param environment where the port is published, and {@code server.shutdown} read
     * @return the lifecycle
     */
    @Bean
    HttpServerLifecycle concurrenceHttpServerLifecycle(HttpServer server, ConcurrenceHttpProperties properties,
            ConfigurableEnvironment environment) {
        return new HttpServerLifecycle(server, environment, shutdown(properties, environment) == Shutdown.GRACEFUL,
                properties.getShutdownTimeout());
    }

    private static Shutdown shutdown(ConcurrenceHttpProperties properties, ConfigurableEnvironment environment) {
        if (properties.getShutdown() != null) {
            return properties.getShutdown();
        }
        String boot = environment.getProperty("server.shutdown");
        if (boot == null || boot.isBlank()) {
            return Shutdown.GRACEFUL;
        }
        try {
            return Shutdown.valueOf(boot.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("server.shutdown: " + boot + " is not one of graceful, immediate", e);
        }
    }
}
