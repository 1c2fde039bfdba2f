package io.concurrence.spring;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

import io.concurrence.http.HttpServer;

/**
 * Starts the application's {@link HttpServer} once every singleton is ready and stops it first on shutdown
 * (phase {@link SmartLifecycle#DEFAULT_PHASE}: it starts after, and stops before, every lifecycle bean of a
 * lower phase). Graceful stop: the server stops accepting, lets requests in flight finish within the grace
 * period, then closes the rest; it runs on its own thread so that other beans of the phase stop meanwhile.
 * The port the server listens on is published as the property {@value #PORT_PROPERTY}.
 *
 * <p>Thread-safe: the context calls start and stop one at a time; {@code running} is written by them and read
 * by any thread.
 */
final class HttpServerLifecycle implements SmartLifecycle {

    /** The Environment property holding the port the server listens on, like Boot's {@code local.server.port}. */
    static final String PORT_PROPERTY = "local.concurrence.http.port";

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerLifecycle.class);
    private static final String PROPERTY_SOURCE = "concurrence.http.ports";

    private final HttpServer server;
    private final ConfigurableEnvironment environment;
    /** How long a graceful stop waits for requests in flight. */
    private final Duration grace;
    private final boolean graceful;
    private volatile boolean running;

    HttpServerLifecycle(HttpServer server, ConfigurableEnvironment environment, boolean graceful, Duration grace) {
        this.server = server;
        this.environment = environment;
        this.graceful = graceful;
        this.grace = grace;
    }

    @Override
    public void start() {
        server.start();
        running = true;
        publishPort(server.port());
        LOG.info("Concurrence HTTP server listening on {}:{}", server.host(), server.port());
    }

    private void publishPort(int port) {
        MutablePropertySources sources = environment.getPropertySources();
        if (sources.get(PROPERTY_SOURCE) instanceof MapPropertySource existing) {
            existing.getSource().put(PORT_PROPERTY, port);
        } else {
            sources.addFirst(new MapPropertySource(PROPERTY_SOURCE, new HashMap<>(Map.of(PORT_PROPERTY, port))));
        }
    }

    @Override
    public void stop() {
        running = false;
        if (graceful) {
            server.stop(grace);
        } else {
            server.close();
        }
    }

    @Override
    public void stop(Runnable callback) {
        if (!graceful) {
            stop();
            callback.run();
            return;
        }
        running = false;
        LOG.info("Concurrence HTTP server stopping: waiting up to {} for requests in flight", grace);
        Thread.ofPlatform().name("concurrence-http-shutdown").start(() -> {
            try {
                server.stop(grace);
            } catch (RuntimeException e) {
                LOG.warn("Concurrence HTTP server: graceful stop failed, closing", e);
                server.close();
            } finally {
                callback.run();
            }
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }
}
