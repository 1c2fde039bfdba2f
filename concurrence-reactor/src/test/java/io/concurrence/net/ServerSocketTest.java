package io.concurrence.net;

import static io.concurrence.net.NetTestSupport.HOST;
import static io.concurrence.net.NetTestSupport.SAFETY;
import static io.concurrence.net.NetTestSupport.SHORT;
import static io.concurrence.net.NetTestSupport.awaitCondition;
import static io.concurrence.net.NetTestSupport.connect;
import static io.concurrence.net.NetTestSupport.echoServer;
import static io.concurrence.net.NetTestSupport.readAll;
import static io.concurrence.net.NetTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.concurrence.Channel;
import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;

@org.junit.jupiter.api.Timeout(120)
class ServerSocketTest {

    /** Clients in the concurrency test. */
    private static final int CLIENTS = 200;
    /** Connections tried right after a close. */
    private static final int LATE_CONNECTS = 5;

    @Test
    void portAfterBindingPortZeroIsAFreePort() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0)) {
            assertThat(server.port()).isBetween(1, 65_535);
            assertThat(server.host()).isEqualTo(HOST);
            assertThat(server.toString()).contains(String.valueOf(server.port()));
        }
    }

    @Test
    void bindRejectsAnInvalidPortOrBacklog() {
        assertThatThrownBy(() -> ServerSocket.bind(HOST, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> ServerSocket.bind(HOST, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backlog");
    }

    @Test
    void acceptWithTimeoutThrowsTimeoutExceptionWhenNoClientConnects() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0)) {
            assertThatThrownBy(() -> server.accept(SHORT))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("timed out")
                    .hasNoCause();
        }
    }

    /** TimeoutException: "The message names the call and which deadline expired." */
    @Test
    void acceptTimeoutNamesTheAcceptCall() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0)) {
            assertThatThrownBy(() -> server.accept(SHORT))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("ServerSocket.accept")
                    .hasMessageContaining("timed out after");
        }
    }

    @Test
    void closeWakesATaskletBlockedInAcceptWithUncheckedIOException() {
        ServerSocket server = ServerSocket.bind(HOST, 0);
        try {
            Tasklet<Socket> acceptor = Tasklet.spawn(() -> server.accept());
            awaitCondition("the acceptor waits", () -> acceptor.tree().contains("waiting on"));

            server.close();

            assertThatThrownBy(() -> acceptor.join(SAFETY))
                    .isInstanceOf(JoinException.class)
                    .cause().isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("closed")
                    .cause().isInstanceOf(SocketException.class);
        } finally {
            server.close();
        }
    }

    @Test
    void killOfATaskletBlockedInAcceptThrowsTaskletExitAndLeavesTheNextConnectionForAnotherAccept() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0)) {
            Tasklet<Socket> acceptor = Tasklet.spawn(() -> server.accept());
            awaitCondition("the acceptor waits", () -> acceptor.tree().contains("waiting on"));

            acceptor.kill();

            assertThatThrownBy(() -> acceptor.join(SAFETY))
                    .isInstanceOf(JoinException.class)
                    .hasMessageContaining("killed")
                    .cause().isInstanceOf(TaskletExit.class);

            try (Socket client = connect(server); Socket accepted = server.accept(SAFETY)) {
                assertThat(accepted.remoteAddress()).isEqualTo(client.localAddress());
            }
        }
    }

    @Test
    void twoClientsAreAcceptedOnceEachAndInConnectOrderWhenOneArrivesAfterTheOther() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0);
             Socket first = connect(server);
             Socket second = connect(server);
             Socket a = server.accept(SAFETY);
             Socket b = server.accept(SAFETY)) {
            // Both were pending at once: each is accepted exactly once (their order across event loops is open).
            assertThat(List.of(a.remoteAddress(), b.remoteAddress()))
                    .containsExactlyInAnyOrder(first.localAddress(), second.localAddress());

            // One after the other: accepted in that order.
            try (Socket third = connect(server); Socket c = server.accept(SAFETY);
                 Socket fourth = connect(server); Socket d = server.accept(SAFETY)) {
                assertThat(c.remoteAddress()).isEqualTo(third.localAddress());
                assertThat(d.remoteAddress()).isEqualTo(fourth.localAddress());
            }
            assertThatThrownBy(() -> server.accept(SHORT)).isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void serveRunsEachConnectionInItsOwnTaskletAndClosesTheSocketWhenTheHandlerReturns() {
        Set<Long> handlerIds = ConcurrentHashMap.newKeySet();
        Set<String> handlerNames = ConcurrentHashMap.newKeySet();
        CountDownLatch bothRunning = new CountDownLatch(2);
        try (ServerSocket server = ServerSocket.bind(HOST, 0)) {
            server.serve(socket -> {
                Tasklet<?> self = Tasklet.current();
                handlerIds.add(self.id());
                handlerNames.add(self.name());
                bothRunning.countDown();
                try {
                    if (!bothRunning.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new AssertionError("the two handlers did not run concurrently");
                    }
                } catch (InterruptedException e) {
                    throw new TaskletExit("interrupted");
                }
                socket.write(utf8("hello from " + self.id() + "\n"));
            });

            try (Socket one = connect(server); Socket two = connect(server)) {
                String lineOne = one.readLine(SAFETY);
                String lineTwo = two.readLine(SAFETY);

                assertThat(lineOne).startsWith("hello from ");
                assertThat(lineTwo).startsWith("hello from ").isNotEqualTo(lineOne);
                assertThat(one.read(new byte[4], 0, 4, SAFETY)).as("closed after the handler returned").isEqualTo(-1);
                assertThat(two.read(new byte[4], 0, 4, SAFETY)).as("closed after the handler returned").isEqualTo(-1);
            }
            assertThat(handlerIds).hasSize(2);
            assertThat(handlerNames).containsExactly("socket-handler");
        }
    }

    @Test
    void serveClosesTheSocketWhenTheHandlerThrowsAndKeepsServingTheNextConnection() {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = ServerSocket.bind(HOST, 0)) {
            server.serve(socket -> {
                if (connections.incrementAndGet() == 1) {
                    socket.write(utf8("partial"));
                    throw new IllegalStateException("handler failure on purpose (expected in the log)");
                }
                socket.write(utf8("served"));
            });

            try (Socket failing = connect(server)) {
                assertThat(new String(readAll(failing), StandardCharsets.UTF_8)).isEqualTo("partial");
            }
            try (Socket next = connect(server)) {
                assertThat(new String(readAll(next), StandardCharsets.UTF_8)).isEqualTo("served");
            }
            assertThat(connections).hasValue(2);
        }
    }

    /** serve: "the serving goes on until close()" — not until the listening channel happens to close later. */
    @Test
    void closeStopsServingNewConnections() {
        AtomicInteger served = new AtomicInteger();
        ServerSocket server = ServerSocket.bind(HOST, 0).serve(socket -> {
            served.incrementAndGet();
            socket.write(utf8("hi"));
        });
        int port = server.port();
        try {
            try (Socket client = connect(server)) {
                assertThat(new String(readAll(client), StandardCharsets.UTF_8)).isEqualTo("hi");
            }

            server.close();

            for (int i = 0; i < LATE_CONNECTS; i++) {
                try (Socket late = Socket.connect(HOST, port, SAFETY)) {
                    assertThat(late.read(new byte[4], 0, 4, SAFETY))
                            .as("late connection %d, which landed as the server closed, was served", i)
                            .isEqualTo(-1);
                } catch (UncheckedIOException refused) {
                    assertThat(refused).cause().isInstanceOf(IOException.class);
                }
            }
            assertThat(served).hasValue(1);
        } finally {
            server.close();
        }
    }

    @Test
    void serveAlsoServesConnectionsAlreadyWaitingInTheBacklog() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); Socket early = connect(server)) {
            early.write(utf8("ping\n"));

            server.serve(socket -> socket.write(utf8(socket.readLine(SAFETY) + " served\n")));

            assertThat(early.readLine(SAFETY)).isEqualTo("ping served");
            assertThat(early.readLine(SAFETY)).isNull();
        }
    }

    @Test
    void serveCalledTwiceThrowsIllegalStateException() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0)) {
            server.serve(socket -> { });

            assertThatThrownBy(() -> server.serve(socket -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("serve")
                    .hasMessageContaining(String.valueOf(server.port()));
        }
    }

    @Test
    void closeStopsAcceptingAndALaterAcceptThrowsUncheckedIOException() {
        ServerSocket server = ServerSocket.bind(HOST, 0);
        int port = server.port();
        server.close();
        server.close(); // idempotent

        assertThatThrownBy(server::accept)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("closed")
                .cause().isInstanceOf(SocketException.class)
                .hasMessageContaining(String.valueOf(port));

        // The listening channel closes asynchronously: a connect is refused, or lands and is closed at once.
        long start = System.nanoTime();
        String outcome;
        try (Socket late = Socket.connect(HOST, port, SAFETY)) {
            int n = late.read(new byte[4], 0, 4, SAFETY);
            outcome = "read " + n;
        } catch (UncheckedIOException e) {
            assertThat(e).cause().isInstanceOf(IOException.class);
            outcome = "refused";
        }
        assertThat(outcome).isIn("refused", "read -1");
        assertThat(System.nanoTime() - start).as("nanos to see the server gone").isLessThan(SAFETY.toNanos() / 2);
    }

    @Test
    void closeClosesConnectionsWaitingInTheBacklog() {
        ServerSocket server = ServerSocket.bind(HOST, 0);
        try (Socket waiting = connect(server)) {
            server.close();

            try {
                assertThat(waiting.read(new byte[4], 0, 4, SAFETY)).isEqualTo(-1);
            } catch (UncheckedIOException reset) {
                assertThat(reset).cause().isInstanceOf(IOException.class);
            }
        } finally {
            server.close();
        }
    }

    @Test
    void connectionsAlreadyAcceptedKeepWorkingAfterTheServerSocketCloses() {
        ServerSocket server = ServerSocket.bind(HOST, 0);
        try (NetTestSupport.Pair pair = NetTestSupport.connectedPair(server)) {
            server.close();

            pair.client().write(utf8("still\n"));
            assertThat(pair.server().readLine(SAFETY)).isEqualTo("still");
            pair.server().write(utf8("here\n"));
            assertThat(pair.client().readLine(SAFETY)).isEqualTo("here");
        } finally {
            server.close();
        }
    }

    @Test
    void bindingAPortAlreadyInUseThrowsUncheckedIOExceptionCausedByBindException() {
        try (ServerSocket first = ServerSocket.bind(HOST, 0)) {
            int port = first.port();

            assertThatThrownBy(() -> ServerSocket.bind(HOST, port).close())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(HOST + ":" + port)
                    .hasMessageContaining("Address already in use")
                    .cause()
                    // NIO gives a java.net.BindException; the native epoll transport an IOException of its own.
                    .isInstanceOf(IOException.class)
                    .satisfiesAnyOf(
                            cause -> assertThat(cause).isInstanceOf(BindException.class),
                            cause -> assertThat(cause).hasMessageContaining("Address already in use"));
        }
    }

    @Test
    void aFullBacklogClosesNewConnectionsAndAcceptStillReturnsAWorkingSocket() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0, 1)) {
            List<Socket> clients = new ArrayList<>();
            Channel<String> outcomes = Channel.buffered(3);
            try {
                for (int i = 0; i < 3; i++) {
                    Socket client = connect(server);
                    clients.add(client);
                    Tasklet.spawn(() -> {
                        byte[] buffer = new byte[16];
                        int n = client.read(buffer, 0, buffer.length, SAFETY);
                        outcomes.send(n < 0 ? "closed" : new String(buffer, 0, n, StandardCharsets.UTF_8));
                    });
                }

                // A backlog of one holds one connection: the other two are closed without an accept.
                assertThat(outcomes.receive(SAFETY)).isEqualTo("closed");
                assertThat(outcomes.receive(SAFETY)).isEqualTo("closed");

                try (Socket accepted = server.accept(SAFETY)) {
                    accepted.write(utf8("welcome"));
                    accepted.flush(SAFETY);
                    assertThat(outcomes.receive(SAFETY)).isEqualTo("welcome");
                    assertThat(clients.stream().map(Socket::localAddress)).contains(accepted.remoteAddress());
                }
            } finally {
                clients.forEach(Socket::close);
            }
        }
    }

    @Test
    void twoHundredConcurrentClientsEachCompleteAnEchoRoundTrip() {
        try (ServerSocket server = echoServer()) {
            List<Tasklet<String>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String line = "client-" + i;
                clients.add(Tasklet.spawn(() -> {
                    try (Socket client = connect(server)) {
                        client.write(utf8(line + "\n"));
                        return client.readLine(SAFETY);
                    }
                }));
            }

            List<Tasklet.Result<String>> results = Tasklet.joinAll(clients, SAFETY);

            for (int i = 0; i < CLIENTS; i++) {
                Tasklet.Result<String> result = results.get(i);
                assertThat(result.exception()).as("client %d failed", i).isNull();
                assertThat(result.value()).isEqualTo("client-" + i);
            }
        }
    }
}
