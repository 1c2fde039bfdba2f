package io.concurrence.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.concurrence.Call;
import io.concurrence.Message;
import io.concurrence.Tasklet;

/**
 * Lost connections in one JVM over real TCP: reconnecting after a server restarts on its port, sends made while
 * disconnected and sends left unconfirmed, and calls spread over several servers and moved off one that stops.
 */
class RemoteFailoverTest {

    static final Duration SOON = Duration.ofSeconds(10);
    static final Duration RECONNECT_BOUND = Duration.ofSeconds(30);
    /** The pause between two checks of a bounded retry. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    sealed interface Msg extends Message permits Who, Note, Notes, Hang {
    }

    /** Answered with the name of the server that got it. */
    record Who() implements Msg, Call<String> {
    }

    record Note(int n) implements Msg {
    }

    /** Answered with the notes received so far, in order. */
    record Notes() implements Msg, Call<List<Integer>> {
    }

    /** Never answered. */
    record Hang() implements Msg, Call<String> {
    }

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final CountDownLatch hangArrived = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        Collections.reverse(closing);
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A server on {@code port} (0: any) with a tasklet "svc" that answers {@link Who} with {@code id}. */
    private RemoteServer server(String id, int port, List<Integer> notes) {
        RemoteServer server = RemoteServer.builder().host("127.0.0.1").port(port).allow(Msg.class).bind();
        closing.add(server);
        Tasklet<Void> svc = Tasklet.receiver(envelope -> {
            switch (envelope.message()) {
                case Who who -> envelope.reply(id);
                case Note note -> notes.add(note.n());
                case Notes all -> envelope.reply(List.copyOf(notes));
                case Hang hang -> hangArrived.countDown();
                default -> envelope.fail(new IllegalArgumentException("unexpected " + envelope.message()));
            }
        });
        closing.add(svc::kill);
        server.register("svc", svc);
        return server;
    }

    private RemoteServer server(String id, int port) {
        return server(id, port, Collections.synchronizedList(new ArrayList<>()));
    }

    private RemoteClient.Builder client() {
        return RemoteClient.builder().allow(Msg.class).reconnectBackoff(Duration.ofMillis(20),
                Duration.ofMillis(200));
    }

    private RemoteClient connect(RemoteClient.Builder builder) {
        RemoteClient client = builder.connect();
        closing.add(client);
        return client;
    }

    /** Retries {@code attempt} until it returns without a RemoteException, for at most {@code bound}. */
    private static <T> T eventually(Duration bound, Supplier<T> attempt) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            try {
                return attempt.get();
            } catch (RemoteException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still failing after " + bound, e);
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
    }

    @Test
    void theClientReconnectsWhenTheServerComesBackOnItsPort() throws Exception {
        RemoteServer first = server("first", 0);
        int port = first.port();
        RemoteClient client = connect(client().port(port));
        RemoteTasklet svc = client.lookup("svc");
        assertThat(svc.call(new Who(), SOON)).isEqualTo("first");

        first.close();
        RemoteTestSupport.eventually("the client sees the connection lost", () -> !client.isConnected());
        assertThatThrownBy(() -> svc.call(new Who(), SOON)).isInstanceOf(RemoteException.class);
        RemoteServer second = server("second", port);
        assertThat(second.port()).isEqualTo(port);

        assertThat(eventually(RECONNECT_BOUND, () -> svc.call(new Who(), SOON))).isEqualTo("second");
        assertThat(client.isConnected()).isTrue();
        assertThat(client.stats().reconnects()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void whileDisconnectedCallsAndSendsFailAtOnceAndAreCounted() throws Exception {
        RemoteServer server = server("only", 0);
        RemoteClient client = connect(client().port(server.port())
                .reconnectBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        RemoteTasklet svc = client.lookup("svc");
        server.close();
        RemoteTestSupport.eventually("the client sees the connection lost", () -> !client.isConnected());

        long start = System.nanoTime();
        assertThatThrownBy(() -> svc.send(new Note(1))).isInstanceOf(RemoteException.class)
                .hasMessageContaining("not connected to 127.0.0.1:" + server.port()).hasMessageContaining("reconnect");
        assertThatThrownBy(() -> svc.call(new Who(), Duration.ofSeconds(60))).isInstanceOf(RemoteException.class)
                .hasMessageContaining("not connected");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("failed at once").isLessThan(SOON);
        RemoteClient.Stats stats = client.stats();
        assertThat(stats.disconnectedSends()).isEqualTo(1);
        assertThat(stats.connectedServers()).isZero();
        assertThat(stats.failedCalls()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void everySendIsDeliveredOrCountedAsUnconfirmed() throws Exception {
        List<Integer> notes = Collections.synchronizedList(new ArrayList<>());
        RemoteServer server = server("only", 0, notes);
        RemoteClient client = connect(client().port(server.port())
                .reconnectBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        RemoteTasklet svc = client.lookup("svc");
        int sent = 0;
        for (int i = 0; i < 20_000; i++) {
            svc.send(new Note(i));
            sent++;
        }
        server.close();
        RemoteTestSupport.eventually("the client sees the connection lost", () -> !client.isConnected());
        assertThat(client.stats().sends()).isEqualTo(sent);
        // Delivered: into the mailbox, which the receiver may still be reading; the client counts the unconfirmed
        // sends once it has handled the connection's end, just after it reads as disconnected.
        int total = sent;
        RemoteTestSupport.eventually("every send is delivered or counted as unconfirmed",
                () -> server.stats().delivered() + client.stats().unconfirmedSends() >= total);
        assertThat(notes).as("what arrived, arrived in order").isSorted();
    }

    /**
     * Sends from several tasklets, and calls confirming them, racing the loss of the connection: each send that
     * returned is delivered or counted unconfirmed, and each that threw is counted as disconnected. (A send that
     * picked the connection just before the loss was counted nowhere, and a call's confirmation could cover a send
     * counted before it whose frame went after it.) Several rounds, to give the races a chance.
     */
    @Test
    void sendsAndCallsRacingTheLossOfTheConnectionLeaveEverySendAccountedFor() throws Exception {
        for (int round = 0; round < 5; round++) {
            List<Integer> notes = Collections.synchronizedList(new ArrayList<>());
            RemoteServer server = server("only", 0, notes);
            RemoteClient client = connect(client().port(server.port())
                    .reconnectBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)));
            RemoteTasklet svc = client.lookup("svc");
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<Tasklet<Void>> tasklets = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int base = t * 10_000_000;
                tasklets.add(Tasklet.spawn(() -> {
                    for (int i = 0; ; i++) {
                        try {
                            svc.send(new Note(base + i));
                            sent.incrementAndGet();
                        } catch (RemoteException e) {
                            refused.incrementAndGet();
                            return;
                        }
                    }
                }));
                closing.add(tasklets.getLast()::kill);
            }
            for (int t = 0; t < 2; t++) {
                tasklets.add(Tasklet.spawn(() -> {
                    while (true) {
                        try {
                            svc.call(new Who(), SOON);
                        } catch (RemoteException e) {
                            return;
                        }
                    }
                }));
                closing.add(tasklets.getLast()::kill);
            }
            RemoteTestSupport.eventually("sends under way", () -> sent.get() > 5_000);
            server.close();
            for (Tasklet<Void> tasklet : tasklets) {
                tasklet.join(RECONNECT_BOUND);
            }
            RemoteClient.Stats stats = client.stats();
            assertThat(stats.sends()).as("round %s", round).isEqualTo(sent.get());
            assertThat(stats.disconnectedSends()).as("round %s", round).isEqualTo(refused.get());
            int total = sent.get();
            RemoteTestSupport.eventually("round " + round + ": every send delivered or counted as unconfirmed",
                    () -> notes.size() + client.stats().unconfirmedSends() >= total);
        }
    }

    @Test
    void confirmedSendsAreNotCountedWhenTheConnectionIsLostLater() throws Exception {
        List<Integer> notes = Collections.synchronizedList(new ArrayList<>());
        RemoteServer server = server("only", 0, notes);
        RemoteClient client = connect(client().port(server.port()));
        RemoteTasklet svc = client.lookup("svc");
        for (int i = 0; i < 100; i++) {
            svc.send(new Note(i));
        }
        assertThat(svc.call(new Notes(), SOON)).as("a call confirms the sends before it").hasSize(100);
        server.close();
        RemoteTestSupport.eventually("the client sees the connection lost", () -> !client.isConnected());
        assertThat(client.stats().unconfirmedSends()).isZero();
    }

    @Test
    void callsAreSpreadOverSeveralServersAndMoveOffOneThatStops() throws Exception {
        RemoteServer a = server("a", 0);
        RemoteServer b = server("b", 0);
        RemoteClient client = connect(client().server("127.0.0.1", a.port()).server("127.0.0.1", b.port()));
        RemoteTestSupport.eventually("both servers connected", () -> client.stats().connectedServers() == 2);
        RemoteTasklet svc = client.lookup("svc");
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            answered.add(svc.call(new Who(), SOON));
        }
        assertThat(answered).containsExactlyInAnyOrder("a", "b");

        Tasklet<Throwable> pending = Tasklet.spawn(() -> {
            // A call pending on the server that stops fails at once; calls after it go to the other server.
            for (int i = 0; i < 2; i++) {
                try {
                    svc.call(new Hang(), Duration.ofSeconds(60));
                } catch (RuntimeException e) {
                    return e;
                }
            }
            return null;
        });
        assertThat(hangArrived.await(10, TimeUnit.SECONDS)).isTrue();
        a.close();
        b.close(); // both hang receivers' connections go: whichever got the Hang fails promptly
        Throwable failure = pending.join(SOON);
        assertThat(failure).isInstanceOf(RemoteException.class).hasMessageContaining("127.0.0.1:");
    }

    @Test
    void afterOneOfTwoServersStopsEveryCallGoesToTheOther() throws Exception {
        RemoteServer a = server("a", 0);
        RemoteServer b = server("b", 0);
        RemoteClient client = connect(client().server("127.0.0.1", a.port()).server("127.0.0.1", b.port())
                .reconnectBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        RemoteTestSupport.eventually("both servers connected", () -> client.stats().connectedServers() == 2);
        RemoteTasklet svc = client.lookup("svc");
        a.close();
        RemoteTestSupport.eventually("only b connected", () -> client.stats().connectedServers() == 1);
        AtomicInteger fromB = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            if (svc.call(new Who(), SOON).equals("b")) {
                fromB.incrementAndGet();
            }
        }
        assertThat(fromB).hasValue(20);
        for (int i = 0; i < 50; i++) {
            svc.send(new Note(i));
        }
    }

    @Test
    void theSendsOfOneRemoteTaskletStayOnOneServerInOrder() throws Exception {
        List<Integer> notesA = Collections.synchronizedList(new ArrayList<>());
        List<Integer> notesB = Collections.synchronizedList(new ArrayList<>());
        RemoteServer a = server("a", 0, notesA);
        RemoteServer b = server("b", 0, notesB);
        RemoteClient client = connect(client().server("127.0.0.1", a.port()).server("127.0.0.1", b.port()));
        RemoteTestSupport.eventually("both servers connected", () -> client.stats().connectedServers() == 2);
        RemoteTasklet svc = client.lookup("svc");
        for (int i = 0; i < 1_000; i++) {
            svc.send(new Note(i));
        }
        // Ask both servers (calls alternate) until the notes are all in: a call on a connection follows its sends.
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            all.addAll(svc.call(new Notes(), SOON));
        }
        assertThat(all).hasSize(1_000).isSorted();
        assertThat(notesA.isEmpty() || notesB.isEmpty()).as("one server got them all").isTrue();
    }

    @Test
    void aServerBackWithAnotherTokenIsNotTriedAgain() throws Exception {
        RemoteServer first = RemoteServer.builder().host("127.0.0.1").allow(Msg.class).authToken("old").bind();
        closing.add(first);
        int port = first.port();
        RemoteClient client = connect(client().port(port).authToken("old"));
        first.close();
        RemoteTestSupport.eventually("the client sees the connection lost", () -> !client.isConnected());
        RemoteServer second = RemoteServer.builder().host("127.0.0.1").port(port).allow(Msg.class)
                .authToken("new").bind();
        closing.add(second);
        RemoteTestSupport.eventually("the client tried the server back on its port",
                () -> second.stats().rejectedSetups() == 1);
        RemoteTestSupport.eventually("the client gave up on the rejecting server", () -> {
            try {
                client.lookup("svc");
                return false;
            } catch (RemoteException e) {
                return e.getMessage().contains("not trying again");
            }
        });
        assertThatThrownBy(() -> client.lookup("svc")).isInstanceOf(RemoteException.class)
                .hasMessageContaining("authentication failed");
        assertThat(second.stats().rejectedSetups()).as("rejected once, not retried").isEqualTo(1);
    }
}
