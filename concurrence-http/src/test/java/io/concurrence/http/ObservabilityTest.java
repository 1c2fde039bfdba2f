package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.awaitCondition;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.concurrence.http.StreamTestSupport.Conn;
import io.concurrence.http.StreamTestSupport.RawResponse;

/**
 * What a server tells about itself: with {@code accessLog(true)}, one INFO line per request on the SLF4J logger
 * {@code io.concurrence.http.access} (client address, request line, status, body bytes, milliseconds; read here
 * from slf4j-simple's output on {@code System.err}); and the Micrometer meters in {@code Metrics.globalRegistry}:
 * the {@code concurrence.http.server.requests} timer by method, status and port, the
 * {@code concurrence.http.server.connections} and {@code concurrence.http.server.requests.active} gauges while
 * the server runs, all of them gone once it stops.
 */
@org.junit.jupiter.api.Timeout(60)
class ObservabilityTest {

    private static final String REQUESTS = "concurrence.http.server.requests";
    private static final String ACTIVE = "concurrence.http.server.requests.active";
    private static final String CONNECTIONS = "concurrence.http.server.connections";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StringBuffer stderr = new StringBuffer();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderrAndAddARegistry() {
        originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, stderr), true, StandardCharsets.UTF_8));
        Metrics.globalRegistry.add(registry);
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        Metrics.globalRegistry.remove(registry);
        registry.close();
    }

    @Test
    void theAccessLogHasOneInfoLinePerRequestWithAddressRequestLineStatusBytesAndMillis() throws Exception {
        try (HttpServer server = server(ObservabilityTest::handle).accessLog(true).build().start();
             Conn conn = Conn.open(server)) {
            assertThat(conn.get("/hello?name=log").readResponse().bodyText()).isEqualTo("hello");
            assertThat(conn.send("POST /missing HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").readResponse()
                    .status()).isEqualTo(404);
            assertThat(conn.get("/stream").readResponse().bodyText()).isEqualTo("0123456789");

            String client = "/127.0.0.1:" + conn.socket.getLocalPort();
            awaitCondition(() -> accessLines(client).size() >= 3, SAFETY, "three access log lines for " + client);
            List<String> lines = accessLines(client);
            assertThat(lines).hasSize(3);
            assertLine(lines.get(0), client, "GET /hello?name=log HTTP/1.1", 200, "hello".length());
            assertLine(lines.get(1), client, "POST /missing HTTP/1.1", 404, "No such thing".length());
            assertLine(lines.get(2), client, "GET /stream HTTP/1.1", 200, 10);
        }
    }

    @Test
    void withoutAccessLogNoLineIsWritten() throws Exception {
        try (HttpServer quiet = server(ObservabilityTest::handle).build().start();
             HttpServer logging = server(ObservabilityTest::handle).accessLog(true).build().start();
             Conn toQuiet = Conn.open(quiet); Conn toLogging = Conn.open(logging)) {
            assertThat(toQuiet.get("/hello").readResponse().status()).isEqualTo(200);
            assertThat(toQuiet.get("/hello").readResponse().status()).isEqualTo(200);
            // Logged once written, like the quiet server's would be: its line shows the log has caught up.
            assertThat(toLogging.get("/hello").readResponse().status()).isEqualTo(200);
            String loggingClient = "/127.0.0.1:" + toLogging.socket.getLocalPort();
            awaitCondition(() -> accessLines(loggingClient).size() == 1, SAFETY, "the logging server's line");

            assertThat(accessLines("/127.0.0.1:" + toQuiet.socket.getLocalPort())).isEmpty();
        }
    }

    @Test
    void micrometerCountsRequestsByMethodStatusAndPortAndGaugesConnectionsAndActiveRequests() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = server((request, response) -> {
            if (request.path().equals("/block")) {
                entered.countDown();
                if (!release.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the test did not release the request");
                }
            }
            handle(request, response);
        }).build().start();
        String port = Integer.toString(server.port());
        try (server; Conn first = Conn.open(server); Conn second = Conn.open(server)) {
            assertThat(gauge(CONNECTIONS, port)).as("registered at start").isNotNull();
            assertThat(gauge(ACTIVE, port)).as("registered at start").isNotNull();

            for (int i = 0; i < 3; i++) {
                assertThat(first.get("/hello").readResponse().status()).isEqualTo(200);
            }
            assertThat(first.send("POST /created HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").readResponse()
                    .status()).isEqualTo(201);
            awaitCondition(() -> count("GET", "200", port) == 3 && count("POST", "201", port) == 1, SAFETY,
                    "the timer counts 3 GET 200 and 1 POST 201");
            assertThat(count("GET", "404", port)).isZero();

            second.get("/block");
            assertThat(entered.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            awaitCondition(() -> gauge(ACTIVE, port).value() == 1, SAFETY, "one request is active");
            awaitCondition(() -> gauge(CONNECTIONS, port).value() == 2, SAFETY, "two connections are open");

            release.countDown();
            assertThat(second.readResponse().status()).isEqualTo(200);
            awaitCondition(() -> gauge(ACTIVE, port).value() == 0, SAFETY, "no request is active");
            awaitCondition(() -> count("GET", "200", port) == 4, SAFETY, "the blocked request is counted");

            server.stop(SAFETY);

            assertThat(meters(REQUESTS, port).meters()).as("timers after stop").isEmpty();
            assertThat(meters(ACTIVE, port).meters()).as("active gauge after stop").isEmpty();
            assertThat(meters(CONNECTIONS, port).meters()).as("connections gauge after stop").isEmpty();
        }
    }

    @Test
    void closeRemovesTheMetersToo() throws Exception {
        HttpServer server = server(ObservabilityTest::handle).build().start();
        String port = Integer.toString(server.port());
        try (Conn conn = Conn.open(server)) {
            assertThat(conn.get("/hello").readResponse().status()).isEqualTo(200);
            awaitCondition(() -> count("GET", "200", port) == 1, SAFETY, "the request is counted");
        }
        server.close();

        assertThat(meters(REQUESTS, port).meters()).isEmpty();
        assertThat(meters(ACTIVE, port).meters()).isEmpty();
        assertThat(meters(CONNECTIONS, port).meters()).isEmpty();
    }

    @Test
    void metricsOffRegistersNoMeters() throws Exception {
        try (HttpServer server = server(ObservabilityTest::handle).metrics(false).build().start();
             Conn conn = Conn.open(server)) {
            String port = Integer.toString(server.port());
            assertThat(conn.get("/hello").readResponse().status()).isEqualTo(200);

            assertThat(meters(ACTIVE, port).meters()).isEmpty();
            assertThat(meters(CONNECTIONS, port).meters()).isEmpty();
            assertThat(meters(REQUESTS, port).meters()).isEmpty();
        }
    }

    private static void handle(HttpRequest request, HttpResponse response) throws Exception {
        switch (request.path()) {
            case "/missing" -> throw new HttpStatusException(404, "No such thing");
            case "/created" -> response.status(201).send("");
            case "/stream" -> {
                OutputStream out = response.outputStream();
                out.write("01234".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                out.write("56789".getBytes(StandardCharsets.US_ASCII));
            }
            default -> response.send("hello");
        }
    }

    /** The access log lines for requests from {@code client} (e.g. {@code /127.0.0.1:40000}), in order. */
    private List<String> accessLines(String client) {
        return stderr.toString().lines()
                .filter(line -> line.contains(" INFO io.concurrence.http.access - " + client + " "))
                .toList();
    }

    private static void assertLine(String line, String client, String requestLine, int status, int bytes) {
        Matcher matcher = Pattern.compile(" INFO io\\.concurrence\\.http\\.access - " + Pattern.quote(client) + " \""
                + Pattern.quote(requestLine) + "\" " + status + " " + bytes + " (\\d+)ms$").matcher(line);
        assertThat(matcher.find()).as("access log line %s", line).isTrue();
        assertThat(Long.parseLong(matcher.group(1))).isLessThan(SAFETY.toMillis());
    }

    private Search meters(String name, String port) {
        return registry.find(name).tag("port", port);
    }

    private Gauge gauge(String name, String port) {
        return meters(name, port).gauge();
    }

    private long count(String method, String status, String port) {
        Timer timer = meters(REQUESTS, port).tag("method", method).tag("status", status).timer();
        return timer == null ? 0 : timer.count();
    }

    /** Writes to the original stream and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final PrintStream original;
        private final StringBuffer copy;

        Tee(PrintStream original, StringBuffer copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            original.write(b);
            copy.append((char) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            copy.append(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
