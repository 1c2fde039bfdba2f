package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.connect;
import static io.concurrence.http.ServerTestSupport.exchangeOnFreshConnection;
import static io.concurrence.http.ServerTestSupport.get;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.http.ServerTestSupport.LogCapture;
import io.concurrence.http.ServerTestSupport.RawConnection;
import io.concurrence.http.ServerTestSupport.RawResponse;

/**
 * Malformed requests and request smuggling (docs/http.md, "Protocol" and "Limits"): a malformed request line
 * or header, and every framing a front end and this server could read differently (duplicate or listed
 * {@code Content-Length}, {@code Content-Length} with {@code Transfer-Encoding}, a transfer coding other than
 * a final {@code chunked}, bare LF line endings), gets {@code 400} and its connection closes. A request
 * smuggled behind the framing is never handled, a keep-alive connection open meanwhile carries on, and a
 * fresh connection is served normally.
 */
@org.junit.jupiter.api.Timeout(60)
class MalformedRequestTest {

    /** The request each smuggling case hides where a server reading the framing differently would see it. */
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";

    /** The paths the handler saw, in order. */
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private HttpServer server;
    /** A well-behaved keep-alive client, connected before each bad one and used after it. */
    private RawConnection goodClient;

    @BeforeEach
    void start() throws IOException {
        server = server((request, response) -> {
            handled.add(request.path());
            byte[] body = request.bodyBytes();
            response.send("ok " + request.path() + " " + body.length);
        }).build().start();
        goodClient = connect(server);
        assertThat(goodClient.send(get("/good")).readResponse().bodyText()).isEqualTo("ok /good 0");
    }

    @AfterEach
    void stop() throws IOException {
        goodClient.close();
        server.close();
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                // request lines
                Arguments.of("garbage", "HELLO\r\n\r\n"),
                Arguments.of("a request line without version", "GET /\r\n\r\n"),
                Arguments.of("an unknown protocol", "GET / FOO/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("a space in the target", "GET /a b HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("a control character in the target", "GET /a\u0001b HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("a NUL in the target", "GET /a\u0000b HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("a control character in the method", "G\u0001ET / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                // header lines
                Arguments.of("a header without colon", "GET / HTTP/1.1\r\nHost localhost\r\n\r\n"),
                Arguments.of("a space before the colon", "GET / HTTP/1.1\r\nHost : localhost\r\n\r\n"),
                Arguments.of("a separator in a header name", "GET / HTTP/1.1\r\nBad(Name: x\r\n\r\n"),
                Arguments.of("a control character in a header name", "GET / HTTP/1.1\r\nBad\u0001Name: x\r\n\r\n"),
                Arguments.of("an empty header name", "GET / HTTP/1.1\r\nHost: localhost\r\n: x\r\n\r\n"),
                Arguments.of("a control character in a header value", "GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n"),
                // RFC 9112 3.2: exactly one Host in HTTP/1.1, and a host in it.
                Arguments.of("an HTTP/1.1 request without Host", "GET / HTTP/1.1\r\n\r\n"),
                Arguments.of("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of("a Host that is not a host", "GET / HTTP/1.1\r\nHost: a/b@c\r\n\r\n"),
                // RFC 9112 3.2: origin-form starts with "/", asterisk-form is for OPTIONS only.
                Arguments.of("the asterisk-form with GET", "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("a relative target", "GET a/b HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("an absolute target without a host", "GET http://:x/ HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void aMalformedRequestIs400AndClosesItsConnectionWhileOthersCarryOn(String what, String request)
            throws IOException {
        assertRefusedWith400AndClosed(request);
    }

    static Stream<Arguments> smugglingAttempts() {
        return Stream.of(
                Arguments.of("duplicate Content-Length, same value",
                        post("Content-Length: 5\r\nContent-Length: 5") + "hello" + SMUGGLED),
                Arguments.of("duplicate Content-Length, different values",
                        post("Content-Length: 5\r\nContent-Length: 6") + "hello!" + SMUGGLED),
                Arguments.of("a Content-Length list", post("Content-Length: 5, 6") + "hello!" + SMUGGLED),
                Arguments.of("a Content-Length list of one value twice", post("Content-Length: 5, 5") + "hello"
                        + SMUGGLED),
                Arguments.of("a signed Content-Length", post("Content-Length: +5") + "hello" + SMUGGLED),
                Arguments.of("a negative Content-Length", post("Content-Length: -1") + "hello" + SMUGGLED),
                // CL.TE: a front end going by Content-Length forwards all; chunked ends the body at "0".
                Arguments.of("Content-Length, then Transfer-Encoding: chunked",
                        post("Content-Length: " + ("0\r\n\r\n" + SMUGGLED).length()
                                + "\r\nTransfer-Encoding: chunked") + "0\r\n\r\n" + SMUGGLED),
                // TE.CL: a back end going by Content-Length would read the chunk data as the next request.
                Arguments.of("Transfer-Encoding: chunked, then Content-Length",
                        post("Transfer-Encoding: chunked\r\nContent-Length: 4")
                                + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n"),
                Arguments.of("Transfer-Encoding: chunked, gzip",
                        post("Transfer-Encoding: chunked, gzip") + "0\r\n\r\n" + SMUGGLED),
                Arguments.of("Transfer-Encoding: xchunked", post("Transfer-Encoding: xchunked") + "0\r\n\r\n"
                        + SMUGGLED),
                Arguments.of("Transfer-Encoding: chunked and another Transfer-Encoding line",
                        post("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity") + "0\r\n\r\n" + SMUGGLED),
                Arguments.of("bare LF line endings", "GET / HTTP/1.1\nHost: localhost\n\n" + SMUGGLED),
                Arguments.of("a bare LF ending one header line",
                        "GET / HTTP/1.1\r\nHost: localhost\nX: y\r\n\r\n" + SMUGGLED),
                Arguments.of("a bare LF after a chunk size",
                        post("Transfer-Encoding: chunked") + "5\nhello\r\n0\r\n\r\n" + SMUGGLED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smugglingAttempts")
    void ambiguousFramingIs400AndClosesTheConnectionSoNothingIsSmuggled(String what, String request)
            throws IOException {
        assertRefusedWith400AndClosed(request);
        assertThat(handled).doesNotContain("/smuggled");
    }

    /**
     * {@code gzip, chunked} ends with {@code chunked}, so Netty's decoder frames it, but the body would reach the
     * handler still gzip-coded: a transfer coding the server does not decode gets 501 (RFC 9112 6.1) and the
     * connection closes, so the bytes after it are never taken for a request.
     */
    @Test
    void aTransferCodingOtherThanChunkedIs501AndClosesTheConnection() throws IOException {
        try (RawConnection connection = connect(server)) {
            RawResponse response = connection.send(post("Transfer-Encoding: gzip, chunked") + "5\r\nhello\r\n0\r\n\r\n"
                    + get("/next")).readResponse();

            assertThat(response.status()).isEqualTo(501);
            assertThat(response.bodyText()).contains("gzip, chunked");
            assertThat(response.saysClose()).isTrue();
            connection.assertClosed();
        }
        assertThat(handled).as("only the good client was handled").containsExactly("/good");
        assertThat(goodClient.send(get("/still-good")).readResponse().bodyText()).isEqualTo("ok /still-good 0");
    }

    @Test
    void aDecodingFailureIsLoggedAtWarnWithHeaderValuesFiltered() throws IOException {
        String secret = "Bearer secret-token-4711";
        try (LogCapture log = new LogCapture()) {
            assertRefusedWith400AndClosed(post("Authorization: " + secret + "\r\nContent-Length: 1\r\n"
                    + "Content-Length: 2") + "ab");

            ServerTestSupport.awaitCondition(() -> !log.linesContaining("WARN", "Decoding failed").isEmpty(),
                    ServerTestSupport.SAFETY, "the decoding failure is logged");
            assertThat(log.text()).contains("Authorization: <filtered>").doesNotContain("secret-token-4711");
        }
    }

    /**
     * A chunk that fails to decode after the head was accepted is answered once, by the decoder (400), and the
     * exchange of the handler already running ends with it: the handler's own answer is dropped, not thrown on
     * the event loop ("Status and headers already sent"), and a graceful stop does not wait for it.
     */
    @Test
    void aMalformedChunkAfterTheHandlerStartedIsAnsweredOnceAndEndsTheExchange() throws IOException {
        CountDownLatch handlerEnded = new CountDownLatch(1);
        try (LogCapture log = new LogCapture();
             HttpServer chunky = server((request, response) -> {
                 try {
                     response.send("read " + request.bodyBytes().length);
                 } finally {
                     handlerEnded.countDown();
                 }
             }).build().start();
             RawConnection bad = connect(chunky)) {
            RawResponse response = bad.send(post("Transfer-Encoding: chunked") + "5\r\nhello\r\nzz\r\n0\r\n\r\n")
                    .readResponse();

            assertThat(response.status()).isEqualTo(400);
            bad.assertClosed();
            ServerTestSupport.await(handlerEnded, "the handler ended");
            long stopping = System.nanoTime();
            chunky.stop(SAFETY);
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("graceful stop").isLessThan(SAFETY);
            assertThat(log.text()).doesNotContain("already sent");
        }
    }

    /** A POST to {@code /} with the given header lines (CRLF-separated, no final CRLF), up to the empty line. */
    private static String post(String headerLines) {
        return "POST / HTTP/1.1\r\nHost: localhost\r\n" + headerLines + "\r\n\r\n";
    }

    /**
     * Sends {@code request} on a new connection and asserts a 400 and the close; then that the good client's
     * connection and a fresh one are served.
     */
    /**
     * Netty's decoder accepts any {@code HTTP/x.y}; an unknown major version gets 505 in HTTP/1.1 (RFC 9110
     * 15.6.6), never a response in the client's version, and its handler does not run. (HTTP/2 is spoken by
     * its own framing, never in an HTTP/1.1 request line.)
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP/9.9", "HTTP/2.0", "HTTP/0.9"})
    void anUnknownMajorVersionIs505InHttp11AndClosesTheConnection(String version) throws IOException {
        try (RawConnection bad = connect(server)) {
            RawResponse response = bad.send("GET /future " + version + "\r\nHost: localhost\r\n\r\n")
                    .readResponse();

            assertThat(response.version()).isEqualTo("HTTP/1.1");
            assertThat(response.status()).isEqualTo(505);
            assertThat(response.bodyText()).contains(version);
            assertThat(response.header("Date")).isPresent();
            assertThat(response.saysClose()).isTrue();
            bad.assertClosed();
        }
        assertThat(handled).doesNotContain("/future");
        assertThat(goodClient.send(get("/still-good")).readResponse().bodyText()).isEqualTo("ok /still-good 0");
    }

    private void assertRefusedWith400AndClosed(String request) throws IOException {
        try (RawConnection bad = connect(server)) {
            RawResponse response = bad.send(request).readResponse();

            assertThat(response.status()).as("status of %s", response).isEqualTo(400);
            assertThat(response.saysClose()).isTrue();
            bad.assertClosed();
        }
        assertThat(goodClient.send(get("/still-good")).readResponse().bodyText()).isEqualTo("ok /still-good 0");
        assertThat(exchangeOnFreshConnection(server, get("/fresh")).bodyText()).isEqualTo("ok /fresh 0");
    }
}
