package io.concurrence.remote;

import static io.concurrence.remote.RemoteTestSupport.SOON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.concurrence.Call;
import io.concurrence.CallFailedException;
import io.concurrence.Message;
import io.concurrence.Tasklet;

/** A server and a client over RSocket's WebSocket transport (real sockets, port 0). */
class RemoteWebSocketTest {

    sealed interface CounterMsg extends Message permits Add, Get, Boom, Count {
    }

    record Add(int n) implements CounterMsg {
    }

    record Get() implements CounterMsg, Call<Integer> {
    }

    record Boom() implements CounterMsg, Call<String> {
    }

    record Count(int upTo) implements CounterMsg, Call<Integer> {
    }

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    /** The highest element the receiver's stream has produced so far. */
    private final AtomicInteger produced = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void sendsArriveInOrderAndACallSeesThemAll() {
        RemoteTasklet counter = lookup(server(), "counter");
        for (int i = 1; i <= 1000; i++) {
            counter.send(new Add(i));
        }
        assertThat(counter.call(new Get(), SOON)).isEqualTo(1000 * 1001 / 2);
        assertThat(seen).hasSize(1000).isSorted();
    }

    @Test
    void aCallIsAnsweredAndAFailureTravelsBack() {
        RemoteTasklet counter = lookup(server(), "counter");
        assertThat(counter.call(new Get(), SOON)).isZero();
        assertThatThrownBy(() -> counter.call(new Boom(), SOON)).isInstanceOf(CallFailedException.class)
                .hasMessageContaining("boom");
        assertThat(counter.call(new Get(), SOON)).as("the connection still serves").isZero();
    }

    @Test
    void aStreamIsReadFullyInOrder() {
        RemoteTasklet counter = lookup(server(), "counter");
        try (Stream<Integer> numbers = counter.stream(new Count(10_000))) {
            List<Integer> all = numbers.toList();
            assertThat(all).hasSize(10_000).isSorted();
            assertThat(all.getFirst()).isEqualTo(1);
            assertThat(all.getLast()).isEqualTo(10_000);
        }
    }

    /**
     * Backpressure: the receiver's stream is produced as the reader asks for elements (a prefetch ahead), and a
     * reader that stops after 5 elements of 20 million stops the producer: the remaining elements are not produced
     * (nor drained on the server's event loop, which would hold up the call after it).
     */
    @Test
    void aStreamFollowsItsReaderAndCanStopEarly() {
        RemoteTasklet counter = lookup(server(), "counter");
        try (Stream<Integer> numbers = counter.stream(new Count(20_000_000))) {
            assertThat(numbers.limit(5).toList()).containsExactly(1, 2, 3, 4, 5);
        }
        assertThat(counter.call(new Get(), SOON)).as("the connection still serves").isZero();
        assertThat(produced.get()).as("elements produced for a reader of 5").isLessThan(100_000);
    }

    @Test
    void lookupOfAnUnknownNameThrowsNoSuchElement() {
        RemoteServer server = server();
        assertThatThrownBy(() -> client(server, RemoteTransport.WEBSOCKET).lookup("nobody"))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("nobody");
    }

    /**
     * A TCP client's setup frame is no HTTP request: the WebSocket server answers it with an error and closes the
     * connection, so the request by which {@code connect()} confirms the setup fails, and {@code connect()} with it.
     */
    @Test
    void aTcpClientToAWebSocketServerCannotConnect() {
        RemoteServer server = server();
        long start = System.nanoTime();
        assertThatThrownBy(() -> client(server, RemoteTransport.TCP))
                .isInstanceOf(RemoteException.class).hasMessageContaining("cannot connect to 127.0.0.1:"
                        + server.port());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SOON);
        assertThat(server.stats().connections()).as("no RSocket connection was accepted").isZero();
        assertThat(server.stats().delivered()).isZero();
    }

    private RemoteServer server() {
        RemoteServer server = RemoteServer.builder().host("127.0.0.1").transport(RemoteTransport.WEBSOCKET)
                .allow(CounterMsg.class).bind();
        closing.add(server);
        int[] total = {0};
        Tasklet<Void> counter = Tasklet.receiver(envelope -> {
            if (envelope.message() instanceof CounterMsg message) {
                switch (message) {
                    case Add add -> {
                        total[0] += add.n();
                        seen.add(add.n());
                    }
                    case Get get -> envelope.reply(total[0]);
                    case Boom boom -> envelope.fail(new IllegalStateException("boom"));
                    case Count count -> envelope.reply(IntStream.rangeClosed(1, count.upTo())
                            .peek(produced::set).boxed());
                }
            }
        });
        closing.add(counter::kill);
        server.register("counter", counter);
        return server;
    }

    private RemoteClient client(RemoteServer server, RemoteTransport transport) {
        RemoteClient client = RemoteClient.builder().host("127.0.0.1").port(server.port()).transport(transport)
                .allow(CounterMsg.class).connectTimeout(SOON).connect();
        closing.add(client);
        return client;
    }

    private RemoteTasklet lookup(RemoteServer server, String name) {
        return client(server, RemoteTransport.WEBSOCKET).lookup(name);
    }
}
