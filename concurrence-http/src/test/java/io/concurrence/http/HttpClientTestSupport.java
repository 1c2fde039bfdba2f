package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.SAFETY;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * Test servers and bounds shared by the client tests. {@link TestServer} is a small, well-behaved HTTP/1.1
 * server with keep-alive (on {@code java.net.ServerSocket}, so that it needs nothing beyond {@code java.base}
 * and reports exactly which connection each request came over); {@link RawServer} hands each connection to
 * the test, for servers that misbehave (never answer, stall, reset).
 */
final class HttpClientTestSupport {

    private HttpClientTestSupport() {
    }

    /** Reads a request head (up to the empty line) from a raw connection; null if the peer closed first. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return null;
    }

    /** A request as the test server received it. */
    record TestRequest(String method, String target, Map<String, List<String>> headers, byte[] body,
                       int clientPort) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** How a handler answers: one of {@link #send}, {@link #stream} or {@link #sendHead}, once. */
    static final class TestResponse {
        private final OutputStream out;
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private boolean sent;
        private ChunkedOutputStream chunked;

        private TestResponse(OutputStream out) {
            this.out = out;
        }

        TestResponse header(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        void send(int status, String body) throws IOException {
            send(status, body.getBytes(StandardCharsets.UTF_8));
        }

        void send(int status, byte[] body) throws IOException {
            header("Content-Length", String.valueOf(body.length));
            writeHead(status);
            out.write(body);
            out.flush();
        }

        /** Answers with no body. */
        void sendHead(int status) throws IOException {
            send(status, new byte[0]);
        }

        /** Answers with the headers set so far and nothing else (for HEAD). */
        void sendHeadOnly(int status) throws IOException {
            writeHead(status);
            out.flush();
        }

        /** Starts a chunked body; each write is one chunk, flushed at once. */
        OutputStream stream(int status) throws IOException {
            header("Transfer-Encoding", "chunked");
            writeHead(status);
            out.flush();
            chunked = new ChunkedOutputStream(out);
            return chunked;
        }

        private void writeHead(int status) throws IOException {
            if (sent) {
                throw new IllegalStateException("response already sent");
            }
            sent = true;
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" Status\r\n");
            headers.forEach((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v)
                    .append("\r\n")));
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        private void finish() throws IOException {
            if (!sent) {
                sendHead(204);
            } else if (chunked != null) {
                chunked.finish();
            }
            out.flush();
        }
    }

    /** Chunked transfer coding; every write is flushed as one chunk. */
    private static final class ChunkedOutputStream extends OutputStream {
        private final OutputStream out;
        private boolean finished;

        ChunkedOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(b, off, len);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void finish() throws IOException {
            if (!finished) {
                finished = true;
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** What a test server does with one request. */
    @FunctionalInterface
    interface Handler {
        void handle(TestRequest request, TestResponse response) throws Exception;
    }

    /**
     * A small HTTP/1.1 server on a free loopback port: keep-alive, Content-Length and chunked request bodies,
     * a handler per path prefix (the longest matching wins). Each connection is served by a virtual thread.
     * Records the client port of every request: one port per connection.
     */
    static final class TestServer implements AutoCloseable {

        private final RawServer raw;
        private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
        /** The client ports requests came from, in arrival order. */
        final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

        private TestServer(ServerSocket socket) {
            raw = new RawServer(socket, this::serveConnection);
        }

        static TestServer start() {
            return new TestServer(RawServer.bind(null));
        }

        /** A server that speaks https with the key and certificate of {@code tls}. */
        static TestServer startTls(SSLContext tls) {
            return new TestServer(RawServer.bind(tls));
        }

        /** Serves requests whose path starts with {@code prefix} with {@code handler}. */
        TestServer handle(String prefix, Handler handler) {
            handlers.put(prefix, handler);
            return this;
        }

        int hits(String prefix) {
            AtomicInteger n = hits.get(prefix);
            return n == null ? 0 : n.get();
        }

        /** The distinct connections requests came over. */
        Set<Integer> connections() {
            return Set.copyOf(clientPorts);
        }

        /** Connections accepted so far. */
        int accepted() {
            return raw.accepted();
        }

        String url(String path) {
            return raw.url(path);
        }

        private void serveConnection(Socket socket) throws Exception {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            for (;;) {
                TestRequest request = readRequest(in, socket.getPort());
                if (request == null) {
                    return;
                }
                clientPorts.add(request.clientPort());
                String path = request.target().split("\\?", 2)[0];
                String prefix = handlers.keySet().stream().filter(path::startsWith)
                        .max((a, b) -> Integer.compare(a.length(), b.length())).orElse(null);
                TestResponse response = new TestResponse(out);
                if (prefix == null) {
                    response.send(404, "no handler for " + path);
                } else {
                    hits.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
                    handlers.get(prefix).handle(request, response);
                }
                response.finish();
                if ("close".equalsIgnoreCase(request.header("Connection"))) {
                    return;
                }
            }
        }

        private static TestRequest readRequest(InputStream in, int clientPort) throws IOException {
            String head = readHead(in);
            if (head == null) {
                return null;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), n -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            byte[] body;
            List<String> encoding = headers.get("Transfer-Encoding");
            List<String> length = headers.get("Content-Length");
            if (encoding != null && encoding.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunked(in);
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length.get(0)));
            } else {
                body = new byte[0];
            }
            return new TestRequest(requestLine[0], requestLine[1], headers, body, clientPort);
        }

        private static byte[] readChunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (;;) {
                String sizeLine = readLine(in);
                int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers: ignored
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0; ) {
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) c);
            }
            throw new IOException("connection closed in a chunked body");
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }

    /** What a raw server does with one accepted connection. */
    @FunctionalInterface
    interface ConnectionBehaviour {
        void serve(Socket socket) throws Exception;
    }

    /** A raw TCP server on a free loopback port, serving every connection in its own virtual thread. */
    static final class RawServer implements AutoCloseable {

        private final ServerSocket server;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private final AtomicInteger accepted = new AtomicInteger();

        private RawServer(ServerSocket server, ConnectionBehaviour behaviour) {
            this.server = server;
            Thread.ofVirtual().name("raw-server-acceptor").start(() -> {
                while (!server.isClosed()) {
                    Socket socket;
                    try {
                        socket = server.accept();
                    } catch (IOException e) {
                        return;
                    }
                    sockets.add(socket);
                    accepted.incrementAndGet();
                    Thread.ofVirtual().name("raw-server-connection").start(() -> {
                        try (socket) {
                            behaviour.serve(socket);
                        } catch (Exception ignored) {
                            // the client went away, or the test closed the server
                        } finally {
                            sockets.remove(socket);
                        }
                    });
                }
            });
        }

        static RawServer start(ConnectionBehaviour behaviour) {
            return new RawServer(bind(null), behaviour);
        }

        /** A listening socket on a free loopback port; TLS when {@code tls} is given. */
        private static ServerSocket bind(SSLContext tls) {
            try {
                InetAddress loopback = InetAddress.getByName(HOST);
                return tls == null ? new ServerSocket(0, 1024, loopback)
                        : tls.getServerSocketFactory().createServerSocket(0, 1024, loopback);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int accepted() {
            return accepted.get();
        }

        int port() {
            return server.getLocalPort();
        }

        String url(String path) {
            return (server instanceof SSLServerSocket ? "https://" : "http://") + HOST + ":" + port() + path;
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
