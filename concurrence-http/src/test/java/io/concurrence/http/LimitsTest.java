package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.await;
import static io.concurrence.http.ServerTestSupport.awaitCondition;
import static io.concurrence.http.ServerTestSupport.connect;
import static io.concurrence.http.ServerTestSupport.exchangeOnFreshConnection;
import static io.concurrence.http.ServerTestSupport.get;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.concurrence.http.ServerTestSupport.RawConnection;
import io.concurrence.http.ServerTestSupport.RawResponse;

/**
 * The server's limits (docs/http.md, "Limits"), each with small configured values and, where a test can reach
 * it quickly, its documented default: {@code maxRequestBodySize} (413 from {@code bodyBytes}/{@code bodyText},
 * at once for a larger declared {@code Content-Length}, while reading for a chunked body),
 * {@code maxStreamedBodySize} (413 from {@code body()}), {@code maxInitialLineLength} (414),
 * {@code maxHeaderSize} (431), {@code requestTimeout}, {@code idleTimeout} and {@code maxConnections}. After
 * each refusal the server serves a fresh connection normally.
 *
 * <p>The timeouts' defaults (30 s, 60 s) are not waited for.
 */
@org.junit.jupiter.api.Timeout(120)
class LimitsTest {

    private static final int SMALL_BODY = 1024;
    private static final int SMALL_STREAM = 2048;
    private static final int SMALL_LINE = 256;
    private static final int SMALL_HEADERS = 1024;
    /** Short enough to keep the tests fast, long enough never to fire while a test client is sending. */
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    /** Answers the size of the body read by the means its path names. */
    private static final HttpHandler BODY_SIZES = (request, response) -> {
        switch (request.path()) {
            case "/bytes" -> response.send(request.bodyBytes().length + " bytes");
            case "/text" -> response.send(request.bodyText().length() + " chars");
            case "/stream" -> response.send(request.body().transferTo(OutputStream.nullOutputStream())
                    + " bytes streamed");
            default -> response.send("ok");
        }
    };

    private static HttpServer smallLimits() {
        return server(BODY_SIZES).maxRequestBodySize(SMALL_BODY).maxStreamedBodySize(SMALL_STREAM)
                .maxInitialLineLength(SMALL_LINE).maxHeaderSize(SMALL_HEADERS).build().start();
    }

    private static HttpServer defaults() {
        return server(BODY_SIZES).build().start();
    }

    /** A POST with a {@code Content-Length} body of {@code size} bytes. */
    private static byte[] post(String path, int size) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + size + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(head, head.length + size);
        Arrays.fill(request, head.length, request.length, (byte) 'x');
        return request;
    }

    /** A POST announcing a {@code Content-Length} of {@code size} bytes, without the body. */
    private static String postHeadOnly(String path, long size) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + size + "\r\n\r\n";
    }

    /** A GET whose request line is exactly {@code length} bytes long (without its CRLF). */
    private static String requestLineOf(int length) {
        String fixed = "GET / HTTP/1.1";
        return "GET /" + "a".repeat(length - fixed.length()) + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** A GET whose header lines add up to exactly {@code size} bytes (without their CRLFs). */
    private static String headersOf(int size) {
        String host = "Host: localhost";
        String filler = "X-Filler: ";
        return "GET / HTTP/1.1\r\n" + host + "\r\n" + filler + "a".repeat(size - host.length() - filler.length())
                + "\r\n\r\n";
    }

    private static void assertServesAFreshConnection(HttpServer server) throws IOException {
        RawResponse response = exchangeOnFreshConnection(server, get("/"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("ok");
    }

    // ---- maxRequestBodySize ----

    @Test
    void bodyBytesAcceptsABodyOfExactlyMaxRequestBodySize() throws IOException {
        try (HttpServer server = smallLimits();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(post("/bytes", SMALL_BODY)).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(SMALL_BODY + " bytes");
        }
    }

    @Test
    void aDeclaredContentLengthAboveMaxRequestBodySizeIs413BeforeTheBodyIsSent() throws IOException {
        try (HttpServer server = smallLimits();
             RawConnection connection = connect(server)) {
            // No body follows: only the declared length can have decided the answer.
            RawResponse response = connection.send(postHeadOnly("/bytes", SMALL_BODY + 1)).readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.bodyText()).isEqualTo("Request body larger than " + SMALL_BODY + " bytes");
            assertServesAFreshConnection(server);
        }
    }

    @Test
    void aBodyLargerThanMaxRequestBodySizeIs413FromBodyText() throws IOException {
        try (HttpServer server = smallLimits();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(post("/text", SMALL_BODY + 1)).readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertServesAFreshConnection(server);
        }
    }

    @Test
    void aChunkedBodyGrowingBeyondMaxRequestBodySizeIs413() throws IOException {
        try (HttpServer server = smallLimits();
             RawConnection connection = connect(server)) {
            String within = "x".repeat(SMALL_BODY - 24);
            String beyond = "y".repeat(100);
            connection.send("POST /bytes HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(within.length()) + "\r\n" + within + "\r\n"
                    + Integer.toHexString(beyond.length()) + "\r\n" + beyond + "\r\n0\r\n\r\n");

            RawResponse response = connection.readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.bodyText()).isEqualTo("Request body larger than " + SMALL_BODY + " bytes");
            assertServesAFreshConnection(server);
        }
    }

    @Test
    void bodyBytesAcceptsExactlyTheDefaultTenMebibytes() throws IOException {
        int tenMiB = 10 * 1024 * 1024;
        try (HttpServer server = defaults();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(post("/bytes", tenMiB)).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(tenMiB + " bytes");
        }
    }

    @Test
    void aDeclaredContentLengthAboveTheDefaultTenMebibytesIs413() throws IOException {
        try (HttpServer server = defaults();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(postHeadOnly("/bytes", 10L * 1024 * 1024 + 1)).readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertServesAFreshConnection(server);
        }
    }

    // ---- maxStreamedBodySize ----

    @Test
    void bodyStreamIsNotLimitedByMaxRequestBodySizeByDefault() throws IOException {
        int large = 64 * SMALL_BODY;
        try (HttpServer server = server(BODY_SIZES).maxRequestBodySize(SMALL_BODY).build().start();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(post("/stream", large)).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(large + " bytes streamed");
        }
    }

    @Test
    void bodyStreamAcceptsExactlyMaxStreamedBodySize() throws IOException {
        try (HttpServer server = smallLimits();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(post("/stream", SMALL_STREAM)).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(SMALL_STREAM + " bytes streamed");
        }
    }

    @Test
    void readingTheBodyStreamPastMaxStreamedBodySizeIs413() throws IOException {
        try (HttpServer server = smallLimits();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(post("/stream", SMALL_STREAM + 1)).readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.bodyText()).isEqualTo("Request body larger than " + SMALL_STREAM + " bytes");
            assertServesAFreshConnection(server);
        }
    }

    // ---- maxInitialLineLength ----

    @Test
    void aRequestLineOfExactlyMaxInitialLineLengthIsServed() throws IOException {
        try (HttpServer server = smallLimits()) {
            assertThat(exchangeOnFreshConnection(server, requestLineOf(SMALL_LINE)).status()).isEqualTo(200);
        }
    }

    @Test
    void aRequestLineLongerThanMaxInitialLineLengthIs414AndClosesTheConnection() throws IOException {
        try (HttpServer server = smallLimits();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(requestLineOf(SMALL_LINE + 1)).readResponse();

            assertThat(response.status()).isEqualTo(414);
            connection.assertClosed();
            assertServesAFreshConnection(server);
        }
    }

    @Test
    void theDefaultMaxInitialLineLengthIsFourKibibytes() throws IOException {
        try (HttpServer server = defaults()) {
            assertThat(exchangeOnFreshConnection(server, requestLineOf(4096)).status()).isEqualTo(200);
            assertThat(exchangeOnFreshConnection(server, requestLineOf(4097)).status()).isEqualTo(414);
        }
    }

    // ---- maxHeaderSize ----

    @Test
    void headersOfExactlyMaxHeaderSizeAreServed() throws IOException {
        try (HttpServer server = smallLimits()) {
            assertThat(exchangeOnFreshConnection(server, headersOf(SMALL_HEADERS)).status()).isEqualTo(200);
        }
    }

    @Test
    void headersLargerThanMaxHeaderSizeAre431AndCloseTheConnection() throws IOException {
        try (HttpServer server = smallLimits();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(headersOf(SMALL_HEADERS + 1)).readResponse();

            assertThat(response.status()).isEqualTo(431);
            connection.assertClosed();
            assertServesAFreshConnection(server);
        }
    }

    @Test
    void theDefaultMaxHeaderSizeIsEightKibibytes() throws IOException {
        try (HttpServer server = defaults()) {
            assertThat(exchangeOnFreshConnection(server, headersOf(8192)).status()).isEqualTo(200);
            assertThat(exchangeOnFreshConnection(server, headersOf(8193)).status()).isEqualTo(431);
        }
    }

    // ---- requestTimeout ----

    /** A head that stops half way gets 408 once requestTimeout has passed since its first byte. */
    @Test
    void aRequestHeadNotReceivedWithinRequestTimeoutGets408AndTheConnectionCloses() throws IOException {
        try (HttpServer server = server(BODY_SIZES).requestTimeout(SHORT_TIMEOUT).build().start();
             RawConnection connection = connect(server)) {
            connection.send("GET /never-finished HTTP/1.1\r\nHost: localhost\r\nX-Half: ");

            String answer = new String(connection.readUntilClose(), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("Connection: close\r\n")
                    .contains("\r\nDate: ").endsWith("did not arrive in time");
            assertServesAFreshConnection(server);
        }
    }

    /**
     * A "slow loris" sending its head a byte at a time, each byte well within any idle timeout, still gets 408
     * once requestTimeout has passed since the first byte (the pacing below simulates that client).
     */
    @Test
    void aHeadTrickledAByteAtATimeGets408() throws Exception {
        try (HttpServer server = server(BODY_SIZES).requestTimeout(SHORT_TIMEOUT).build().start();
             RawConnection connection = connect(server)) {
            // About 6 s of trickle at one byte per 30 ms, far beyond the 300 ms timeout.
            byte[] head = ("GET /slow HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(160))
                    .getBytes(StandardCharsets.US_ASCII);
            long started = System.nanoTime();
            Thread trickler = Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : head) {
                        connection.send(new byte[] {b});
                        Thread.sleep(SHORT_TIMEOUT.dividedBy(10));
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: the trickle ends
                }
            });

            String answer = new String(connection.readUntilClose(), StandardCharsets.ISO_8859_1);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            trickler.interrupt();

            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(took).as("answered after requestTimeout, before the trickle would end")
                    .isGreaterThanOrEqualTo(SHORT_TIMEOUT).isLessThan(SHORT_TIMEOUT.multipliedBy(head.length / 10));
        }
    }

    /**
     * The head timeout counts from a head's first byte, not from the connection's start: a keep-alive connection
     * idle for longer than requestTimeout between requests is still served (idleTimeout governs it).
     */
    @Test
    void anIdleKeepAliveConnectionIsNotCutByTheHeadTimeout() throws IOException {
        try (HttpServer server = server(BODY_SIZES).requestTimeout(SHORT_TIMEOUT).build().start();
             RawConnection connection = connect(server)) {
            assertThat(connection.send(get("/first")).readResponse().bodyText()).isEqualTo("ok");
            // Idle for several head timeouts: the connection must stay open (nothing arrives, nothing is sent).
            connection.assertNothingReceivedFor(SHORT_TIMEOUT.multipliedBy(3));

            assertThat(connection.send(get("/second")).readResponse().bodyText()).isEqualTo("ok");
        }
    }

    /** bodyBytes(Duration) bounds the handler's own wait, well inside requestTimeout; the handler answers. */
    @Test
    void bodyBytesWithADurationTimesOutAndTheHandlerStillAnswers() throws IOException {
        CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
        try (HttpServer server = server((request, response) -> {
            try {
                request.bodyBytes(SHORT_TIMEOUT);
                readFailure.complete(null);
            } catch (io.concurrence.TimeoutException e) {
                readFailure.complete(e);
                response.status(408).send("too slow");
            }
        }).build().start();
             RawConnection connection = connect(server)) {
            connection.send(postHeadOnly("/slow", 10) + "abcde");

            assertThat(await(readFailure, "the handler's body read ended"))
                    .isInstanceOf(io.concurrence.TimeoutException.class);
            RawResponse response = connection.readResponse();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.bodyText()).isEqualTo("too slow");
        }
    }

    /**
     * Reactor Netty's request timeout closes the connection (no 408 can be written by then); the handler's body
     * read throws our {@code TimeoutException} naming the option, and nothing is answered or logged as a 500.
     */
    @Test
    void aRequestWhoseBodyIsNotReceivedWithinRequestTimeoutHasItsConnectionClosed() throws IOException {
        CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
        try (HttpServer server = server((request, response) -> {
            if (request.path().equals("/slow")) {
                try {
                    request.bodyBytes();
                } catch (RuntimeException e) {
                    readFailure.complete(e);
                    throw e;
                }
            }
            response.send("ok");
        }).requestTimeout(SHORT_TIMEOUT).build().start();
             RawConnection connection = connect(server)) {
            // Half the body, then nothing: the default idle timeout (60 s) cannot be what closes it within SAFETY.
            connection.send(postHeadOnly("/slow", 10) + "abcde");

            byte[] answer = connection.readUntilClose();

            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).isEmpty();
            assertThat(await(readFailure, "the handler's body read failed"))
                    .isInstanceOf(io.concurrence.TimeoutException.class)
                    .hasMessageContaining("requestTimeout");
            assertServesAFreshConnection(server);
        }
    }

    /**
     * Reactor Netty starts the request timeout once a whole head has arrived: a half-sent head is closed by the
     * idle timeout (without a 408), so both are short here.
     */
    @Test
    void aClientThatSendsHalfARequestHeadHasItsConnectionClosed() throws IOException {
        try (HttpServer server = server(BODY_SIZES).requestTimeout(SHORT_TIMEOUT).idleTimeout(SHORT_TIMEOUT)
                .build().start();
             RawConnection connection = connect(server)) {
            connection.send("GET / HTTP/1.1\r\nHost: localhost\r\n");

            byte[] answer = connection.readUntilClose();

            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).satisfiesAnyOf(
                    text -> assertThat(text).isEmpty(),
                    text -> assertThat(text).startsWith("HTTP/1.1 408 "));
            assertServesAFreshConnection(server);
        }
    }

    // ---- idleTimeout ----

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterIdleTimeout() throws IOException {
        try (HttpServer server = server(BODY_SIZES).idleTimeout(SHORT_TIMEOUT).build().start();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(get("/")).readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.saysClose()).isFalse();

            // SAFETY is far below the 60 s default: only the configured idle timeout can close it in time.
            connection.assertClosedWithin(SAFETY);
            assertServesAFreshConnection(server);
        }
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosedAfterIdleTimeout() throws IOException {
        try (HttpServer server = server(BODY_SIZES).idleTimeout(SHORT_TIMEOUT).build().start();
             RawConnection connection = connect(server)) {
            connection.assertClosedWithin(SAFETY);
        }
    }

    // ---- maxConnections ----

    @Test
    void connectionsBeyondMaxConnectionsAreClosedWhileTheFirstOnesAreServed() throws IOException {
        try (HttpServer server = server(BODY_SIZES).maxConnections(2).build().start();
             RawConnection first = connect(server);
             RawConnection second = connect(server)) {
            // One answered request each: the server has counted both before the third arrives.
            assertThat(first.send(get("/")).readResponse().status()).isEqualTo(200);
            assertThat(second.send(get("/")).readResponse().status()).isEqualTo(200);

            try (RawConnection third = connect(server)) {
                third.assertClosed();
            }

            assertThat(first.send(get("/")).readResponse().bodyText()).isEqualTo("ok");
            assertThat(second.send(get("/")).readResponse().bodyText()).isEqualTo("ok");

            first.close();
            awaitCondition(() -> servesAFreshConnection(server), SAFETY,
                    "a new connection is served once one of the two has closed");
        }
    }

    /** Reactor Netty's {@code doOnConnection} fires once per request; the limit is on connections. */
    @Test
    void maxConnectionsCountsConnectionsNotTheRequestsOnThem() throws IOException {
        try (HttpServer server = server(BODY_SIZES).maxConnections(2).build().start();
             RawConnection connection = connect(server)) {
            for (int i = 0; i < 5; i++) {
                assertThat(connection.send(get("/")).readResponse().bodyText()).as("request %d", i).isEqualTo("ok");
            }
            assertServesAFreshConnection(server);
        }
    }

    private static boolean servesAFreshConnection(HttpServer server) {
        try {
            return exchangeOnFreshConnection(server, get("/")).status() == 200;
        } catch (IOException refused) {
            return false;
        }
    }
}
