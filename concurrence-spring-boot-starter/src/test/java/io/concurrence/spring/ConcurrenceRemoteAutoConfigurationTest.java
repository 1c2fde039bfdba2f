package io.concurrence.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.concurrence.Call;
import io.concurrence.Envelope;
import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteException;
import io.concurrence.remote.RemoteServer;
import io.concurrence.remote.RemoteTasklet;

class ConcurrenceRemoteAutoConfigurationTest {

    /** The bound on a remote call (CI runs on 2 shared cores). */
    private static final Duration SAFETY = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConcurrenceRemoteAutoConfiguration.class));

    /** The test protocol. */
    public sealed interface CounterMsg extends Message permits Add, Get {
    }

    /** Adds {@code n}. */
    public record Add(int n) implements CounterMsg {
    }

    /** Asks for the total. */
    public record Get() implements CounterMsg, Call<Integer> {
    }

    /** A type the client allows and the server does not. */
    public record Stranger() implements Call<String> {
    }

    /** The endpoint: a counter. */
    @RemoteEndpoint("counter")
    static final class Counter implements Consumer<Envelope> {

        /** Written and read by the endpoint's tasklet only. */
        private int total;

        @Override
        public void accept(Envelope envelope) {
            if (envelope.message() instanceof CounterMsg message) {
                switch (message) {
                    case Add add -> total += add.n();
                    case Get get -> envelope.reply(total);
                }
            }
        }
    }

    /** Annotated, but not a consumer. */
    @RemoteEndpoint("broken")
    static final class NotAConsumer {
    }

    @Configuration(proxyBeanMethods = false)
    static class CounterConfiguration {

        @Bean
        Counter counter() {
            return new Counter();
        }

        @Bean
        RemoteMessageTypes counterProtocol() {
            return RemoteMessageTypes.of(CounterMsg.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BrokenConfiguration {

        @Bean
        NotAConsumer notAConsumer() {
            return new NotAConsumer();
        }
    }

    private ApplicationContextRunner serverAndClient() {
        return runner.withUserConfiguration(CounterConfiguration.class)
                .withPropertyValues("concurrence.remote.server.host=127.0.0.1",
                        "concurrence.remote.clients.local.port=${local.concurrence.remote.port}",
                        "concurrence.remote.clients.local.allow=" + Stranger.class.getName());
    }

    @Test
    void clientBeanCallsTheEndpointBeanAndSendsArriveInOrder() {
        serverAndClient().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(RemoteServer.class);
            int port = context.getBean(RemoteServer.class).port();
            assertThat(port).isPositive();
            assertThat(context.getEnvironment().getProperty("local.concurrence.remote.port", Integer.class))
                    .isEqualTo(port);
            RemoteClient client = context.getBean("localRemoteClient", RemoteClient.class);
            RemoteTasklet counter = client.lookup("counter");
            counter.send(new Add(5));
            counter.send(new Add(2));
            assertThat(counter.call(new Get(), SAFETY)).isEqualTo(7);
            assertThat(context.getBean(RemoteServer.class).stats().delivered()).isEqualTo(3);
        });
    }

    @Test
    void typeTheServerDoesNotAllowIsRefusedNamingIt() {
        serverAndClient().run(context -> {
            RemoteTasklet counter = context.getBean("localRemoteClient", RemoteClient.class).lookup("counter");
            assertThatThrownBy(() -> counter.call(new Stranger(), SAFETY))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining(Stranger.class.getName());
            assertThat(context.getBean(RemoteServer.class).stats().refusedCalls()).isEqualTo(1);
        });
    }

    @Test
    void closingTheContextKillsTheEndpointsAndClosesServerAndClients() throws InterruptedException {
        AtomicReference<RemoteClient> client = new AtomicReference<>();
        AtomicReference<Tasklet<Void>> endpoint = new AtomicReference<>();
        AtomicInteger port = new AtomicInteger();
        serverAndClient().run(context -> {
            client.set(context.getBean(RemoteClient.class));
            port.set(context.getBean(RemoteServer.class).port());
            Map<String, Tasklet<Void>> tasklets = context.getBean(RemoteEndpointRegistrar.class).tasklets();
            assertThat(tasklets).containsOnlyKeys("counter");
            endpoint.set(tasklets.get("counter"));
            assertThat(client.get().isConnected()).isTrue();
        });
        assertThat(endpoint.get().isKilled()).isTrue();
        // The connection closes asynchronously after close(): wait for it, within SAFETY.
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (client.get().isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(client.get().isConnected()).as("client connected %s after the context closed", SAFETY).isFalse();
        assertThatThrownBy(() -> RemoteClient.builder().port(port.get()).connectTimeout(SAFETY).connect())
                .isInstanceOf(RemoteException.class);
    }

    @Test
    void endpointThatIsNotAConsumerFailsStartupNamingTheBean() {
        runner.withUserConfiguration(BrokenConfiguration.class).run(context -> assertThat(context).getFailure()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("bean 'notAConsumer' (" + NotAConsumer.class.getName() + ") is annotated"
                        + " @RemoteEndpoint(\"broken\") but is not a Consumer<Envelope>"));
    }

    @Test
    void noEndpointAndNoPortStartsNoServer() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(RemoteServer.class);
        });
    }

    @Test
    void enabledFalseStartsNoServerDespiteAnEndpoint() {
        runner.withUserConfiguration(CounterConfiguration.class)
                .withPropertyValues("concurrence.remote.server.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RemoteServer.class));
    }

    @Test
    void usersRemoteServerReplacesOursAndGetsTheEndpoints() {
        runner.withUserConfiguration(CounterConfiguration.class)
                .withBean("myServer", RemoteServer.class,
                        () -> RemoteServer.builder().host("127.0.0.1").allow(CounterMsg.class).bind(),
                        definition -> definition.setDestroyMethodName("close"))
                .run(context -> {
                    assertThat(context).hasSingleBean(RemoteServer.class);
                    RemoteServer server = context.getBean(RemoteServer.class);
                    try (RemoteClient client = RemoteClient.builder().port(server.port()).allow(CounterMsg.class)
                            .connect()) {
                        assertThat(client.lookup("counter").call(new Get(), SAFETY)).isZero();
                    }
                });
    }

    @Test
    void clientWithoutServerFailsStartupNamingTheProperty() {
        runner.withPropertyValues("concurrence.remote.clients.orders.host=127.0.0.1")
                .run(context -> assertThat(context).getFailure()
                        .rootCause()
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("concurrence.remote.clients.orders: no server"));
    }

    @Test
    void emptyClientAuthTokenFailsStartupNamingTheProperty() {
        runner.withPropertyValues("concurrence.remote.clients.orders.port=9",
                        "concurrence.remote.clients.orders.auth-token=")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("IllegalArgumentException: concurrence.remote.clients.orders.auth-token:"
                                + " the auth token is empty"));
    }

    @Test
    void unknownAllowedClassFailsStartupNamingTheProperty() {
        runner.withPropertyValues("concurrence.remote.server.port=0",
                "concurrence.remote.server.allow=com.example.Missing")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("IllegalArgumentException: concurrence.remote.server.allow[0]: class"
                                + " com.example.Missing is not found"));
    }

    @Test
    void portOutOfRangeFailsStartupNamingTheProperty() {
        runner.withPropertyValues("concurrence.remote.server.port=70000")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("concurrence.remote.server.port: 70000 is out of range 0..65535"));
    }

    @Test
    void dashedClientNameGivesACamelCaseBeanName() {
        assertThat(RemoteClientsRegistrar.beanName("order-service")).isEqualTo("orderServiceRemoteClient");
        assertThat(RemoteClientsRegistrar.beanName("local")).isEqualTo("localRemoteClient");
    }
}
