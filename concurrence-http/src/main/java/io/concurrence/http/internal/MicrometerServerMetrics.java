package io.concurrence.http.internal;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters of an HTTP server, in {@link Metrics#globalRegistry} (which Spring Boot, and most
 * applications, connect to their registry): {@code concurrence.http.server.requests} (a timer, tagged with
 * method and status), {@code concurrence.http.server.connections} and
 * {@code concurrence.http.server.requests.active} (gauges), tagged with the server's port.
 */
final class MicrometerServerMetrics implements ServerMetrics {

    private final MeterRegistry registry;
    private final String port;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private MicrometerServerMetrics(MeterRegistry registry, String port) {
        this.registry = registry;
        this.port = port;
    }

    static ServerMetrics create(ServerRuntime runtime) {
        MeterRegistry registry = Metrics.globalRegistry;
        MicrometerServerMetrics metrics = new MicrometerServerMetrics(registry, runtime.portTag());
        metrics.gauges.add(Gauge.builder("concurrence.http.server.connections", runtime,
                        ServerRuntime::openConnections)
                .description("Open HTTP connections").tag("port", metrics.port).register(registry));
        metrics.gauges.add(Gauge.builder("concurrence.http.server.requests.active", runtime, ServerRuntime::inFlight)
                .description("Requests being handled").tag("port", metrics.port).register(registry));
        return metrics;
    }

    /** Methods counted by name; any other (clients may send any token) is counted as OTHER. */
    private static final java.util.Set<String> KNOWN_METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

    @Override
    public void requestCompleted(String requestMethod, int status, long nanos) {
        if (closed) {
            return; // a request that outlived the server's stop
        }
        String method = KNOWN_METHODS.contains(requestMethod) ? requestMethod : "OTHER";
        String key = method + ' ' + status;
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder("concurrence.http.server.requests")
                    .description("HTTP requests handled")
                    .tag("method", method).tag("status", Integer.toString(status)).tag("port", port)
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        closed = true;
        gauges.forEach(registry::remove);
        timers.values().forEach(registry::remove);
    }
}
