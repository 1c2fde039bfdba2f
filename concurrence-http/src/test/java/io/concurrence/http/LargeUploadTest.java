package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.StreamTestSupport.awaitStall;
import static io.concurrence.http.StreamTestSupport.nettyBufferMemory;
import static io.concurrence.http.ServerTestSupport.server;
import static io.concurrence.http.StreamTestSupport.usedHeapAfterGc;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import io.concurrence.http.StreamTestSupport.RawResponse;

/**
 * Request bodies stream through {@code HttpRequest.body()} with bounded memory: a 1 GiB upload, with a
 * {@code Content-Length} and chunked, reaches a handler that reads it in 8 KiB pieces byte for byte (count and
 * CRC-32), while neither the heap (sampled after a collection every {@value #SAMPLE_EVERY_MIB} MiB) nor Netty's
 * buffers grow by more than a bound far below the body (the test JVM has a 1 GiB heap, so a buffering server
 * would fail anyway); and a handler that stops reading stops the upload at the socket.
 */
@org.junit.jupiter.api.Timeout(120)
class LargeUploadTest {

    private static final long GIB = 1L << 30;
    private static final int BLOCK = 1 << 20;
    private static final int SAMPLE_EVERY_MIB = 128;
    /** The most the heap (after a collection) may grow while the body streams through. */
    private static final long HEAP_BOUND = 256L << 20;
    /** The most Netty's buffers may grow meanwhile. */
    private static final long BUFFERS_BOUND = 64L << 20;
    /** The most a client gets written while the handler does not read (socket buffers included). */
    private static final long UNREAD_BOUND = 64L << 20;
    /** How long the client's write count must stay unchanged to count as blocked. */
    private static final Duration QUIET = Duration.ofMillis(500);

    @Test
    void aOneGibUploadWithContentLengthStreamsThroughTheHandlerWithBoundedMemory() throws Exception {
        Upload upload = new Upload();
        try (HttpServer server = server(upload::handle).build().start();
             Conn conn = Conn.open(server)) {
            long expectedCrc = sendAsync(conn, "Content-Length: " + GIB, false)
                    .get(SAFETY.toMillis() * 2, TimeUnit.MILLISECONDS);

            upload.check(conn.readResponse(), GIB, expectedCrc);
        }
    }

    @Test
    void aOneGibChunkedUploadStreamsThroughTheHandlerWithBoundedMemory() throws Exception {
        Upload upload = new Upload();
        try (HttpServer server = server(upload::handle).build().start();
             Conn conn = Conn.open(server)) {
            long expectedCrc = sendAsync(conn, "Transfer-Encoding: chunked", true)
                    .get(SAFETY.toMillis() * 2, TimeUnit.MILLISECONDS);

            upload.check(conn.readResponse(), GIB, expectedCrc);
        }
    }

    @Test
    void aHandlerThatStopsReadingStopsTheUploadAtTheSocket() throws Exception {
        long total = 512L << 20;
        CountDownLatch resume = new CountDownLatch(1);
        try (HttpServer server = server((request, response) -> {
            InputStream body = request.body();
            long count = body.readNBytes(BLOCK).length;
            if (!resume.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the test did not let the handler resume");
            }
            byte[] piece = new byte[8192];
            for (int n; (n = body.read(piece)) >= 0; ) {
                count += n;
            }
            response.send(Long.toString(count));
        }).build().start(); Conn conn = Conn.open(server)) {
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    conn.send("POST /upload HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: " + total + "\r\n\r\n");
                    byte[] block = new byte[64 * 1024];
                    for (long left = total; left > 0; left -= block.length) {
                        conn.out.write(block);
                        sent.addAndGet(block.length);
                    }
                    conn.out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, task -> Thread.ofPlatform().daemon().name("upload-writer").start(task));

            long stalledAt = awaitStall(sent::get, QUIET, SAFETY, "the client's writes");
            assertThat(writer).as("the client is blocked in write").isNotDone();
            assertThat(stalledAt).as("bytes the client got written while the handler did not read")
                    .isLessThan(UNREAD_BOUND);

            resume.countDown();
            writer.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS);
            RawResponse response = conn.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(Long.toString(total));
        }
    }

    /**
     * Writes a 1 GiB body on a thread of its own (so that a server that stops reading fails the test by the
     * read timeout rather than hanging it); completes with the body's CRC-32.
     */
    private static CompletableFuture<Long> sendAsync(Conn conn, String framingHeader, boolean chunked) {
        CompletableFuture<Long> crc = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("upload-writer").start(() -> {
            try {
                crc.complete(send(conn.out, framingHeader, chunked));
            } catch (Throwable e) {
                crc.completeExceptionally(e);
            }
        });
        return crc;
    }

    private static long send(OutputStream out, String framingHeader, boolean chunked) throws IOException {
        out.write(("POST /upload HTTP/1.1\r\nHost: " + HOST + "\r\n" + framingHeader + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] block = new byte[BLOCK];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 7 + (i >>> 9));
        }
        byte[] chunkHead = (Integer.toHexString(BLOCK) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        for (long i = 0; i < GIB / BLOCK; i++) {
            ByteBuffer.wrap(block).putLong(0, i); // each block differs: a lost or repeated one changes the sum
            crc.update(block);
            if (chunked) {
                out.write(chunkHead);
            }
            out.write(block);
            if (chunked) {
                out.write(crlf);
            }
        }
        if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        return crc.getValue();
    }

    /** A handler that reads the body in 8 KiB pieces, checksums it and samples memory as it goes. */
    private static final class Upload {
        private final long heapBaseline = usedHeapAfterGc();
        private final long buffersBaseline = nettyBufferMemory();
        private volatile long peakHeap;
        private volatile long peakBuffers;

        void handle(HttpRequest request, HttpResponse response) throws IOException {
            InputStream body = request.body();
            byte[] piece = new byte[8192];
            CRC32 crc = new CRC32();
            long count = 0;
            long nextSample = 0;
            for (int n; (n = body.read(piece)) >= 0; ) {
                crc.update(piece, 0, n);
                count += n;
                if (count >= nextSample) {
                    peakHeap = Math.max(peakHeap, usedHeapAfterGc());
                    peakBuffers = Math.max(peakBuffers, nettyBufferMemory());
                    nextSample += (long) SAMPLE_EVERY_MIB << 20;
                }
            }
            response.send(count + " " + crc.getValue());
        }

        void check(RawResponse response, long expectedCount, long expectedCrc) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).as("bytes and CRC-32 the handler read")
                    .isEqualTo(expectedCount + " " + expectedCrc);
            assertThat(peakHeap - heapBaseline).as("heap growth during the upload").isLessThan(HEAP_BOUND);
            assertThat(peakBuffers - buffersBaseline).as("Netty buffer growth during the upload")
                    .isLessThan(BUFFERS_BOUND);
        }
    }
}
