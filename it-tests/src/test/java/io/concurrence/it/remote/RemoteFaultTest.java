package io.concurrence.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.concurrence.Tasklet;
import io.concurrence.TimeoutException;
import io.concurrence.it.support.Bounded;
import io.concurrence.it.support.Figures;
import io.concurrence.it.support.Leaks;
import io.concurrence.it.support.Soak;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteException;
import io.concurrence.remote.RemoteTasklet;

/**
 * Issue 9, "Faults", remoting: tasklets send numbered {@link PeerMsg.Note}s and make calls through one
 * {@link RemoteClient} while its peer, a child JVM, is killed (SIGKILL) and restarted on the same port, round after
 * round. Every call returns or fails with {@link RemoteException} or {@link TimeoutException} within its timeout
 * plus a slack; the client reconnects after each restart; and every send is accounted for.
 *
 * <p>The accounting: each peer appends the id of every note it takes to a file of its own (one write per note, so
 * the ids outlive the SIGKILL). A sender sends a batch of notes and then calls {@link PeerMsg.Whoami}; the peer's
 * mailbox is first in, first out, so when that call is answered by the same process as the call before the batch,
 * every note of the batch has been taken and logged. So, exactly: every note of such a batch is in a log; every
 * note missing from the logs belongs to a batch around a kill ("at risk"); no note is logged twice, and none whose
 * send threw; the sends that threw are those the client counts as {@code disconnectedSends}; and the notes logged
 * plus those the client counts as {@code unconfirmedSends} cover every send that returned normally, but for what a
 * kill found in the peer's mailbox (delivered, so possibly confirmed, but never taken): at most the current batch
 * of each sender, and recorded as a figure.
 */
class RemoteFaultTest {

    private static final String TEST = "RemoteFaultTest";
    private static final String TOKEN = "f4ults";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** What a call may take beyond its timeout before it counts as a hang (CI runs on 2 shared cores). */
    private static final Duration SLACK = Duration.ofSeconds(5);
    /** The bound on the client seeing a killed peer gone, and on reconnecting to a restarted one. */
    private static final Duration NOTICE = Duration.ofSeconds(30);
    /** The bound on the load making {@link #CALLS_BETWEEN_KILLS} successful calls. */
    private static final Duration PROGRESS = Duration.ofSeconds(60);
    private static final Duration SAFETY = Duration.ofSeconds(120);
    /** The pause of a sender between two tries while the client is disconnected. */
    private static final Duration PACE = Duration.ofMillis(20);
    private static final int SENDERS = 8;
    private static final int MAX_BATCH = 8;
    private static final int CALLS_BETWEEN_KILLS = 300;

    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    /** What the senders share. */
    private static final class Ledger {
        final Set<Long> sent = ConcurrentHashMap.newKeySet();
        final Set<Long> refused = ConcurrentHashMap.newKeySet();
        final Set<Long> covered = ConcurrentHashMap.newKeySet();
        final Set<Long> atRisk = ConcurrentHashMap.newKeySet();
        final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
        final LongAdder callsOk = new LongAdder();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final AtomicLong slowestFailedCallNanos = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();

        void call(String outcome) {
            calls.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        }
    }

    @Test
    void peerKilledAndRestartedUnderLoadLosesNoCallUnreportedAndAccountsForEverySend() throws Exception {
        Leaks.assertTracking();
        List<Path> logs = new ArrayList<>();
        PeerProcess peer = startPeer(0, logs);
        int port = peer.port();
        RemoteClient client = RemoteClient.builder().port(port).allow(PeerMsg.ALLOWED).authToken(TOKEN)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).connect();
        closing.add(client);
        RemoteTasklet remote = client.lookup(RemotePeer.NAME);
        Ledger ledger = new Ledger();
        List<Tasklet<Void>> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            senders.add(Tasklet.spawn(() -> send(sender, client, remote, ledger)));
            closing.add(senders.getLast()::kill);
        }

        int rounds = Soak.count(2, 20);
        long slowestReconnectNanos = 0;
        for (int round = 1; round <= rounds; round++) {
            awaitProgress(ledger, "before kill " + round);
            peer.kill();
            Bounded.until(() -> !client.isConnected(), NOTICE, "the client sees peer " + round + " gone",
                    client::stats);
            peer = startPeer(port, logs);
            long restarted = System.nanoTime();
            Bounded.until(client::isConnected, NOTICE, "the client reconnects to restarted peer " + round,
                    client::stats);
            slowestReconnectNanos = Math.max(slowestReconnectNanos, System.nanoTime() - restarted);
        }
        awaitProgress(ledger, "after the last restart");
        ledger.stop.set(true);
        for (Tasklet<Void> sender : senders) {
            sender.join(SAFETY);
        }
        long lastPid = remote.call(new PeerMsg.Whoami(), CALL_TIMEOUT);
        assertThat(lastPid).as("the last peer answers").isEqualTo(peer.process().pid());
        client.close();
        peer.close();

        assertThat(ledger.unexpected).as("calls or sends that ended otherwise than expected; calls %s",
                ledger.calls).isEmpty();
        RemoteClient.Stats stats = client.stats();
        assertThat(stats.reconnects()).as("reconnects in %s", stats).isGreaterThanOrEqualTo(rounds);
        assertThat(stats.sends()).as("sends handed to a connection").isEqualTo(ledger.sent.size());
        assertThat(stats.disconnectedSends()).as("sends refused as disconnected").isEqualTo(ledger.refused.size());
        assertThat(ledger.refused).as("some sends were made while disconnected").isNotEmpty();

        List<Long> logged = readLogs(logs);
        Set<Long> delivered = new HashSet<>(logged);
        assertThat(delivered).as("no note delivered twice").hasSameSizeAs(logged);
        assertThat(ledger.sent).as("every note delivered was sent").containsAll(delivered);
        Set<Long> missing = new HashSet<>(ledger.sent);
        missing.removeAll(delivered);
        assertThat(delivered).as("every note of a batch confirmed by the same peer was delivered")
                .containsAll(ledger.covered);
        assertThat(ledger.atRisk).as("every note missing was sent around a kill").containsAll(missing);
        // The client's count: the sends delivered (into a mailbox) plus those unconfirmed cover every send made
        // while connected. "Delivered" here is "taken and logged by the peer"; what a SIGKILL finds still queued
        // in the peer's mailbox is lost though the client may have had it confirmed (a confirmation is answered
        // by the server, not the receiver). Each sender has at most its current batch there.
        long shortfall = ledger.sent.size() - delivered.size() - stats.unconfirmedSends();
        assertThat(shortfall).as("sent %s - delivered %s - unconfirmed %s: at most the batches in a killed peer's"
                + " mailbox", ledger.sent.size(), delivered.size(), stats.unconfirmedSends())
                .isLessThanOrEqualTo((long) SENDERS * MAX_BATCH * rounds);
        Set<Tasklet<?>> roots = Tasklet.roots();
        assertThat(senders).as("no sender left behind").noneMatch(roots::contains);
        Leaks.assertNoneReported();

        Figures.record(TEST, "peer kills and restarts", rounds);
        Figures.record(TEST, "reconnects", stats.reconnects());
        Figures.record(TEST, "slowest reconnect after restart ms", Duration.ofNanos(slowestReconnectNanos)
                .toMillis());
        ledger.calls.forEach((outcome, count) -> Figures.record(TEST, "calls " + outcome, count.sum()));
        Figures.record(TEST, "slowest failed call ms", Duration.ofNanos(ledger.slowestFailedCallNanos.get())
                .toMillis());
        Figures.record(TEST, "sends made while connected", ledger.sent.size());
        Figures.record(TEST, "sends delivered", delivered.size());
        Figures.record(TEST, "sends unconfirmed", stats.unconfirmedSends());
        Figures.record(TEST, "sends not delivered", missing.size());
        Figures.record(TEST, "sends confirmed but lost in a killed peer's mailbox", Math.max(0, shortfall));
        Figures.record(TEST, "sends made while disconnected (refused, reported)", ledger.refused.size());
    }

    private PeerProcess startPeer(int port, List<Path> logs) {
        Path log = dir.resolve("deliveries-" + logs.size());
        logs.add(log);
        PeerProcess peer = PeerProcess.start(port, TOKEN, log);
        closing.add(peer);
        return peer;
    }

    private static void awaitProgress(Ledger ledger, String when) {
        long before = ledger.callsOk.sum();
        Bounded.until(() -> ledger.callsOk.sum() >= before + CALLS_BETWEEN_KILLS || !ledger.unexpected.isEmpty(),
                PROGRESS, CALLS_BETWEEN_KILLS + " successful calls " + when, ledger.calls::toString);
    }

    /**
     * A sender's loop: a batch of notes, then a {@link PeerMsg.Whoami} call; while disconnected, one note per
     * {@link #PACE}.
     */
    private static void send(int sender, RemoteClient client, RemoteTasklet remote, Ledger ledger) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long next = (long) sender << 32;
        long lastPid = -1; // the process that answered the last call, or -1 if it failed
        while (!ledger.stop.get()) {
            List<Long> batch = new ArrayList<>();
            boolean allSent = true;
            for (int i = random.nextInt(MAX_BATCH) + 1; i > 0; i--) {
                long id = next++;
                if (note(id, remote, ledger)) {
                    batch.add(id);
                } else {
                    allSent = false;
                }
            }
            long start = System.nanoTime();
            try {
                long pid = remote.call(new PeerMsg.Whoami(), CALL_TIMEOUT);
                ledger.callsOk.increment();
                ledger.call("returned");
                (allSent && pid == lastPid ? ledger.covered : ledger.atRisk).addAll(batch);
                lastPid = pid;
            } catch (RemoteException | TimeoutException e) {
                long took = System.nanoTime() - start;
                ledger.slowestFailedCallNanos.accumulateAndGet(took, Math::max);
                ledger.call("failed with " + e.getClass().getSimpleName());
                if (took > CALL_TIMEOUT.plus(SLACK).toNanos()) {
                    ledger.unexpected.add("a call failed only after " + Duration.ofNanos(took).toMillis() + " ms: "
                            + e);
                }
                ledger.atRisk.addAll(batch);
                lastPid = -1;
                while (!ledger.stop.get() && !client.isConnected()) {
                    if (note(next, remote, ledger)) {
                        ledger.atRisk.add(next);
                    }
                    next++;
                    Tasklet.sleep(PACE);
                }
            } catch (RuntimeException e) {
                ledger.unexpected.add("a call failed with " + e);
                return;
            }
        }
    }

    /** Sends note {@code id}: true if the send returned, false if it threw {@link RemoteException}. */
    private static boolean note(long id, RemoteTasklet remote, Ledger ledger) {
        try {
            remote.send(new PeerMsg.Note(id));
            ledger.sent.add(id);
            return true;
        } catch (RemoteException e) {
            if (!String.valueOf(e.getMessage()).contains("not connected")) {
                ledger.unexpected.add("a send failed otherwise than as disconnected: " + e);
            }
            ledger.refused.add(id);
            return false;
        }
    }

    private static List<Long> readLogs(List<Path> logs) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (Path log : logs) {
            if (!Files.exists(log)) {
                continue; // a peer killed before it took a note
            }
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(log));
            assertThat(bytes.remaining() % Long.BYTES).as("%s holds whole ids", log).isZero();
            while (bytes.hasRemaining()) {
                ids.add(bytes.getLong());
            }
        }
        return ids;
    }
}
