package io.concurrence.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Raw-socket helpers for the server's protocol tests: a {@link RawConnection} writes bytes exactly as given
 * and reads HTTP/1.1 responses back one at a time ({@code Content-Length}, chunked or close-delimited bodies,
 * interim {@code 1xx} responses, a chunk at a time when a test needs to act in the middle of a body), and
 * tells a connection the server closed from one it keeps open. Also the shared time bounds, a bounded retry,
 * and {@link LogCapture} for asserting what the server logs.
 */
final class ServerTestSupport {

    /** The bound on anything that is expected to happen; generous for 2 shared CI cores. */
    static final Duration SAFETY = Duration.ofSeconds(30);
    /** A wait that is expected to time out (to check that something does not happen meanwhile). */
    static final Duration SHORT = Duration.ofMillis(200);
    /** How long between two checks of a bounded retry. */
    static final Duration RETRY_INTERVAL = Duration.ofMillis(10);
    /** The loopback address every test server binds to. */
    static final String HOST = "127.0.0.1";

    private ServerTestSupport() {
    }

    /** A builder for a server on a free loopback port running {@code handler}. */
    static HttpServer.Builder server(HttpHandler handler) {
        return HttpServer.builder().host(HOST).port(0).handler(handler);
    }

    /** A new raw connection to {@code server}; reads fail after {@link #SAFETY} rather than hang. */
    static RawConnection connect(HttpServer server) throws IOException {
        return new RawConnection(new Socket(HOST, server.port()));
    }

    /** A {@code GET} request for {@code target} over HTTP/1.1, with {@code Host} and the given header lines. */
    static String get(String target, String... headerLines) {
        return request("GET", target, headerLines);
    }

    /** A bodiless HTTP/1.1 request, with {@code Host} and the given header lines (e.g. {@code "Connection: close"}). */
    static String request(String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** An HTTP/1.1 request with a {@code Content-Length} body, with {@code Host} and the given header lines. */
    static String requestWithBody(String method, String target, String body, String... headerLines) {
        String head = request(method, target, headerLines);
        return head.substring(0, head.length() - 2) + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /**
     * Sends {@code request} on a fresh connection and returns the one response: how each test shows that the
     * server still serves newcomers normally after whatever it just went through.
     */
    static RawResponse exchangeOnFreshConnection(HttpServer server, String request) throws IOException {
        try (RawConnection connection = connect(server)) {
            connection.send(request);
            return connection.readResponse();
        }
    }

    /** Retries {@code condition} every {@link #RETRY_INTERVAL} until it holds, failing after {@code bound}. */
    static void awaitCondition(BooleanSupplier condition, Duration bound, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + bound + " waiting until " + what);
            }
            try {
                Thread.sleep(RETRY_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    /** Waits for {@code latch} within {@link #SAFETY}, failing with {@code what} otherwise. */
    static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out after " + SAFETY + " waiting until " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting until " + what, e);
        }
    }

    /** The value of {@code future} within {@link #SAFETY}; its failure is rethrown as an AssertionError. */
    static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting until " + what, e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out after " + SAFETY + " waiting until " + what, e);
        }
    }

    /**
     * A response as read from the wire. {@code complete} is false when the connection closed before the end
     * of a chunked or {@code Content-Length} body (the server aborted it).
     */
    record RawResponse(String version, int status, String reason, Map<String, List<String>> headers, byte[] body,
                       boolean complete) {

        /** The first value of a header, in any case. */
        Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /** Every value of a header, in any case. */
        List<String> headerValues(String name) {
            return headers.getOrDefault(name, List.of());
        }

        /** The body as UTF-8 text. */
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean isChunked() {
            return header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                    .orElse(false);
        }

        /** Whether the server announced it closes the connection after this response. */
        boolean saysClose() {
            return headerValues("Connection").stream().anyMatch(v -> v.equalsIgnoreCase("close"));
        }

        @Override
        public String toString() {
            return version + " " + status + " " + reason + " " + headers + " body=" + bodyText()
                    + (complete ? "" : " (truncated)");
        }
    }

    /**
     * One client connection, written and read by the test. Every read times out after {@link #SAFETY}
     * ({@link SocketTimeoutException}), so a server that never answers fails the test instead of hanging it.
     */
    static final class RawConnection implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawConnection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout((int) SAFETY.toMillis());
            socket.setTcpNoDelay(true);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Writes {@code data} (ISO-8859-1, byte for byte) in one write, and flushes. */
        RawConnection send(String data) throws IOException {
            return send(data.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Writes {@code data} in one write. */
        RawConnection send(byte[] data) throws IOException {
            out.write(data);
            out.flush();
            return this;
        }

        /** Reads the next response, with its body; {@link EOFException} if the server closed before its head. */
        RawResponse readResponse() throws IOException {
            return readResponse(false);
        }

        /** Reads the next response to a {@code HEAD} request: the head only, whatever it announces. */
        RawResponse readHeadResponse() throws IOException {
            return readResponse(true);
        }

        private RawResponse readResponse(boolean toHead) throws IOException {
            RawResponse head = readHead();
            int status = head.status();
            if (toHead || status < 200 || status == 204 || status == 304) {
                return withBody(head, new byte[0], true);
            }
            if (head.isChunked()) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                try {
                    for (byte[] chunk; (chunk = readChunk()) != null; ) {
                        body.write(chunk);
                    }
                } catch (EOFException | SocketException closedMidBody) {
                    return withBody(head, body.toByteArray(), false);
                }
                return withBody(head, body.toByteArray(), true);
            }
            Optional<String> length = head.header("Content-Length");
            if (length.isPresent()) {
                int expected = Integer.parseInt(length.get().trim());
                byte[] body = in.readNBytes(expected);
                return withBody(head, body, body.length == expected);
            }
            return withBody(head, readUntilClose(), true);
        }

        /**
         * Reads a response head (status line and headers), leaving its body on the connection for
         * {@link #readChunk()}; the returned response has an empty body and is not {@code complete}.
         *
         * @throws EOFException if the server closed the connection before a whole head
         */
        RawResponse readHead() throws IOException {
            String statusLine = readLine();
            if (statusLine == null) {
                throw new EOFException("the server closed the connection before sending a response");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line; !(line = requireLine()).isEmpty(); ) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed response header line: " + line);
                }
                headers.computeIfAbsent(line.substring(0, colon).trim(), n -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            return new RawResponse(parts[0], Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "",
                    Collections.unmodifiableMap(headers), new byte[0], false);
        }

        /**
         * Reads one chunk of a chunked body (after {@link #readHead()}); null for the terminating chunk (its
         * trailers are consumed too).
         *
         * @throws EOFException if the server closed the connection within the body
         */
        byte[] readChunk() throws IOException {
            String sizeLine = requireLine();
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                while (!requireLine().isEmpty()) {
                    // trailers: none expected, ignored
                }
                return null;
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size || !requireLine().isEmpty()) {
                throw new EOFException("chunk of " + size + " bytes cut short");
            }
            return chunk;
        }

        /**
         * Reads exactly {@code count} bytes (of a body whose head was read with {@link #readHead()}).
         *
         * @throws EOFException if the server closed the connection first
         */
        byte[] readBytes(int count) throws IOException {
            byte[] bytes = in.readNBytes(count);
            if (bytes.length < count) {
                throw new EOFException("the server closed the connection after " + bytes.length + " of " + count
                        + " bytes");
            }
            return bytes;
        }

        /**
         * Reads until the server closes the connection (end of stream or reset) and returns what came.
         *
         * @throws SocketTimeoutException if the connection is still open after {@link #SAFETY}
         */
        byte[] readUntilClose() throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    all.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException stillOpen) {
                throw stillOpen;
            } catch (SocketException reset) {
                // closed with unread data on the server side: a reset is a close too
            }
            return all.toByteArray();
        }

        /**
         * Asserts that the server closes the connection within {@code bound} with nothing more to say
         * (end of stream or reset).
         */
        void assertClosedWithin(Duration bound) throws IOException {
            socket.setSoTimeout((int) bound.toMillis());
            try {
                byte[] rest = readUntilClose();
                if (rest.length > 0) {
                    throw new AssertionError("expected the connection to close, but it sent "
                            + new String(rest, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not close the connection within " + bound, e);
            } finally {
                if (!socket.isClosed()) {
                    socket.setSoTimeout((int) SAFETY.toMillis());
                }
            }
        }

        /** Asserts that the server closes the connection within {@link #SAFETY}, sending nothing more. */
        void assertClosed() throws IOException {
            assertClosedWithin(SAFETY);
        }

        /**
         * Asserts that nothing arrives for {@code window} (a read times out), leaving the connection as it was:
         * for "the server has not answered yet", checked over a short window.
         */
        void assertNothingReceivedFor(Duration window) throws IOException {
            socket.setSoTimeout((int) window.toMillis());
            try {
                in.mark(1);
                int b = in.read();
                in.reset();
                throw new AssertionError(b < 0 ? "the server closed the connection"
                        : "expected silence, but the server sent '" + (char) b + "'");
            } catch (SocketTimeoutException expected) {
                // nothing came
            } finally {
                socket.setSoTimeout((int) SAFETY.toMillis());
            }
        }

        /** Half-closes: the server sees the end of the request stream, the connection still reads. */
        void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        int localPort() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        private String requireLine() throws IOException {
            String line = readLine();
            if (line == null) {
                throw new EOFException("the server closed the connection within a response");
            }
            return line;
        }

        /** A CRLF-terminated line without its CRLF; null at end of stream before any byte. */
        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0; ) {
                if (c == '\n') {
                    int end = line.length();
                    if (end == 0 || line.charAt(end - 1) != '\r') {
                        throw new IOException("bare LF in the response: " + line);
                    }
                    return line.substring(0, end - 1);
                }
                line.append((char) c);
            }
            if (line.length() > 0) {
                throw new EOFException("the server closed the connection within a line: " + line);
            }
            return null;
        }

        private static RawResponse withBody(RawResponse head, byte[] body, boolean complete) {
            return new RawResponse(head.version(), head.status(), head.reason(), head.headers(), body, complete);
        }
    }

    /**
     * Captures what is written to {@code System.err} (where slf4j-simple, the test binding, logs) while it is
     * open, still passing it through. slf4j-simple looks {@code System.err} up on each write, so replacing it
     * is enough.
     */
    static final class LogCapture implements AutoCloseable {

        private final PrintStream original = System.err;
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

        LogCapture() {
            OutputStream tee = new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (captured) {
                        captured.write(b, off, len);
                    }
                    original.write(b, off, len);
                }
            };
            System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        }

        /** What was logged so far. */
        String text() {
            synchronized (captured) {
                return captured.toString(StandardCharsets.UTF_8);
            }
        }

        /** The captured lines that contain every one of {@code parts}. */
        List<String> linesContaining(String... parts) {
            List<String> lines = new ArrayList<>();
            for (String line : text().split("\\R")) {
                boolean all = true;
                for (String part : parts) {
                    all &= line.contains(part);
                }
                if (all) {
                    lines.add(line);
                }
            }
            return lines;
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }
}
