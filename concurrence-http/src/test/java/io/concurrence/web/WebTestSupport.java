package io.concurrence.web;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpServer;

/**
 * Shared bounds and helpers for the web-layer tests: a real server on an ephemeral port with a
 * {@code java.net.http} client and a raw-socket exchange, test doubles of {@link HttpRequest} and
 * {@link HttpResponse} for driving a {@link Router} directly, and a {@link Trace} that filters record their
 * entry and exit in. Nothing here sleeps to wait for something: waits are on a monitor, bounded by
 * {@link #SAFETY}.
 */
final class WebTestSupport {

    /** The bound for anything that must happen; only reached when the code under test is broken. */
    static final Duration SAFETY = Duration.ofSeconds(10);
    /** A deadline that is expected to pass (a timeout that must fire). */
    static final Duration SHORT = Duration.ofMillis(200);

    private WebTestSupport() {
    }

    // ---- a real server ----

    /** A response as the client saw it. */
    record Reply(int status, HttpHeaders headers, byte[] bytes) {

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /** A server on 127.0.0.1, port 0, serving one handler, with an HTTP/1.1 client. Close it after the test. */
    static final class TestServer implements AutoCloseable {

        private final HttpServer server;
        private final HttpClient client;

        private TestServer(HttpServer server) {
            this.server = server;
            this.client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(SAFETY)
                    .build();
        }

        static TestServer start(HttpHandler handler) {
            return new TestServer(HttpServer.builder().host("127.0.0.1").port(0).handler(handler).build().start());
        }

        int port() {
            return server.port();
        }

        URI uri(String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
        }

        HttpClient client() {
            return client;
        }

        /** A request builder for {@code pathAndQuery}, with the safety timeout. */
        java.net.http.HttpRequest.Builder request(String pathAndQuery) {
            return java.net.http.HttpRequest.newBuilder(uri(pathAndQuery)).timeout(SAFETY);
        }

        Reply get(String pathAndQuery, String... headerPairs) {
            return send("GET", pathAndQuery, null, headerPairs);
        }

        /**
         * Sends a request and reads the whole response.
         *
         * @param body the body, or null for none
         * @param headerPairs header names and values, alternating
         */
        Reply send(String method, String pathAndQuery, String body, String... headerPairs) {
            java.net.http.HttpRequest.Builder builder = request(pathAndQuery).method(method,
                    body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
            for (int i = 0; i < headerPairs.length; i += 2) {
                builder.header(headerPairs[i], headerPairs[i + 1]);
            }
            return send(builder.build());
        }

        /** Sends a request and reads the whole response, within {@link #SAFETY} for the whole exchange. */
        Reply send(java.net.http.HttpRequest request) {
            CompletableFuture<java.net.http.HttpResponse<byte[]>> future =
                    client.sendAsync(request, BodyHandlers.ofByteArray());
            try {
                java.net.http.HttpResponse<byte[]> response = future.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS);
                return new Reply(response.statusCode(), response.headers(), response.body());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw new UncheckedIOException(io);
                }
                throw new AssertionError(request + " failed", e.getCause());
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new AssertionError(request + ": no complete response within " + SAFETY, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /**
         * Writes {@code request} (exact bytes, ISO-8859-1) on a new connection and reads until the server closes
         * it; the request should carry {@code Connection: close}.
         */
        String raw(String request) {
            return rawExchange(port(), request);
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    /** Opens a socket to the server on 127.0.0.1 with the safety read timeout. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) SAFETY.toMillis());
        socket.setSoTimeout((int) SAFETY.toMillis());
        return socket;
    }

    /** Sends exact bytes and returns everything the server sends until it closes the connection. */
    static String rawExchange(int port, String request) {
        try (Socket socket = connect(port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status code of a raw response. */
    static int rawStatus(String response) {
        return Integer.parseInt(response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
    }

    /** The head of a raw response (up to, not including, the blank line). */
    static String rawHead(String response) {
        int end = response.indexOf("\r\n\r\n");
        if (end < 0) {
            fail("no end of head in the response: " + response);
        }
        return response.substring(0, end);
    }

    /** What follows the head of a raw response. */
    static String rawBody(String response) {
        return response.substring(rawHead(response).length() + 4);
    }

    /** A header of a raw response, case-insensitively. */
    static Optional<String> rawHeader(String response, String name) {
        for (String line : rawHead(response).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }

    // ---- test doubles ----

    /** An in-memory request: method, target, headers and body; the path is the decoded path of the target. */
    static final class FakeRequest implements HttpRequest {

        private final String method;
        private final URI uri;
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private byte[] body = new byte[0];

        private FakeRequest(String method, String target) {
            this.method = method;
            this.uri = URI.create(target);
        }

        static FakeRequest of(String method, String target) {
            return new FakeRequest(method, target);
        }

        FakeRequest header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        FakeRequest body(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public URI uri() {
            return uri;
        }

        @Override
        public String path() {
            return uri.getPath();
        }

        @Override
        public String version() {
            return "HTTP/1.1";
        }

        @Override
        public Map<String, List<String>> queryParams() {
            Map<String, List<String>> params = new LinkedHashMap<>();
            String query = uri.getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
            return params;
        }

        @Override
        public Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null ? Optional.empty() : Optional.of(values.get(0));
        }

        @Override
        public Map<String, List<String>> headers() {
            return Collections.unmodifiableMap(headers);
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public byte[] bodyBytes() {
            return body.clone();
        }

        @Override
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return InetSocketAddress.createUnresolved("fake-client", 0);
        }
    }

    /**
     * A response kept in memory: for driving a router without a server, and for filters that rewrite what the
     * rest of the chain answers (they hand it to {@code next}, then send their own version of its body).
     */
    static final class CapturedResponse implements HttpResponse {

        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status = 200;
        private boolean committed;
        private boolean sent;
        private OutputStream stream;

        @Override
        public HttpResponse status(int code) {
            checkOpen();
            status = code;
            return this;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public HttpResponse header(String name, String value) {
            checkOpen();
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        @Override
        public HttpResponse setHeader(String name, String value) {
            checkOpen();
            headers.put(name, new ArrayList<>(List.of(value)));
            return this;
        }

        @Override
        public Map<String, List<String>> headers() {
            return Collections.unmodifiableMap(headers);
        }

        @Override
        public void send(String text) {
            if (!headers.containsKey("Content-Type")) {
                setHeader("Content-Type", "text/plain; charset=UTF-8");
            }
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void send(byte[] bytes) {
            if (committed) {
                throw new IllegalStateException("sent already");
            }
            body.writeBytes(bytes);
            committed = true;
            sent = true;
        }

        @Override
        public OutputStream outputStream() {
            if (sent) {
                throw new IllegalStateException("sent already");
            }
            if (stream == null) {
                stream = new OutputStream() {
                    @Override
                    public void write(int b) {
                        committed = true;
                        body.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        committed = true;
                        body.write(b, off, len);
                    }

                    @Override
                    public void flush() {
                        committed = true;
                    }
                };
            }
            return stream;
        }

        @Override
        public boolean isCommitted() {
            return committed;
        }

        /** The first value of a header set so far. */
        Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        byte[] bytes() {
            return body.toByteArray();
        }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        private void checkOpen() {
            if (committed) {
                throw new IllegalStateException("committed");
            }
        }
    }

    /**
     * Entries recorded by filters and handlers, possibly from a request's tasklet while the test thread waits:
     * a filter's exit is recorded after the response may already have reached the client, so tests wait for
     * the count of entries they expect.
     */
    static final class Trace {

        private final List<String> entries = new ArrayList<>();

        synchronized void record(String entry) {
            entries.add(entry);
            notifyAll();
        }

        synchronized void clear() {
            entries.clear();
        }

        /** Waits (at most {@link #SAFETY}) for at least {@code count} entries, and returns them all. */
        synchronized List<String> await(int count) throws InterruptedException {
            long deadline = System.nanoTime() + SAFETY.toNanos();
            while (entries.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("expected " + count + " trace entries within " + SAFETY + ", have " + entries);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(entries);
        }

        synchronized List<String> entries() {
            return List.copyOf(entries);
        }

        /** A filter that records {@code name>} before the rest of the chain and {@code <name} after it. */
        Filter filter(String name) {
            return (request, response, next) -> {
                record(name + ">");
                try {
                    next.handle(request, response);
                } finally {
                    record("<" + name);
                }
            };
        }
    }

    /**
     * A filter that rewrites the text body of the rest of the chain, as the seed's filters do by wrapping the
     * action's return value: the chain answers into a {@link CapturedResponse}, whose status and headers are
     * copied and whose body is sent through {@link #wrap}.
     */
    abstract static class BodyWrappingFilter implements Filter {

        @Override
        public final void handle(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception {
            CapturedResponse inner = new CapturedResponse();
            next.handle(request, inner);
            response.status(inner.status());
            inner.headers().forEach((name, values) -> values.forEach(value -> response.header(name, value)));
            response.send(wrap(inner.text()).getBytes(StandardCharsets.UTF_8));
        }

        /** The new body, given the body the chain answered. */
        abstract String wrap(String body);
    }
}
