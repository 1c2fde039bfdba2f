package io.concurrence.net;

import static io.concurrence.net.NetTestSupport.HOST;
import static io.concurrence.net.NetTestSupport.SAFETY;
import static io.concurrence.net.NetTestSupport.SHORT;
import static io.concurrence.net.NetTestSupport.awaitCondition;
import static io.concurrence.net.NetTestSupport.connect;
import static io.concurrence.net.NetTestSupport.connectedPair;
import static io.concurrence.net.NetTestSupport.echoServer;
import static io.concurrence.net.NetTestSupport.firstMismatch;
import static io.concurrence.net.NetTestSupport.pattern;
import static io.concurrence.net.NetTestSupport.readAll;
import static io.concurrence.net.NetTestSupport.readExactly;
import static io.concurrence.net.NetTestSupport.readText;
import static io.concurrence.net.NetTestSupport.unusedPort;
import static io.concurrence.net.NetTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;

@org.junit.jupiter.api.Timeout(120)
class SocketTest {

    /** Bytes written just before close, in the delivery test. */
    private static final int ONE_MB = 1024 * 1024;

    // ---- echo, read, EOF ----

    @Test
    void echoRoundTripReturnsWhatWasWritten() {
        try (ServerSocket server = echoServer(); Socket client = connect(server)) {
            client.write(utf8("hello\n"));
            client.flush(SAFETY);

            assertThat(client.readLine(SAFETY)).isEqualTo("hello");
        }
    }

    @Test
    void largeEchoWithConcurrentWriterAndReaderRoundTripsEveryByte() {
        int total = 4 * ONE_MB;
        int chunk = 32 * 1024;
        try (ServerSocket server = echoServer(); Socket client = connect(server)) {
            Tasklet<Void> writer = Tasklet.spawn(() -> {
                for (int position = 0; position < total; position += chunk) {
                    client.write(pattern(position, chunk), SAFETY);
                }
                client.shutdownOutput();
            });

            byte[] echoed = readAll(client);

            writer.join(SAFETY);
            assertThat(echoed).hasSize(total);
            assertThat(firstMismatch(echoed, total, 0)).as("first corrupted byte").isEqualTo(-1);
        }
    }

    @Test
    void readReturnsWhatArrivedThenMinusOneAfterThePeerCloses() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(utf8("abc"));
            pair.server().close();

            byte[] buffer = new byte[1024];
            StringBuilder received = new StringBuilder();
            while (received.length() < 3) {
                int n = pair.client().read(buffer, 0, buffer.length, SAFETY);
                assertThat(n).as("bytes read before the end of the stream").isBetween(1, 3 - received.length());
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }

            assertThat(received).hasToString("abc");
            assertThat(pair.client().read(buffer, 0, buffer.length, SAFETY)).isEqualTo(-1);
            assertThat(pair.client().read(buffer, 0, buffer.length, SAFETY)).as("a second read at EOF").isEqualTo(-1);
        }
    }

    @Test
    void readOfZeroBytesReturnsZeroWithoutWaiting() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            assertThat(pair.client().read(new byte[4], 0, 0, SHORT)).isZero();
        }
    }

    @Test
    void readWithTimeoutThrowsTimeoutExceptionAndLeavesTheSocketUsable() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            byte[] buffer = new byte[16];

            assertThatThrownBy(() -> pair.client().read(buffer, 0, buffer.length, SHORT))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Socket.read")
                    .hasMessageContaining("timed out")
                    .hasNoCause();

            pair.server().write(utf8("later"));
            assertThat(readText(pair.client(), 5)).isEqualTo("later");
        }
    }

    @Test
    void readHonoursTheAmbientTimeout() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            try (var ignored = io.concurrence.Timeout.push(SHORT)) {
                assertThatThrownBy(() -> pair.client().read(new byte[16], 0, 16))
                        .isInstanceOf(TimeoutException.class)
                        .hasMessageContaining("Socket.read")
                        .hasMessageContaining("ambient Timeout");
            }
        }
    }

    // ---- readLine ----

    @Test
    void readLineSplitsOnLineFeedAndCarriageReturnLineFeed() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(utf8("one\ntwo\r\n\nthree\r\n"));

            assertThat(pair.client().readLine(SAFETY)).isEqualTo("one");
            assertThat(pair.client().readLine(SAFETY)).isEqualTo("two");
            assertThat(pair.client().readLine(SAFETY)).isEmpty();
            assertThat(pair.client().readLine(SAFETY)).isEqualTo("three");
        }
    }

    @Test
    void readLineReturnsTheFinalUnterminatedLineAtEndOfStreamThenNull() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(utf8("first\nlast"));
            pair.server().close();

            assertThat(pair.client().readLine(SAFETY)).isEqualTo("first");
            assertThat(pair.client().readLine(SAFETY)).isEqualTo("last");
            assertThat(pair.client().readLine(SAFETY)).isNull();
            assertThat(pair.client().readLine(SAFETY)).as("a second readLine at EOF").isNull();
        }
    }

    @Test
    void readLineAcceptsALineOfExactlyTheDefaultLimitWithEitherTerminator() {
        String longest = "x".repeat(Socket.DEFAULT_MAX_LINE_LENGTH);
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(utf8(longest + "\n" + longest + "\r\n"));

            assertThat(pair.client().readLine(SAFETY)).isEqualTo(longest);
            assertThat(pair.client().readLine(SAFETY)).isEqualTo(longest);
        }
    }

    @Test
    void readLineOverALineLongerThanTheDefaultLimitThrowsIllegalStateExceptionNamingTheLimit() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(utf8("y".repeat(Socket.DEFAULT_MAX_LINE_LENGTH + 1) + "\n"));

            assertThatThrownBy(() -> pair.client().readLine(SAFETY))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Socket.readLine")
                    .hasMessageContaining("limit of " + Socket.DEFAULT_MAX_LINE_LENGTH + " bytes")
                    .hasNoCause();
        }
    }

    @Test
    void readLineWithACustomLimitAcceptsShortLinesAndRejectsLongerOnes() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(utf8("12345\n123456\n"));

            assertThat(pair.client().readLine(5, SAFETY)).isEqualTo("12345");
            assertThatThrownBy(() -> pair.client().readLine(5, SAFETY))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("limit of 5 bytes")
                    .hasNoCause();
        }
    }

    @Test
    void readLineWithACustomLimitAndTimeoutThrowsTimeoutExceptionWhenNoLineArrives() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            assertThatThrownBy(() -> pair.client().readLine(5, SHORT))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Socket.readLine")
                    .hasMessageContaining("timed out");

            pair.server().write(utf8("late\n"));
            assertThat(pair.client().readLine(5, SAFETY)).isEqualTo("late");
        }
    }

    @Test
    void readLineRejectsANonPositiveLimit() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            assertThatThrownBy(() -> pair.client().readLine(0, SAFETY))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxLength")
                    .hasMessageContaining("0");
        }
    }

    /** Javadoc of readLine(int, Duration): "the bytes of a partly read line stay in the socket for the next read". */
    @Test
    void readLineThatTimesOutMidLineKeepsThePartialLineForTheNextRead() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(utf8("hel"));
            pair.server().flush(SAFETY);

            assertThatThrownBy(() -> pair.client().readLine(SHORT))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Socket.readLine");

            pair.server().write(utf8("lo\n"));
            assertThat(pair.client().readLine(SAFETY)).isEqualTo("hello");
        }
    }

    /** An unterminated last line is still a line: the limit applies to it as to any other. */
    @Test
    void readLineOverAnUnterminatedLastLineLongerThanTheLimitThrowsIllegalStateException() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(utf8("abcde"));
            pair.server().close();

            assertThatThrownBy(() -> pair.client().readLine(4, SAFETY))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("limit of 4 bytes");
        }
    }

    @Test
    void readLineReassemblesALineWrittenInThreePiecesWithFlushesBetween() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            Tasklet<String> reader = Tasklet.spawn(() -> pair.client().readLine(SAFETY));
            awaitCondition("the reader waits for a line", () -> reader.tree().contains("waiting on"));

            for (String piece : new String[] {"hel", "lo wor", "ld\r\n"}) {
                pair.server().write(utf8(piece));
                pair.server().flush(SAFETY);
            }

            assertThat(reader.join(SAFETY)).isEqualTo("hello world");
        }
    }

    @Test
    void readLineDecodesUtf8IncludingACharacterSplitAcrossWrites() {
        String line = "héllo 🌍 wörld ✓";
        byte[] bytes = utf8(line + "\n");
        int emoji = utf8("héllo ").length;
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            Tasklet<String> reader = Tasklet.spawn(() -> pair.client().readLine(SAFETY));
            awaitCondition("the reader waits for a line", () -> reader.tree().contains("waiting on"));

            // Split inside the 4-byte encoding of the emoji.
            pair.server().write(Arrays.copyOfRange(bytes, 0, emoji + 2));
            pair.server().flush(SAFETY);
            pair.server().write(Arrays.copyOfRange(bytes, emoji + 2, bytes.length));
            pair.server().flush(SAFETY);

            assertThat(reader.join(SAFETY)).isEqualTo(line);
        }
    }

    // ---- writing and the stream views ----

    @Test
    void writeThenFlushDeliversTheBytesToThePeer() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.client().write(utf8("ping"));
            pair.client().write(utf8("pong"), SAFETY);
            pair.client().flush();

            assertThat(readText(pair.server(), 8)).isEqualTo("pingpong");
        }
    }

    @Test
    void dataStreamsOverTheInputAndOutputStreamViewsRoundTrip() throws IOException {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            DataOutputStream out = new DataOutputStream(pair.client().outputStream());
            out.writeInt(42);
            out.writeUTF("héllo 🌍");
            out.writeLong(-7L);
            out.flush();

            DataInputStream in = new DataInputStream(pair.server().inputStream());
            assertThat(in.readInt()).isEqualTo(42);
            assertThat(in.readUTF()).isEqualTo("héllo 🌍");
            assertThat(in.readLong()).isEqualTo(-7L);
        }
    }

    @Test
    void bufferedReaderOverTheInputStreamReadsLinesUntilEndOfStream() throws IOException {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(utf8("alpha\r\nbeta 🌍\ngamma"));
            pair.server().close();

            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(pair.client().inputStream(), StandardCharsets.UTF_8));
            assertThat(reader.readLine()).isEqualTo("alpha");
            assertThat(reader.readLine()).isEqualTo("beta 🌍");
            assertThat(reader.readLine()).isEqualTo("gamma");
            assertThat(reader.readLine()).isNull();
            assertThat(pair.client().inputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void outputStreamBuffersUntilFlush() throws IOException {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            OutputStream out = pair.client().outputStream();
            out.write(utf8("buffered"));

            assertThatThrownBy(() -> pair.server().read(new byte[16], 0, 16, SHORT))
                    .as("nothing is sent before flush")
                    .isInstanceOf(TimeoutException.class);

            out.flush();
            assertThat(readText(pair.server(), 8)).isEqualTo("buffered");
        }
    }

    @Test
    void closingTheOutputStreamFlushesAndClosesTheSocket() throws IOException {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            OutputStream out = pair.client().outputStream();
            out.write(utf8("bye"));
            out.close();

            assertThat(pair.client().isClosed()).isTrue();
            assertThat(new String(readAll(pair.server()), StandardCharsets.UTF_8)).isEqualTo("bye");
        }
    }

    @Test
    void closingTheInputStreamClosesTheSocket() throws IOException {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            InputStream in = pair.client().inputStream();
            in.close();

            assertThat(pair.client().isClosed()).isTrue();
            assertThat(pair.server().read(new byte[4], 0, 4, SAFETY)).isEqualTo(-1);
        }
    }

    @Test
    void theStreamViewsAreTheSameObjectEachTime() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            assertThat(pair.client().inputStream()).isSameAs(pair.client().inputStream());
            assertThat(pair.client().outputStream()).isSameAs(pair.client().outputStream());
        }
    }

    // ---- half-close and close ----

    @Test
    void shutdownOutputLetsThePeerReadEndOfStreamAndStillReplies() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.client().write(utf8("request"));
            pair.client().shutdownOutput();

            assertThat(new String(readAll(pair.server()), StandardCharsets.UTF_8)).isEqualTo("request");

            pair.server().write(utf8("reply"));
            pair.server().flush(SAFETY);
            assertThat(readText(pair.client(), 5)).isEqualTo("reply");

            pair.server().close();
            assertThat(pair.client().read(new byte[4], 0, 4, SAFETY)).isEqualTo(-1);
        }
    }

    @Test
    void readAfterCloseThrowsUncheckedIOExceptionCausedBySocketException() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.client().close();

            assertThatThrownBy(() -> pair.client().read(new byte[4], 0, 4, SAFETY))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("closed")
                    .cause().isInstanceOf(SocketException.class)
                    .hasMessageContaining("Socket.read");
            assertThatThrownBy(() -> pair.client().readLine(SAFETY))
                    .isInstanceOf(UncheckedIOException.class)
                    .cause().isInstanceOf(SocketException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void writeAfterCloseThrowsUncheckedIOExceptionCausedBySocketException() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.client().close();

            assertThatThrownBy(() -> pair.client().write(utf8("late")))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("closed")
                    .cause().isInstanceOf(SocketException.class)
                    .hasMessageContaining("Socket.write");
        }
    }

    @Test
    void closeIsIdempotent() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            assertThat(pair.client().isClosed()).isFalse();

            pair.client().close();
            pair.client().close();

            assertThat(pair.client().isClosed()).isTrue();
            assertThat(pair.client().toString()).contains("closed");
            assertThat(pair.server().read(new byte[4], 0, 4, SAFETY)).isEqualTo(-1);
        }
    }

    @Test
    void dataWrittenJustBeforeCloseIsStillDeliveredToThePeer() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(pattern(0, ONE_MB));
            pair.server().close();

            byte[] received = readAll(pair.client());

            assertThat(received).hasSize(ONE_MB);
            assertThat(firstMismatch(received, ONE_MB, 0)).as("first corrupted byte").isEqualTo(-1);
        }
    }

    @Test
    void bytesBufferedInTheOutputStreamAreDeliveredOnClose() throws IOException {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().outputStream().write(utf8("unflushed"));
            pair.server().close();

            assertThat(new String(readAll(pair.client()), StandardCharsets.UTF_8)).isEqualTo("unflushed");
        }
    }

    /**
     * A reset (SO_LINGER 0) must end a blocked read promptly. Observed: see the assertion message; both an
     * {@link UncheckedIOException} naming the peer and a clean -1 are accepted here.
     */
    @Test
    void peerResetEndsAPendingReadPromptlyWithAnExceptionOrEndOfStream() throws IOException {
        try (ServerSocket server = ServerSocket.bind(HOST, 0);
             java.net.Socket peer = new java.net.Socket(HOST, server.port());
             Socket ours = server.accept(SAFETY)) {
            Tasklet<Integer> reader = Tasklet.spawn(() -> ours.read(new byte[16], 0, 16, SAFETY));
            awaitCondition("the reader waits for data", () -> reader.tree().contains("waiting on"));

            peer.setSoLinger(true, 0);
            peer.close();

            Tasklet.Result<Integer> result = Tasklet.joinAll(List.of(reader), SAFETY).getFirst();
            if (result.isSuccess()) {
                assertThat(result.value()).as("a reset read as end of stream").isEqualTo(-1);
            } else {
                assertThat(result.exception()).cause()
                        .isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining(String.valueOf(peer.getLocalPort()))
                        .cause().isInstanceOf(IOException.class);
            }
            System.out.println("[SocketTest] a read on a reset connection "
                    + (result.isSuccess() ? "returned " + result.value() : "threw " + result.exception().getCause()));
        }
    }

    @Test
    void writesToAResetPeerEventuallyThrowUncheckedIOException() throws IOException {
        try (ServerSocket server = ServerSocket.bind(HOST, 0);
             java.net.Socket peer = new java.net.Socket(HOST, server.port());
             Socket ours = server.accept(SAFETY)) {
            peer.setSoLinger(true, 0);
            peer.close();

            byte[] chunk = pattern(0, 64 * 1024);
            Throwable failure = null;
            long deadline = System.nanoTime() + SAFETY.toNanos();
            while (failure == null && System.nanoTime() - deadline < 0) {
                failure = catchThrowable(() -> {
                    ours.write(chunk, SAFETY);
                    ours.flush(SAFETY);
                });
            }

            assertThat(failure).as("a write after the reset")
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("Socket.")
                    .cause().isInstanceOf(IOException.class);
        }
    }

    // ---- connecting ----

    @Test
    void connectToAPortNobodyListensOnThrowsUncheckedIOExceptionCausedByConnectException() {
        int port = unusedPort();

        assertThatThrownBy(() -> Socket.connect(HOST, port, SAFETY))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(HOST + ":" + port)
                .cause().isInstanceOf(ConnectException.class);
    }

    @Test
    void connectToAnUnresolvableHostThrowsUncheckedIOException() {
        String host = "no-such-host.invalid";

        assertThatThrownBy(() -> Socket.connect(host, 80, SAFETY))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(host)
                .cause().isInstanceOf(IOException.class);
    }

    @Test
    void connectThatGetsNoAnswerGivesUpWithinItsTimeout() throws IOException {
        Duration timeout = Duration.ofMillis(500);
        try (NetTestSupport.BlackHole hole = NetTestSupport.BlackHole.open()) {
            long start = System.nanoTime();
            Throwable failure = catchThrowable(() -> Socket.connect(HOST, hole.port(), timeout).close());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(failure).as("connecting to a listener that does not answer").isNotNull();
            if (!(failure instanceof TimeoutException)) {
                // Netty's own connect timeout (io.netty.channel.ConnectTimeoutException) is a ConnectException.
                assertThat(failure).isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining(HOST + ":" + hole.port())
                        .cause().isInstanceOf(ConnectException.class);
            }
            System.out.println("[SocketTest] an unanswered connect failed after " + elapsed.toMillis()
                    + " ms with " + failure);
            assertThat(elapsed).as("time to give up").isLessThan(SAFETY.dividedBy(4));
        }
    }

    /** TimeoutException: "The message names the call and which deadline expired." */
    @Test
    void connectTimeoutNamesTheConnectCall() throws IOException {
        try (NetTestSupport.BlackHole hole = NetTestSupport.BlackHole.open()) {
            assertThatThrownBy(() -> Socket.connect(HOST, hole.port(), SHORT.multipliedBy(3)).close())
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Socket.connect")
                    .hasMessageContaining("timed out after");
        }
    }

    @Test
    void connectHonoursTheAmbientTimeout() throws IOException {
        try (NetTestSupport.BlackHole hole = NetTestSupport.BlackHole.open();
             var ignored = io.concurrence.Timeout.push(SHORT.multipliedBy(3))) {
            assertThatThrownBy(() -> Socket.connect(HOST, hole.port()).close())
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("ambient Timeout");
        }
    }

    @Test
    void killOfATaskletBlockedInConnectThrowsTaskletExit() throws IOException {
        try (NetTestSupport.BlackHole hole = NetTestSupport.BlackHole.open()) {
            Tasklet<Socket> connector = Tasklet.spawn(() -> Socket.connect(HOST, hole.port(), SAFETY));
            awaitCondition("the connector waits", () -> connector.tree().contains("waiting on"));

            connector.kill();

            assertThatThrownBy(() -> connector.join(SAFETY))
                    .isInstanceOf(JoinException.class)
                    .cause().isInstanceOf(TaskletExit.class);
        }
    }

    @Test
    void connectRejectsAnInvalidPort() {
        assertThatThrownBy(() -> Socket.connect(HOST, 0, SAFETY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> Socket.connect(HOST, 65_536, SAFETY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
    }

    @Test
    void closeWakesATaskletBlockedInReadWithUncheckedIOException() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            Tasklet<Integer> reader = Tasklet.spawn(() -> pair.client().read(new byte[16], 0, 16, SAFETY));
            awaitCondition("the reader waits for data", () -> reader.tree().contains("waiting on"));

            pair.client().close();

            assertThatThrownBy(() -> reader.join(SAFETY))
                    .isInstanceOf(JoinException.class)
                    .cause().isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("closed")
                    .cause().isInstanceOf(SocketException.class);
        }
    }

    @Test
    void writeAfterShutdownOutputFailsWithUncheckedIOException() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.client().shutdownOutput();
            assertThat(pair.server().read(new byte[4], 0, 4, SAFETY)).isEqualTo(-1);

            // Bounded, so that a write that waits for room that never comes fails the test instead of hanging it.
            assertThatThrownBy(() -> {
                pair.client().write(utf8("too late"), SAFETY);
                pair.client().flush(SAFETY);
            })
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("Socket.")
                    .cause().isInstanceOf(IOException.class);
        }
    }

    @Test
    void readLineWithALargeLimitReassemblesALineSpanningManyBuffers() {
        String line = "z".repeat(300_000);
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            pair.server().write(utf8(line + "\r\nnext\n"));

            assertThat(pair.client().readLine(400_000, SAFETY)).isEqualTo(line);
            assertThat(pair.client().readLine(SAFETY)).isEqualTo("next");
        }
    }

    @Test
    void concurrentReadLinesAreSerializedAndEachGetsAWholeLine() {
        int lines = 400;
        String padding = "-".repeat(1000);
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            java.util.Set<String> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Tasklet<Void>> readers = new java.util.ArrayList<>();
            for (int r = 0; r < 4; r++) {
                readers.add(Tasklet.spawn(() -> {
                    for (String l; (l = pair.client().readLine(SAFETY)) != null; ) {
                        assertThat(received.add(l)).as("line read twice: %s", l).isTrue();
                    }
                }));
            }
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                all.append("line-").append(i).append(padding).append('\n');
            }
            pair.server().write(utf8(all.toString()));
            pair.server().close();

            for (Tasklet.Result<Void> result : Tasklet.joinAll(readers, SAFETY)) {
                assertThat(result.exception()).isNull();
            }
            assertThat(received).hasSize(lines)
                    .allSatisfy(l -> assertThat(l).matches("line-\\d+" + padding));
        }
    }

    // ---- kill, addresses, interop ----

    @Test
    void killOfATaskletBlockedInReadThrowsTaskletExitAndTheSocketStaysUsable() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            Tasklet<Integer> reader = Tasklet.spawn(() -> pair.client().read(new byte[16], 0, 16));
            awaitCondition("the reader waits for data", () -> reader.tree().contains("waiting on"));

            reader.kill();

            assertThatThrownBy(() -> reader.join(SAFETY))
                    .isInstanceOf(JoinException.class)
                    .cause().isInstanceOf(TaskletExit.class)
                    .hasMessageContaining("Socket.read");

            pair.server().write(utf8("after"));
            assertThat(readText(pair.client(), 5)).isEqualTo("after");
        }
    }

    @Test
    void killOfATaskletBlockedInReadLineKeepsLaterLinesForAnotherReader() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            Tasklet<String> reader = Tasklet.spawn(() -> pair.client().readLine());
            awaitCondition("the reader waits for a line", () -> reader.tree().contains("waiting on"));

            reader.kill();
            assertThatThrownBy(() -> reader.join(SAFETY))
                    .isInstanceOf(JoinException.class)
                    .cause().isInstanceOf(TaskletExit.class);

            pair.server().write(utf8("next\n"));
            assertThat(pair.client().readLine(SAFETY)).isEqualTo("next");
        }
    }

    @Test
    void addressesNameBothEndsOfTheConnection() {
        try (ServerSocket server = ServerSocket.bind(HOST, 0); NetTestSupport.Pair pair = connectedPair(server)) {
            assertThat(pair.client().remoteAddress()).isEqualTo(new InetSocketAddress(HOST, server.port()));
            assertThat(pair.server().localAddress()).isEqualTo(pair.client().remoteAddress());
            assertThat(pair.server().remoteAddress()).isEqualTo(pair.client().localAddress());
            assertThat(pair.client().localAddress().getPort()).isPositive();
            assertThat(pair.client().toString()).contains(String.valueOf(server.port()));
        }
    }

    @Test
    void aPlainJavaNetClientInteroperatesWithOurServerSocket() throws IOException {
        try (ServerSocket server = echoServer();
             java.net.Socket plain = new java.net.Socket(HOST, server.port())) {
            plain.getOutputStream().write(utf8("ping\n"));
            plain.getOutputStream().flush();
            assertThat(readExactly(plain, 5)).isEqualTo(utf8("ping\n"));

            plain.shutdownOutput();
            assertThat(plain.getInputStream().read()).as("end of stream after the echo handler returns").isEqualTo(-1);
        }
    }

    @Test
    void ourSocketInteroperatesWithAPlainJavaNetServer() throws IOException {
        try (java.net.ServerSocket plainServer = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName(HOST));
             Socket ours = Socket.connect(HOST, plainServer.getLocalPort(), SAFETY);
             java.net.Socket accepted = plainServer.accept()) {
            ours.write(utf8("hello"));
            ours.flush(SAFETY);
            assertThat(readExactly(accepted, 5)).isEqualTo(utf8("hello"));

            accepted.getOutputStream().write(utf8("world\n"));
            accepted.close();
            assertThat(ours.readLine(SAFETY)).isEqualTo("world");
            assertThat(ours.readLine(SAFETY)).isNull();
        }
    }
}
