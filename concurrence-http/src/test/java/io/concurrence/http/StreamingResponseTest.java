package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.StreamTestSupport.awaitStall;
import static io.concurrence.http.StreamTestSupport.chunked;
import static io.concurrence.http.StreamTestSupport.nettyBufferMemory;
import static io.concurrence.http.ServerTestSupport.server;
import static io.concurrence.http.StreamTestSupport.usedHeapAfterGc;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import io.concurrence.http.StreamTestSupport.Conn;
import io.concurrence.http.StreamTestSupport.Head;
import io.concurrence.http.StreamTestSupport.RawResponse;

/**
 * Streamed responses ({@code HttpResponse.outputStream()}) over HTTP/1.1: chunked without a
 * {@code Content-Length}, with each flushed piece reaching the client while the handler is still running; sent
 * as is with one; and backpressured: a handler writing far more than a client reads blocks in {@code write}
 * instead of buffering (neither the heap nor Netty's buffers grow by much), then finishes with every byte intact
 * once the client reads.
 */
@org.junit.jupiter.api.Timeout(120)
class StreamingResponseTest {

    private static final String PART_ONE = "part one, flushed early; ";
    private static final String PART_TWO = "part two, after the client saw part one";

    /** What the backpressure test's handler tries to write: far more than any buffer on the way. */
    private static final long FLOOD = 256L << 20;
    private static final int BLOCK = 64 * 1024;
    /** The most a handler may get written to a client that reads nothing (socket buffers included). */
    private static final long WRITTEN_BOUND = 32L << 20;
    /** The most the heap and Netty's buffers may grow meanwhile. */
    private static final long MEMORY_BOUND = 64L << 20;
    /** How long the handler's write count must stay unchanged to count as blocked. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @Test
    void aStreamWithoutContentLengthIsChunkedAndItsFlushedPartArrivesBeforeTheHandlerEnds() throws Exception {
        CountDownLatch partOneRead = new CountDownLatch(1);
        CompletableFuture<Void> handlerDone = new CompletableFuture<>();
        try (HttpServer server = server((request, response) -> {
            OutputStream out = response.outputStream();
            out.write(ascii(PART_ONE));
            out.flush();
            if (!partOneRead.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the client did not read part one");
            }
            out.write(ascii(PART_TWO));
            handlerDone.complete(null);
        }).build().start(); Conn conn = Conn.open(server)) {
            conn.get("/stream");
            Head head = conn.readHead();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
            assertThat(head.header("Content-Length")).isNull();
            InputStream body = chunked(conn.in);
            assertThat(text(body.readNBytes(PART_ONE.length()))).isEqualTo(PART_ONE);
            assertThat(handlerDone).as("the handler is still waiting when part one arrives").isNotDone();

            partOneRead.countDown();
            assertThat(text(body.readAllBytes())).isEqualTo(PART_TWO);
            handlerDone.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(conn.get("/again").readResponse().status()).as("the connection is kept alive").isEqualTo(200);
        }
    }

    @Test
    void aStreamWithContentLengthIsSentAsIsNotChunked() throws Exception {
        String whole = PART_ONE + PART_TWO;
        try (HttpServer server = server((request, response) -> {
            response.setHeader("Content-Length", Integer.toString(whole.length()));
            OutputStream out = response.outputStream();
            out.write(ascii(PART_ONE));
            out.flush();
            out.write(ascii(PART_TWO));
        }).build().start(); Conn conn = Conn.open(server)) {
            RawResponse first = conn.get("/sized").readResponse();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Transfer-Encoding")).isNull();
            assertThat(first.header("Content-Length")).isEqualTo(Integer.toString(whole.length()));
            assertThat(first.bodyText()).isEqualTo(whole);
            // Framed by its length, the body ends exactly there: the next response on the connection parses.
            assertThat(conn.get("/sized").readResponse().bodyText()).isEqualTo(whole);
        }
    }

    @Test
    void aHandlerWritingToAClientThatDoesNotReadBlocksThenFinishesIntactOnceItReads() throws Exception {
        AtomicLong written = new AtomicLong();
        CompletableFuture<Long> handlerChecksum = new CompletableFuture<>();
        try (HttpServer server = server((request, response) -> {
            OutputStream out = response.outputStream();
            byte[] block = pattern();
            CRC32 crc = new CRC32();
            for (long i = 0; i < FLOOD / BLOCK; i++) {
                ByteBuffer.wrap(block).putLong(0, i); // each block differs: a lost or repeated one changes the sum
                out.write(block);
                crc.update(block);
                written.addAndGet(BLOCK);
            }
            handlerChecksum.complete(crc.getValue());
        }).build().start(); Conn conn = new Conn(smallWindowSocket(server))) {
            long heapBefore = usedHeapAfterGc();
            long buffersBefore = nettyBufferMemory();
            conn.get("/flood");

            long blockedAt = awaitStall(written::get, QUIET, SAFETY, "the handler's writes");
            long heapGrowth = usedHeapAfterGc() - heapBefore;
            long buffersGrowth = nettyBufferMemory() - buffersBefore;

            assertThat(handlerChecksum).as("the handler is blocked in write").isNotDone();
            assertThat(blockedAt).as("bytes written before blocking").isLessThan(WRITTEN_BOUND);
            assertThat(heapGrowth + buffersGrowth).as("memory held while the handler is blocked (heap %d,"
                    + " Netty buffers %d)", heapGrowth, buffersGrowth).isLessThan(MEMORY_BOUND);

            Head head = conn.readHead();
            assertThat(head.isChunked()).isTrue();
            InputStream body = chunked(conn.in);
            CRC32 crc = new CRC32();
            long received = 0;
            byte[] buffer = new byte[BLOCK];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
                received += n;
            }
            assertThat(received).isEqualTo(FLOOD);
            assertThat(crc.getValue()).isEqualTo(handlerChecksum.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** A client socket with a small receive window, so the server's writes back up quickly. */
    private static Socket smallWindowSocket(HttpServer server) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress(HOST, server.port()), (int) SAFETY.toMillis());
        return socket;
    }

    private static byte[] pattern() {
        byte[] block = new byte[BLOCK];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31 + (i >>> 8));
        }
        return block;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
