package io.concurrence.net;

import static io.concurrence.net.NetTestSupport.HOST;
import static io.concurrence.net.NetTestSupport.SAFETY;
import static io.concurrence.net.NetTestSupport.SHORT;
import static io.concurrence.net.NetTestSupport.awaitCondition;
import static io.concurrence.net.NetTestSupport.connectedPair;
import static io.concurrence.net.NetTestSupport.firstMismatch;
import static io.concurrence.net.NetTestSupport.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;

@org.junit.jupiter.api.Timeout(120)
class SocketBackpressureTest {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    /**
     * The transfer of the slow-reader test: well above what kernel socket buffers hold (a few MiB each side
     * with default autotuning), so the writer must block whatever the machine's settings.
     */
    private static final int TOTAL = 48 * MIB;
    /** The size of every write, and of the slow reader's first step. */
    private static final int CHUNK = 64 * KIB;
    /**
     * A writer that has made no progress for this long is taken as blocked. Generous: a false "blocked" on a
     * starved CI core only makes the checks below weaker, never wrong.
     */
    private static final Duration STALL_WINDOW = Duration.ofMillis(500);
    /** Far above what the socket buffers on both sides can hold (a few MB). */
    private static final long FLOOD_LIMIT = 50L * MIB;
    /** The most 1 MiB writes the write-timeout test tries before giving up. */
    private static final int MAX_TIMED_WRITES = 200;

    @Test
    void slowReaderBlocksAFastWriterAndEveryByteArrivesIntact() throws Exception {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            Socket writerSide = pair.server();
            Socket readerSide = pair.client();
            AtomicLong written = new AtomicLong();
            BlockingQueue<Long> progress = new LinkedBlockingQueue<>();
            Tasklet<Void> writer = Tasklet.named("fast-writer").spawn(() -> {
                for (long position = 0; position < TOTAL; position += CHUNK) {
                    writerSide.write(pattern(position, CHUNK), SAFETY);
                    progress.add(written.addAndGet(CHUNK));
                }
                writerSide.shutdownOutput();
            });

            byte[] buffer = new byte[CHUNK];
            long consumed = readAndVerify(readerSide, buffer, 0, CHUNK);

            // Step 1: the reader pauses after 64 KiB; the writer must block long before it has written it all.
            long writtenAtStall = awaitStall(progress, written, TOTAL);
            assertThat(consumed).isLessThan(TOTAL / 2);
            assertThat(writtenAtStall).as("bytes written while the reader had consumed %d", consumed)
                    .isLessThan(TOTAL);
            System.out.printf("[SocketBackpressureTest] the writer blocked after %d bytes; the reader had read %d%n",
                    writtenAtStall, consumed);

            // Step 2: the reader reads on; the writer must resume (or the reads below would time out).
            // The rest, then the end of the stream.
            consumed = readAndVerify(readerSide, buffer, consumed, TOTAL - consumed);
            assertThat(readerSide.read(buffer, 0, buffer.length, SAFETY)).isEqualTo(-1);
            writer.join(SAFETY);
            assertThat(consumed).isEqualTo(TOTAL);
            assertThat(written).hasValue(TOTAL);
        }
    }

    @Test
    void aFloodingPeerIsStoppedWhenNobodyReadsAndEveryByteArrivesOnceRead() throws Exception {
        try (ServerSocket server = ServerSocket.bind(HOST, 0);
             java.net.Socket peer = new java.net.Socket(HOST, server.port());
             Socket ours = server.accept(SAFETY)) {
            AtomicLong written = new AtomicLong();
            BlockingQueue<Long> progress = new LinkedBlockingQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<IOException> flooderFailure = new AtomicReference<>();
            Thread flooder = Thread.ofPlatform().daemon().name("flooder").start(() -> {
                try {
                    OutputStream out = peer.getOutputStream();
                    long position = 0;
                    while (!stop.get()) {
                        out.write(pattern(position, CHUNK));
                        position += CHUNK;
                        written.set(position);
                        progress.add(position);
                    }
                    peer.shutdownOutput();
                } catch (IOException e) {
                    flooderFailure.set(e);
                }
            });
            long writtenWhenBlocked;
            try {
                writtenWhenBlocked = awaitStall(progress, written, FLOOD_LIMIT);
            } finally {
                stop.set(true);
            }

            assertThat(writtenWhenBlocked).as("bytes the peer could write while nobody read")
                    .isLessThan(FLOOD_LIMIT);
            System.out.printf("[SocketBackpressureTest] the flooding peer blocked after %d bytes%n", writtenWhenBlocked);

            long consumed = readAndVerify(ours, new byte[CHUNK], 0, Long.MAX_VALUE);
            flooder.join(SAFETY.toMillis());
            assertThat(flooder.isAlive()).as("the flooder has finished").isFalse();
            assertThat(flooderFailure.get()).isNull();
            assertThat(consumed).isEqualTo(written.get()).isGreaterThanOrEqualTo(writtenWhenBlocked);
        }
    }

    @Test
    void writeWithTimeoutThrowsTimeoutExceptionWhenThePeerDoesNotReadAndWritesNothingOfThatCall() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            Socket writer = pair.client();
            long position = 0;
            TimeoutException timeout = null;
            for (int i = 0; i < MAX_TIMED_WRITES && timeout == null; i++) {
                byte[] chunk = pattern(position, MIB);
                try {
                    writer.write(chunk, SHORT);
                    position += MIB;
                } catch (TimeoutException e) {
                    timeout = e;
                }
            }

            assertThat(timeout).as("a write within %d MiB into a peer that does not read", MAX_TIMED_WRITES)
                    .isNotNull()
                    .hasMessageContaining("Socket.write")
                    .hasMessageContaining("timed out")
                    .hasNoCause();
            assertThat(position).as("bytes accepted before the timeout").isLessThan(FLOOD_LIMIT);
            System.out.printf("[SocketBackpressureTest] a write timed out after %d bytes were accepted%n", position);

            // Nothing of the timed-out write went out: the peer reads exactly what was accepted, in order.
            writer.close();
            long consumed = readAndVerify(pair.server(), new byte[CHUNK], 0, Long.MAX_VALUE);
            assertThat(consumed).isEqualTo(position);
        }
    }

    @Test
    void killOfATaskletBlockedInWriteThrowsTaskletExitAndWritesNothingOfThatCall() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            Socket writer = pair.client();
            AtomicLong accepted = new AtomicLong();
            Tasklet<Void> flooding = Tasklet.spawn(() -> {
                for (int i = 0; i < MAX_TIMED_WRITES; i++) {
                    writer.write(pattern(accepted.get(), MIB));
                    accepted.addAndGet(MIB);
                }
            });
            awaitCondition("the writer blocks in write", () -> flooding.tree().contains("waiting on"));

            flooding.kill();

            assertThatThrownBy(() -> flooding.join(SAFETY))
                    .isInstanceOf(JoinException.class)
                    .cause().isInstanceOf(TaskletExit.class)
                    .hasMessageContaining("Socket.write");

            // The socket is still usable, and the peer reads exactly what the completed writes handed over.
            Tasklet<Long> reader = Tasklet.spawn(() -> readAndVerify(pair.server(), new byte[CHUNK], 0, Long.MAX_VALUE));
            writer.write(pattern(accepted.get(), CHUNK), SAFETY);
            accepted.addAndGet(CHUNK);
            writer.close();
            assertThat(reader.join(SAFETY)).isEqualTo(accepted.get());
        }
    }

    @Test
    void closeWakesATaskletBlockedInWriteWithUncheckedIOException() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            Socket writer = pair.client();
            Tasklet<Void> flooding = Tasklet.spawn(() -> {
                byte[] chunk = pattern(0, MIB);
                for (int i = 0; i < MAX_TIMED_WRITES; i++) {
                    writer.write(chunk);
                }
            });
            awaitCondition("the writer blocks in write", () -> flooding.tree().contains("waiting on"));

            writer.close();

            assertThatThrownBy(() -> flooding.join(SAFETY))
                    .isInstanceOf(JoinException.class)
                    .cause().isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("closed")
                    .cause().isInstanceOf(SocketException.class)
                    .hasMessageContaining("Socket.write");
        }
    }

    /**
     * Reads up to {@code limit} bytes (or to the end of the stream), checking each against the pattern from
     * {@code position}; returns the position reached.
     */
    private static long readAndVerify(Socket socket, byte[] buffer, long position, long limit) {
        long end = limit == Long.MAX_VALUE ? Long.MAX_VALUE : position + limit;
        while (position < end) {
            int n = socket.read(buffer, 0, (int) Math.min(buffer.length, end - position), SAFETY);
            if (n < 0) {
                if (limit == Long.MAX_VALUE) {
                    return position;
                }
                throw new AssertionError("end of stream at " + position + ", expected " + end);
            }
            int mismatch = firstMismatch(buffer, n, position);
            if (mismatch >= 0) {
                throw new AssertionError("corrupted byte at " + (position + mismatch));
            }
            position += n;
        }
        return position;
    }

    /**
     * Waits until the writer has made no progress for {@link #STALL_WINDOW} and returns what it had written;
     * fails once it has written {@code limit} bytes, or after {@link NetTestSupport#SAFETY}.
     */
    private static long awaitStall(BlockingQueue<Long> progress, AtomicLong written, long limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (written.get() >= limit) {
                return written.get();
            }
            if (progress.poll(STALL_WINDOW.toMillis(), TimeUnit.MILLISECONDS) == null) {
                return written.get();
            }
            progress.clear();
        }
        throw new AssertionError("the writer never stopped within " + SAFETY + "; written " + written.get());
    }
}
