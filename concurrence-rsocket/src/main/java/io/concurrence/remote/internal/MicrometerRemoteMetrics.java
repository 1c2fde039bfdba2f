package io.concurrence.remote.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters of remoting, in {@link Metrics#globalRegistry} (which Spring Boot, and most applications,
 * connect to their registry). Client: {@code concurrence.remote.client.calls} (a timer tagged {@code server} and
 * {@code outcome}: success, failed, timeout, no_such_name, killed, disconnected, error),
 * {@code concurrence.remote.client.sends} (tagged {@code outcome}: sent, disconnected, unconfirmed) and
 * {@code concurrence.remote.client.connections}. Server, tagged with its port:
 * {@code concurrence.remote.server.messages} (delivered), {@code concurrence.remote.server.dead.letters} (sends and
 * calls to a registered tasklet that had finished), {@code concurrence.remote.server.refused} (tagged {@code kind}:
 * send, call, setup) and {@code concurrence.remote.server.connections}.
 */
final class MicrometerRemoteMetrics {

    private MicrometerRemoteMetrics() {
    }

    static AutoCloseable client(RemoteLink link, ClientCounters counters) {
        MeterRegistry registry = Metrics.globalRegistry;
        String client = Integer.toHexString(System.identityHashCode(link));
        Map<String, Timer> timers = new ConcurrentHashMap<>();
        List<Meter> meters = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(
                FunctionCounter.builder("concurrence.remote.client.sends", counters, ClientCounters::sends)
                        .description("Remote sends").tag("client", client).tag("outcome", "sent").register(registry),
                FunctionCounter.builder("concurrence.remote.client.sends", counters,
                                ClientCounters::disconnectedSends)
                        .description("Remote sends").tag("client", client).tag("outcome", "disconnected")
                        .register(registry),
                FunctionCounter.builder("concurrence.remote.client.sends", counters, ClientCounters::unconfirmedSends)
                        .description("Remote sends").tag("client", client).tag("outcome", "unconfirmed")
                        .register(registry),
                Gauge.builder("concurrence.remote.client.connections", link, RemoteLink::connectedServers)
                        .description("Servers connected").tag("client", client).register(registry)));
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        counters.observer((server, outcome, nanos) -> {
            if (closed.get()) {
                return;
            }
            String key = server + ' ' + outcome;
            Timer timer = timers.get(key);
            if (timer == null) {
                timer = timers.computeIfAbsent(key, k -> {
                    Timer t = Timer.builder("concurrence.remote.client.calls").description("Remote calls")
                            .tag("client", client).tag("server", server).tag("outcome", outcome).register(registry);
                    meters.add(t);
                    return t;
                });
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        });
        return () -> {
            closed.set(true);
            counters.observer(ClientCounters.CallObserver.NONE);
            meters.forEach(registry::remove);
        };
    }

    static AutoCloseable server(int port, ServerCounters counters) {
        MeterRegistry registry = Metrics.globalRegistry;
        String tag = Integer.toString(port);
        List<Meter> meters = List.of(
                FunctionCounter.builder("concurrence.remote.server.messages", counters, ServerCounters::delivered)
                        .description("Remote sends and calls delivered into a mailbox").tag("port", tag)
                        .register(registry),
                FunctionCounter.builder("concurrence.remote.server.dead.letters", counters,
                                ServerCounters::deadLetters)
                        .description("Remote sends and calls to a registered tasklet that had finished")
                        .tag("port", tag).register(registry),
                FunctionCounter.builder("concurrence.remote.server.refused", counters, ServerCounters::refusedSends)
                        .description("Remote messages refused").tag("port", tag).tag("kind", "send")
                        .register(registry),
                FunctionCounter.builder("concurrence.remote.server.refused", counters, ServerCounters::refusedCalls)
                        .description("Remote messages refused").tag("port", tag).tag("kind", "call")
                        .register(registry),
                FunctionCounter.builder("concurrence.remote.server.refused", counters, ServerCounters::rejectedSetups)
                        .description("Remote messages refused").tag("port", tag).tag("kind", "setup")
                        .register(registry),
                Gauge.builder("concurrence.remote.server.connections", counters, ServerCounters::connections)
                        .description("Client connections open").tag("port", tag).register(registry));
        return () -> meters.forEach(registry::remove);
    }
}
