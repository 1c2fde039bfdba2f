package io.concurrence.remote;

import static io.concurrence.remote.RemoteTestSupport.SOON;
import static io.concurrence.remote.RemoteTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.concurrence.Call;
import io.concurrence.CallFailedException;
import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.concurrence.TimeoutException;

/**
 * The Micrometer meters of a client and a server, seen through a {@link SimpleMeterRegistry} added to
 * {@link Metrics#globalRegistry}: calls timed by outcome, sends counted, connections gauged, deliveries and
 * refusals counted on the server; all of them gone once closed, and none at all with {@code metrics(false)}.
 */
class RemoteMetricsTest {

    sealed interface CounterMsg extends Message permits Add, Get, Boom, Silent {
    }

    record Add(int n) implements CounterMsg {
    }

    record Get() implements CounterMsg, Call<Integer> {
    }

    record Boom() implements CounterMsg, Call<String> {
    }

    record Silent() implements CounterMsg, Call<String> {
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void addRegistry() {
        Metrics.globalRegistry.add(registry);
    }

    @AfterEach
    void close() throws Exception {
        try {
            for (AutoCloseable c : closing.reversed()) {
                c.close();
            }
        } finally {
            Metrics.globalRegistry.remove(registry);
            registry.close();
        }
    }

    @Test
    void callsAreTimedByOutcomeAndSendsAndConnectionsCounted() {
        RemoteServer server = server(RemoteServer.builder());
        RemoteClient client = client(RemoteClient.builder().port(server.port()));
        RemoteTasklet counter = client.lookup("counter");
        String peer = "127.0.0.1:" + server.port();
        long successesBefore = successes(peer);
        long callsBefore = client.stats().calls();

        assertThat(counter.call(new Get(), SOON)).isZero();
        assertThatThrownBy(() -> counter.call(new Boom(), SOON)).isInstanceOf(CallFailedException.class);
        assertThatThrownBy(() -> counter.call(new Silent(), Duration.ofMillis(200)))
                .isInstanceOf(TimeoutException.class);
        for (int i = 0; i < 7; i++) {
            counter.send(new Add(1));
        }

        assertThat(successes(peer) - successesBefore).as("successful calls timed").isEqualTo(1);
        assertThat(timer(peer, "failed").count()).as("failed calls timed").isEqualTo(1);
        assertThat(timer(peer, "timeout").count()).as("timed out calls timed").isEqualTo(1);
        assertThat(timer(peer, "timeout").totalTime(TimeUnit.MILLISECONDS)).as("the wait").isGreaterThan(150);
        assertThat(client.stats().calls() - callsBefore).isEqualTo(3);
        assertThat(client.stats().failedCalls()).isEqualTo(2);

        String clientTag = timer(peer, "failed").getId().getTag("client");
        assertThat(clientTag).as("the client's tag").isNotBlank();
        assertThat(registry.get("concurrence.remote.client.sends").tag("client", clientTag).tag("outcome", "sent")
                .functionCounter().count()).isEqualTo(7);
        assertThat(registry.get("concurrence.remote.client.sends").tag("client", clientTag)
                .tag("outcome", "disconnected").functionCounter().count()).isZero();
        assertThat(registry.get("concurrence.remote.client.connections").tag("client", clientTag).gauge().value())
                .isEqualTo(1);
        assertThat(client.stats().sends()).isEqualTo(7);
    }

    @Test
    void serverMetersCountDeliveriesRefusalsAndConnections() throws InterruptedException {
        RemoteServer server = server(RemoteServer.builder());
        Tasklet<Void> doomed = Tasklet.receiver(envelope -> { });
        closing.add(doomed::kill);
        server.register("doomed", doomed);
        RemoteClient client = client(RemoteClient.builder().port(server.port()));
        RemoteTasklet counter = client.lookup("counter");
        RemoteTasklet gone = client.lookup("doomed");
        server.unregister("doomed");
        String port = Integer.toString(server.port());

        counter.send(new Add(1));
        gone.send(new Add(1));
        assertThat(counter.call(new Get(), SOON)).as("answered after the sends were handled").isEqualTo(1);
        assertThatThrownBy(() -> gone.call(new Get(), SOON)).isInstanceOf(NoSuchElementException.class);

        assertThat(registry.get("concurrence.remote.server.messages").tag("port", port).functionCounter().count())
                .as("the send and the call to 'counter'").isEqualTo(2);
        assertThat(registry.get("concurrence.remote.server.dead.letters").tag("port", port).functionCounter()
                .count()).isZero();
        assertThat(refused(port, "send")).isEqualTo(1);
        assertThat(refused(port, "call")).isEqualTo(1);
        assertThat(refused(port, "setup")).isZero();
        assertThat(registry.get("concurrence.remote.server.connections").tag("port", port).gauge().value())
                .isEqualTo(1);
        assertThat(timer("127.0.0.1:" + port, "no_such_name").count()).isEqualTo(1);
        assertThat(server.stats()).isEqualTo(new RemoteServer.Stats(1, 2, 1, 1, 0, 0));
    }

    /** A send's refusal is counted asynchronously: without a call after it, it shows up eventually. */
    @Test
    void aRefusedSendIsCountedEventually() throws InterruptedException {
        RemoteServer server = server(RemoteServer.builder());
        Tasklet<Void> doomed = Tasklet.receiver(envelope -> { });
        closing.add(doomed::kill);
        server.register("doomed", doomed);
        RemoteTasklet gone = client(RemoteClient.builder().port(server.port())).lookup("doomed");
        server.unregister("doomed");
        gone.send(new Add(1));
        String port = Integer.toString(server.port());
        eventually("the refused send is counted", () -> refused(port, "send") == 1);
        assertThat(server.refusedSends()).isEqualTo(1);
    }

    @Test
    void aRejectedSetupIsCounted() throws InterruptedException {
        RemoteServer server = server(RemoteServer.builder().authToken("s3cret"));
        assertThatThrownBy(() -> client(RemoteClient.builder().port(server.port()).authToken("wrong")))
                .isInstanceOf(RemoteException.class).hasMessageContaining("authentication failed");
        assertThat(refused(Integer.toString(server.port()), "setup")).isEqualTo(1);
    }

    @Test
    void closingRemovesTheMeters() {
        RemoteServer server = server(RemoteServer.builder());
        RemoteClient client = client(RemoteClient.builder().port(server.port()));
        RemoteTasklet counter = client.lookup("counter");
        counter.send(new Add(1));
        assertThat(counter.call(new Get(), SOON)).isEqualTo(1);
        String peer = "127.0.0.1:" + server.port();
        String port = Integer.toString(server.port());
        String clientTag = timer(peer, "success").getId().getTag("client");
        assertThat(registry.find("concurrence.remote.client.sends").tag("client", clientTag).meters()).hasSize(3);
        assertThat(registry.find("concurrence.remote.server.refused").tag("port", port).meters()).hasSize(3);

        client.close();
        assertThat(meters("client", clientTag)).as("the client's meters after close").isEmpty();
        assertThat(registry.find("concurrence.remote.client.calls").tag("server", peer).meters())
                .as("the client's timers after close").isEmpty();
        assertThat(meters("port", port)).as("the server's meters while it runs").isNotEmpty();

        server.close();
        assertThat(meters("port", port)).as("the server's meters after close").isEmpty();
    }

    @Test
    void noMeterIsRegisteredWithMetricsOff() {
        Set<Meter.Id> before = remoteMeters();
        RemoteServer server = server(RemoteServer.builder().metrics(false));
        RemoteClient client = client(RemoteClient.builder().port(server.port()).metrics(false));
        RemoteTasklet counter = client.lookup("counter");
        long callsBefore = client.stats().calls();
        counter.send(new Add(1));
        assertThat(counter.call(new Get(), SOON)).isEqualTo(1);
        assertThatThrownBy(() -> counter.call(new Boom(), SOON)).isInstanceOf(CallFailedException.class);
        assertThat(remoteMeters()).as("remoting meters").isEqualTo(before);
        assertThat(client.stats().calls() - callsBefore).as("the stats are kept all the same").isEqualTo(2);
        assertThat(client.stats().failedCalls()).isEqualTo(1);
        assertThat(server.stats().delivered()).isEqualTo(3);
    }

    /** Successful calls timed so far (the lookup may or may not be one of them). */
    private long successes(String peer) {
        Timer success = registry.find("concurrence.remote.client.calls").tag("server", peer).tag("outcome", "success")
                .timer();
        return success == null ? 0 : success.count();
    }

    private Timer timer(String peer, String outcome) {
        return registry.get("concurrence.remote.client.calls").tag("server", peer).tag("outcome", outcome).timer();
    }

    private double refused(String port, String kind) {
        return registry.get("concurrence.remote.server.refused").tag("port", port).tag("kind", kind)
                .functionCounter().count();
    }

    private List<Meter> meters(String tag, String value) {
        return registry.getMeters().stream().filter(m -> value.equals(m.getId().getTag(tag))).toList();
    }

    private Set<Meter.Id> remoteMeters() {
        return registry.getMeters().stream().map(Meter::getId)
                .filter(id -> id.getName().startsWith("concurrence.remote.")).collect(Collectors.toSet());
    }

    private RemoteServer server(RemoteServer.Builder builder) {
        RemoteServer server = builder.host("127.0.0.1").allow(CounterMsg.class).bind();
        closing.add(server);
        int[] total = {0};
        Tasklet<Void> counter = Tasklet.receiver(envelope -> {
            if (envelope.message() instanceof CounterMsg message) {
                switch (message) {
                    case Add add -> total[0] += add.n();
                    case Get get -> envelope.reply(total[0]);
                    case Boom boom -> envelope.fail(new IllegalStateException("boom"));
                    case Silent silent -> { } // never answers
                }
            }
        });
        closing.add(counter::kill);
        server.register("counter", counter);
        return server;
    }

    private RemoteClient client(RemoteClient.Builder builder) {
        RemoteClient client = builder.host("127.0.0.1").allow(CounterMsg.class).connect();
        closing.add(client);
        return client;
    }
}
