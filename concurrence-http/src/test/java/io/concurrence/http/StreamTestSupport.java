package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.RETRY_INTERVAL;
import static io.concurrence.http.ServerTestSupport.SAFETY;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raw-socket HTTP/1.1 plumbing and bounds shared by the server's streaming, upload, stop, connection, TLS,
 * observability and event-loop-carrier tests: a {@link Conn} reads responses exactly as they come off the wire
 * (head, then a {@code Content-Length}, chunked or close-delimited body), so the tests can check framing.
 */
final class StreamTestSupport {

    private StreamTestSupport() {
    }

    /**
     * Waits until {@code counter} stops moving: the same value over {@code quiet}, within {@code bound}.
     *
     * @return the value it settled at
     */
    static long awaitStall(java.util.function.LongSupplier counter, Duration quiet, Duration bound, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        long value = counter.getAsLong();
        long since = System.nanoTime();
        while (System.nanoTime() - since < quiet.toNanos()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + bound + " waiting until " + what + " stops growing (at "
                        + counter.getAsLong() + ")");
            }
            try {
                Thread.sleep(RETRY_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what + " stops growing", e);
            }
            long now = counter.getAsLong();
            if (now != value) {
                value = now;
                since = System.nanoTime();
            }
        }
        return value;
    }

    /** Heap in use after a full collection (G1's {@code System.gc()} is one), for bounds on buffering. */
    static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Memory Netty's default allocator (the one Reactor Netty's connections use) has handed out, direct and
     * heap: the buffers a server holds that {@link #usedHeapAfterGc()} does not see.
     */
    static long nettyBufferMemory() {
        if (io.netty.buffer.ByteBufAllocator.DEFAULT instanceof io.netty.buffer.ByteBufAllocatorMetricProvider p) {
            return p.metric().usedDirectMemory() + p.metric().usedHeapMemory();
        }
        throw new AssertionError("Netty's default allocator reports no metrics: "
                + io.netty.buffer.ByteBufAllocator.DEFAULT);
    }

    /** A response as it came off the wire; header names case-insensitive. */
    record RawResponse(int status, Map<String, List<String>> headers, byte[] body) {

        /** The first value of a header, or null. */
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The head of a response: status line, status and headers. */
    record Head(String statusLine, int status, Map<String, List<String>> headers) {

        /** The first value of a header, or null. */
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        boolean isChunked() {
            String encoding = header("Transfer-Encoding");
            return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
        }

        long contentLength() {
            String length = header("Content-Length");
            return length == null ? -1 : Long.parseLong(length.trim());
        }
    }

    /** A raw HTTP/1.1 connection to a server, with a read timeout of {@link #SAFETY} so a hang fails. */
    static final class Conn implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Conn(Socket socket) throws IOException {
            this(socket, 64 * 1024);
        }

        /** A connection whose reads are buffered {@code bufferSize} bytes at a time (small for many of them). */
        Conn(Socket socket, int bufferSize) throws IOException {
            this.socket = socket;
            socket.setSoTimeout((int) SAFETY.toMillis());
            this.in = new BufferedInputStream(socket.getInputStream(), bufferSize);
            this.out = socket.getOutputStream();
        }

        static Conn open(HttpServer server) throws IOException {
            return new Conn(new Socket(HOST, server.port()));
        }

        /** Sends {@code text} (ISO-8859-1) as it is. */
        Conn send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        /** Sends a {@code GET} of {@code target} with keep-alive. */
        Conn get(String target) throws IOException {
            return send("GET " + target + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n");
        }

        /** Reads a response head; fails on a close before it. */
        Head readHead() throws IOException {
            return parseHead(readHeadText(in));
        }

        /** Reads one whole response (its head, then its body as framed). */
        RawResponse readResponse() throws IOException {
            Head head = readHead();
            byte[] body;
            if (head.isChunked()) {
                body = chunked(in).readAllBytes();
            } else if (head.contentLength() >= 0) {
                body = in.readNBytes((int) head.contentLength());
                if (body.length < head.contentLength()) {
                    throw new EOFException("closed after " + body.length + " of " + head.contentLength()
                            + " body bytes");
                }
            } else if (head.status() == 204 || head.status() == 304 || head.status() < 200) {
                body = new byte[0];
            } else {
                body = in.readAllBytes();
            }
            return new RawResponse(head.status(), head.headers(), body);
        }

        /** Whether the server has closed the connection: a read sees the end of the stream or a reset. */
        boolean isClosedByPeer() throws IOException {
            try {
                return in.read() < 0;
            } catch (SocketException reset) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Reads up to and including the empty line that ends a head; fails on a close before it. */
    static String readHeadText(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed " + (head.size() == 0 ? "before a response"
                        : "inside a response head: " + head.toString(StandardCharsets.ISO_8859_1)));
            }
            head.write(c);
            last4 = last4 << 8 | c;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static Head parseHead(String text) {
        String[] lines = text.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), n -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        return new Head(lines[0], Integer.parseInt(statusLine[1]), headers);
    }

    /** The decoded body of a chunked response, read as it arrives; ends after the last chunk and trailers. */
    static InputStream chunked(InputStream in) {
        return new ChunkedBody(in);
    }

    /** Chunked transfer coding, decoded (RFC 9112 7.1); strict about CRLFs so framing errors fail tests. */
    private static final class ChunkedBody extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!nextChunk()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            left -= n;
            if (left == 0) {
                expectCrlf();
            }
            return n;
        }

        /** Whether there are chunk bytes left to read (reading the next chunk's size when needed). */
        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            if (left > 0) {
                return true;
            }
            String line = line();
            int semicolon = line.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailer fields: none expected, skipped
                }
                done = true;
                return false;
            }
            left = size;
            return true;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\r'; ) {
                if (c < 0) {
                    throw new EOFException("connection closed inside chunk framing");
                }
                line.append((char) c);
            }
            if (in.read() != '\n') {
                throw new IOException("chunk framing: CR without LF after '" + line + "'");
            }
            return line.toString();
        }

        private void expectCrlf() throws IOException {
            if (in.read() != '\r' || in.read() != '\n') {
                throw new IOException("chunk framing: a chunk's data is not followed by CRLF");
            }
        }
    }
}
