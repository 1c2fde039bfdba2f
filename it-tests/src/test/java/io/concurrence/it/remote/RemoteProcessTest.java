package io.concurrence.it.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.concurrence.Call;
import io.concurrence.Tasklet;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteException;
import io.concurrence.remote.RemoteTasklet;
import io.concurrence.remote.internal.MessageCodec;
import io.concurrence.remote.internal.Wire;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.DefaultPayload;

/**
 * Remoting between this JVM and {@link RemotePeer}s in child JVMs, over real TCP: calls, sends in order, a
 * refused type, refused tokens, a peer killed in the middle of a call, a client reconnecting to a restarted peer,
 * and two peers behind one name, one of which dies.
 */
class RemoteProcessTest {

    /** The bound on any call expected to succeed (CI runs on 2 shared cores). */
    static final Duration SAFETY = Duration.ofSeconds(20);
    /** How soon a call must fail once its peer is killed: the "promptly, not after the timeout" property. */
    static final Duration PROMPTLY = Duration.ofSeconds(3);
    /** The timeout of the call the peer never answers: much longer than {@link #PROMPTLY}. */
    static final Duration HANG_TIMEOUT = Duration.ofSeconds(30);
    static final String TOKEN = "s3cret";
    /** The pause between two checks of a bounded wait. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final int SENDS = 10_000;

    /** A type this JVM allows and the peer does not. */
    record Extra(String text) implements Call<String> {
    }

    private final List<AutoCloseable> closing = new ArrayList<>();
    private PeerProcess peer;

    @BeforeEach
    void startPeer() {
        peer = PeerProcess.start(0, TOKEN);
        closing.add(peer);
    }

    @AfterEach
    void closeAll() throws Exception {
        // clients first, then the child; the child is closed last even if a client's close throws
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private RemoteClient client(Class<?>... extra) {
        RemoteClient client = RemoteClient.builder().host("127.0.0.1").port(peer.port()).allow(PeerMsg.ALLOWED)
                .allow(extra).authToken(TOKEN).connect();
        closing.add(client);
        return client;
    }

    @Test
    void callsAndSendsCrossToTheOtherProcessAndBack() {
        RemoteTasklet remote = client().lookup(RemotePeer.NAME);
        assertThat(remote.call(new PeerMsg.Echo("héllo, wörld"), SAFETY)).isEqualTo("héllo, wörld");
        remote.send(new PeerMsg.Add(40));
        remote.send(new PeerMsg.Add(2));
        assertThat(remote.call(new PeerMsg.Total(), SAFETY)).isEqualTo(42L);
    }

    @Test
    void lookupOfAnUnknownNameThrowsNoSuchElementNamingIt() {
        RemoteClient client = client();
        assertThatThrownBy(() -> client.lookup("nobody")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'nobody'").hasMessageContaining("127.0.0.1:" + peer.port());
        assertThat(client.lookup(RemotePeer.NAME).call(new PeerMsg.Echo("still here"), SAFETY))
                .isEqualTo("still here");
    }

    @Test
    void killingThePeerMidCallFailsTheCallPromptlyNamingThePeer() {
        RemoteTasklet remote = client().lookup(RemotePeer.NAME);
        Tasklet<Throwable> caller = Tasklet.spawn(() -> {
            try {
                remote.call(new PeerMsg.Hang(), HANG_TIMEOUT);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        closing.add(caller::kill);
        peer.awaitLine("HANG", SAFETY);

        long killed = System.nanoTime();
        peer.process().destroyForcibly();
        Throwable failure = caller.join(SAFETY);
        Duration failedAfter = Duration.ofNanos(System.nanoTime() - killed);

        assertThat(failure).as("not a timeout: the lost connection").isInstanceOf(RemoteException.class)
                .hasMessageContaining("127.0.0.1:" + peer.port());
        assertThat(failure.getCause()).as("the transport's error").isNotNull();
        assertThat(failedAfter).as("the call failed %s after the kill", failedAfter).isLessThan(PROMPTLY);
    }

    @Test
    void tenThousandSendsArriveInOrderBeforeACallMadeAfterThem() {
        RemoteTasklet remote = client().lookup(RemotePeer.NAME);
        for (int i = 0; i < SENDS; i++) {
            remote.send(new PeerMsg.Seq(i));
        }
        assertThat(remote.call(new PeerMsg.Check(), SAFETY))
                .as("the sends are all in the peer's mailbox, in order, before the call")
                .isEqualTo(new PeerMsg.SeqReport(SENDS, -1));
    }

    @Test
    void aTypeThePeerDoesNotAllowIsRefusedNamingItAndTheConnectionKeepsWorking() {
        RemoteTasklet remote = client(Extra.class).lookup(RemotePeer.NAME);
        long start = System.nanoTime();
        assertThatThrownBy(() -> remote.call(new Extra("x"), HANG_TIMEOUT)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("refused").hasMessageContaining(Extra.class.getName())
                .hasMessageContaining("127.0.0.1:" + peer.port());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused, not timed out").isLessThan(SAFETY);
        assertThat(remote.call(new PeerMsg.Echo("after"), SAFETY)).isEqualTo("after");
    }

    @Test
    void aClientWithAWrongOrNoTokenIsRefusedAtConnectAndDeliversNothing() {
        List<RemoteClient.Builder> intruders = List.of(
                RemoteClient.builder().port(peer.port()).allow(PeerMsg.ALLOWED).authToken("wrong"),
                RemoteClient.builder().port(peer.port()).allow(PeerMsg.ALLOWED));
        for (RemoteClient.Builder builder : intruders) {
            // connect() confirms the setup with a first request, which the peer answers with the rejection
            assertThatThrownBy(builder::connect).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("authentication failed")
                    .hasMessageContaining("127.0.0.1:" + peer.port());
        }
        RemoteTasklet remote = client().lookup(RemotePeer.NAME);
        assertThat(remote.call(new PeerMsg.Total(), SAFETY)).isZero();
        assertThat(remote.call(new PeerMsg.Check(), SAFETY)).isEqualTo(new PeerMsg.SeqReport(0, -1));
    }

    /**
     * Below the client API (which cannot send before its lookup is refused): a raw RSocket client with a wrong
     * token fires sends right behind its setup frame, before the rejection can reach it; none is delivered.
     */
    @Test
    void sendsFiredRightBehindARejectedSetupFrameAreNeverDelivered() {
        MessageCodec codec = MessageCodec.of(Set.of(PeerMsg.ALLOWED), 1 << 20, MessageCodec.Format.CBOR);
        RSocket intruder = RSocketConnector.create().setupPayload(DefaultPayload.create("wrong"))
                .connect(TcpClientTransport.create("127.0.0.1", peer.port())).block(SAFETY);
        assertThat(intruder).isNotNull();
        closing.add(intruder::dispose);
        AtomicInteger fired = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            intruder.fireAndForget(Wire.payload(Wire.SEND, RemotePeer.NAME, codec.encode(new PeerMsg.Add(1))))
                    .subscribe(null, ignored -> { }, fired::incrementAndGet);
        }
        assertThat(fired).as("sends left before the rejection came back").hasPositiveValue();
        assertThatThrownBy(() -> intruder.requestResponse(Wire.payload(Wire.CALL, RemotePeer.NAME,
                codec.encode(new PeerMsg.Total()))).block(SAFETY))
                .isInstanceOf(RejectedSetupException.class).hasMessageContaining("authentication failed");
        intruder.onClose().onErrorComplete().block(SAFETY);

        assertThat(client().lookup(RemotePeer.NAME).call(new PeerMsg.Total(), SAFETY))
                .as("nothing from the refused connection was delivered").isZero();
    }

    @Test
    void theClientReconnectsToAPeerRestartedOnTheSamePort() {
        int port = peer.port();
        RemoteClient client = RemoteClient.builder().port(port).allow(PeerMsg.ALLOWED).authToken(TOKEN)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).connect();
        closing.add(client);
        RemoteTasklet remote = client.lookup(RemotePeer.NAME);
        long firstPid = remote.call(new PeerMsg.Whoami(), SAFETY);
        peer.kill();
        waitUntil(() -> !client.isConnected(), "the client sees the peer gone");
        assertThatThrownBy(() -> remote.call(new PeerMsg.Echo("meanwhile"), SAFETY))
                .as("fails at once while the peer is down").isInstanceOf(RemoteException.class)
                .hasMessageContaining("not connected");

        peer = PeerProcess.start(port, TOKEN);
        closing.add(peer);
        assertThat(peer.port()).isEqualTo(port);
        waitUntil(client::isConnected, "the client reconnects to the restarted peer");
        assertThat(remote.call(new PeerMsg.Whoami(), SAFETY)).as("the same RemoteTasklet reaches the new process")
                .isNotEqualTo(firstPid);
        assertThat(remote.call(new PeerMsg.Echo("second"), SAFETY)).isEqualTo("second");
        assertThat(client.stats().reconnects()).isGreaterThanOrEqualTo(1);
    }

    /** A client of {@code peer} and {@code second} behind one name, once it is connected to both. */
    private RemoteClient connectedToBoth(PeerProcess second) {
        RemoteClient client = RemoteClient.builder().allow(PeerMsg.ALLOWED).authToken(TOKEN)
                .server("127.0.0.1", peer.port()).server("127.0.0.1", second.port())
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).connect();
        closing.add(client);
        waitUntil(() -> client.stats().connectedServers() == 2, "both peers connected");
        return client;
    }

    @Test
    void twoPeersBehindOneNameKeepServingWhenOneDies() {
        PeerProcess second = PeerProcess.start(0, TOKEN);
        closing.add(second);
        RemoteClient client = connectedToBoth(second);
        RemoteTasklet remote = client.lookup(RemotePeer.NAME);
        Set<Long> answered = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            answered.add(remote.call(new PeerMsg.Whoami(), SAFETY));
        }
        assertThat(answered).as("calls are spread over both peers")
                .containsExactlyInAnyOrder(peer.process().pid(), second.process().pid());

        // Calls keep going from several tasklets while the first peer is killed: each either succeeds or fails
        // promptly with RemoteException (a call pending on the dead peer); after it, all go to the survivor.
        peer.kill();
        waitUntil(() -> client.stats().connectedServers() == 1, "the client sees one peer gone");
        for (int i = 0; i < 50; i++) {
            assertThat(remote.call(new PeerMsg.Whoami(), SAFETY)).isEqualTo(second.process().pid());
        }
        for (int i = 0; i < 100; i++) {
            remote.send(new PeerMsg.Seq(i));
        }
        assertThat(remote.call(new PeerMsg.Check(), SAFETY)).isEqualTo(new PeerMsg.SeqReport(100, -1));
    }

    @Test
    void callsInFlightWhenOneOfTwoPeersDiesFailPromptlyOrSucceed() {
        PeerProcess second = PeerProcess.start(0, TOKEN);
        closing.add(second);
        RemoteClient client = connectedToBoth(second);
        RemoteTasklet remote = client.lookup(RemotePeer.NAME);
        List<Tasklet<int[]>> callers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            callers.add(Tasklet.spawn(() -> {
                int[] outcome = new int[2]; // succeeded, failed
                for (int i = 0; i < 200; i++) {
                    long start = System.nanoTime();
                    try {
                        remote.call(new PeerMsg.Echo("x"), HANG_TIMEOUT);
                        outcome[0]++;
                    } catch (RemoteException e) {
                        if (Duration.ofNanos(System.nanoTime() - start).compareTo(PROMPTLY) > 0) {
                            throw new AssertionError("a call failed only after " + PROMPTLY, e);
                        }
                        outcome[1]++;
                    }
                }
                return outcome;
            }));
            closing.add(callers.getLast()::kill);
        }
        peer.kill();
        int succeeded = 0;
        for (Tasklet<int[]> caller : callers) {
            succeeded += caller.join(HANG_TIMEOUT)[0];
        }
        assertThat(succeeded).as("the surviving peer served most calls").isGreaterThan(8 * 200 / 2);
    }

    /** Waits until {@code condition} holds, polling, for at most {@link #SAFETY}. */
    private static void waitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not so after " + SAFETY + ": " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
