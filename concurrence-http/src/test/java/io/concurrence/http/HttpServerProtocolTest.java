package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.await;
import static io.concurrence.http.ServerTestSupport.connect;
import static io.concurrence.http.ServerTestSupport.exchangeOnFreshConnection;
import static io.concurrence.http.ServerTestSupport.get;
import static io.concurrence.http.ServerTestSupport.request;
import static io.concurrence.http.ServerTestSupport.requestWithBody;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.http.ServerTestSupport.RawConnection;
import io.concurrence.http.ServerTestSupport.RawResponse;

/**
 * The server's HTTP/1.1 protocol behaviour, checked on raw sockets (docs/http.md, "Protocol" and "Handlers"):
 * keep-alive, HTTP/1.0 with and without keep-alive, {@code HEAD}, arbitrary method names, the {@code Date} and
 * {@code Server} headers, the empty {@code 200} of a handler that sends nothing, what the request accessors
 * decode, and the {@code 400} for a request target with a bad percent-escape.
 */
@org.junit.jupiter.api.Timeout(60)
class HttpServerProtocolTest {

    /**
     * Answers {@code <method> <path> <version>} as text; {@code /empty} returns without sending, {@code /stream}
     * streams its answer (chunked), {@code /fail} throws.
     */
    private static final HttpHandler ECHO = (request, response) -> {
        String summary = request.method() + " " + request.path() + " " + request.version();
        switch (request.path()) {
            case "/empty" -> {
                // sends nothing
            }
            case "/stream" -> {
                OutputStream out = response.outputStream();
                out.write(summary.getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write(" (streamed)".getBytes(StandardCharsets.UTF_8));
            }
            case "/fail" -> throw new IllegalStateException("handler failure for the test");
            default -> response.send(summary);
        }
    };

    @Test
    void keepAliveAnswersSeveralRequestsOnOneConnectionAndKeepsItOpen() throws IOException {
        try (HttpServer server = server(ECHO).build().start();
             RawConnection connection = connect(server)) {
            RawResponse first = connection.send(get("/one")).readResponse();
            RawResponse second = connection.send(get("/two")).readResponse();
            RawResponse third = connection.send(get("/three")).readResponse();

            assertThat(List.of(first, second, third)).allSatisfy(response -> {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.version()).isEqualTo("HTTP/1.1");
                assertThat(response.saysClose()).isFalse();
            });
            assertThat(first.bodyText()).isEqualTo("GET /one HTTP/1.1");
            assertThat(second.bodyText()).isEqualTo("GET /two HTTP/1.1");
            assertThat(third.bodyText()).isEqualTo("GET /three HTTP/1.1");
        }
    }

    @Test
    void http10WithoutKeepAliveClosesTheConnectionAfterTheResponse() throws IOException {
        try (HttpServer server = server(ECHO).build().start();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send("GET /old HTTP/1.0\r\n\r\n").readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("GET /old HTTP/1.0");
            assertThat(response.header("Content-Length")).hasValue("17");
            connection.assertClosed();
        }
    }

    @Test
    void http10WithKeepAliveKeepsTheConnectionOpenUntilARequestWithoutIt() throws IOException {
        try (HttpServer server = server(ECHO).build().start();
             RawConnection connection = connect(server)) {
            RawResponse first = connection.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse();
            RawResponse second = connection.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse();

            assertThat(List.of(first, second)).allSatisfy(response -> {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).hasValueSatisfying(
                        value -> assertThat(value).isEqualToIgnoringCase("keep-alive"));
            });
            assertThat(first.bodyText()).isEqualTo("GET /a HTTP/1.0");
            assertThat(second.bodyText()).isEqualTo("GET /b HTTP/1.0");

            RawResponse last = connection.send("GET /c HTTP/1.0\r\n\r\n").readResponse();
            assertThat(last.bodyText()).isEqualTo("GET /c HTTP/1.0");
            connection.assertClosed();
        }
    }

    @Test
    void headSendsTheHeadOfGetWithItsContentLengthAndNoBody() throws IOException {
        try (HttpServer server = server(ECHO).build().start();
             RawConnection connection = connect(server)) {
            RawResponse toGet = connection.send(get("/doc")).readResponse();
            RawResponse toHead = connection.send(request("HEAD", "/doc")).readHeadResponse();
            // Were any body bytes sent after the HEAD response's head, this response would not parse.
            RawResponse next = connection.send(get("/next")).readResponse();

            assertThat(toGet.bodyText()).isEqualTo("GET /doc HTTP/1.1");
            assertThat(toHead.status()).isEqualTo(200);
            assertThat(toHead.header("Content-Length")).hasValue(Integer.toString("HEAD /doc HTTP/1.1".length()));
            assertThat(toHead.header("Content-Type")).isEqualTo(toGet.header("Content-Type"));
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("GET /next HTTP/1.1");
        }
    }

    @Test
    void headToAStreamedResponseSendsNoBodyEither() throws IOException {
        try (HttpServer server = server(ECHO).build().start();
             RawConnection connection = connect(server)) {
            RawResponse toHead = connection.send(request("HEAD", "/stream")).readHeadResponse();
            RawResponse next = connection.send(get("/stream")).readResponse();

            assertThat(toHead.status()).isEqualTo(200);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.isChunked()).isTrue();
            assertThat(next.bodyText()).isEqualTo("GET /stream HTTP/1.1 (streamed)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PURGE", "FOO", "PROPFIND", "M-SEARCH", "get"})
    void anyMethodNameReachesTheHandler(String method) throws IOException {
        try (HttpServer server = server(ECHO).build().start()) {
            RawResponse response = exchangeOnFreshConnection(server, request(method, "/any"));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(method + " /any HTTP/1.1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sent", "/empty", "/stream", "/fail", "/bad%zz"})
    void everyResponseCarriesDateAndTheDefaultServerHeader(String target) throws IOException {
        try (HttpServer server = server(ECHO).build().start()) {
            ZonedDateTime before = ZonedDateTime.now().minusSeconds(2);
            RawResponse response = exchangeOnFreshConnection(server, get(target));
            ZonedDateTime after = ZonedDateTime.now().plusSeconds(2);

            assertThat(response.header("Server")).hasValue("Concurrence/0.1");
            assertThat(response.header("Date")).hasValueSatisfying(date -> assertThat(
                    ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME)).isBetween(before, after));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sent", "/empty", "/stream", "/fail", "/bad%zz"})
    void serverHeaderReplacesTheServerHeaderOfEveryResponse(String target) throws IOException {
        try (HttpServer server = server(ECHO).serverHeader("tests/1.0").build().start()) {
            RawResponse response = exchangeOnFreshConnection(server, get(target));

            assertThat(response.headerValues("Server")).containsExactly("tests/1.0");
            assertThat(response.header("Date")).isPresent();
        }
    }

    @Test
    void aHandlerReturningWithoutSendingAnswers200WithAnEmptyBody() throws IOException {
        try (HttpServer server = server(ECHO).build().start();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(get("/empty")).readResponse();
            RawResponse next = connection.send(get("/after")).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Length")).hasValue("0");
            assertThat(response.isChunked()).isFalse();
            assertThat(response.body()).isEmpty();
            assertThat(next.bodyText()).isEqualTo("GET /after HTTP/1.1");
        }
    }

    /** What a handler saw of its request, captured inside the handler (the request is not usable after). */
    private record Seen(String method, String uri, String path, String version, Map<String, List<String>> query,
                        String headerInLowerCase, String headerInUpperCase, List<String> headersMapValues,
                        boolean absentHeaderIsEmpty, String bodyText, int remotePort) {
    }

    private static HttpHandler capturing(CompletableFuture<Seen> seen) {
        return (request, response) -> {
            seen.complete(new Seen(request.method(), request.uri().toString(), request.path(), request.version(),
                    request.queryParams(), request.header("x-custom-header").orElse(null),
                    request.header("X-CUSTOM-HEADER").orElse(null), request.headers().get("X-Custom-HEADER"),
                    request.header("X-Absent").isEmpty(), request.bodyText(), request.remoteAddress().getPort()));
            response.send("seen");
        };
    }

    @Test
    void requestAccessorsDecodePathAndQueryAndReadHeadersInAnyCase() throws IOException {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        try (HttpServer server = server(capturing(seen)).build().start();
             RawConnection connection = connect(server)) {
            String target = "/caf%C3%A9/a%20b?q=tasklets%20%26%20more&x=1&x=2&plus=a+b";
            RawResponse response = connection.send(get(target, "X-Custom-Header: first",
                    "x-custom-header: second")).readResponse();

            assertThat(response.status()).isEqualTo(200);
            Seen request = await(seen, "the handler ran");
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.uri()).isEqualTo(target);
            assertThat(request.path()).isEqualTo("/café/a b");
            assertThat(request.version()).isEqualTo("HTTP/1.1");
            assertThat(request.query()).containsEntry("q", List.of("tasklets & more"))
                    .containsEntry("x", List.of("1", "2"))
                    .containsEntry("plus", List.of("a b"));
            assertThat(request.headerInLowerCase()).isEqualTo("first");
            assertThat(request.headerInUpperCase()).isEqualTo("first");
            assertThat(request.headersMapValues()).containsExactly("first", "second");
            assertThat(request.absentHeaderIsEmpty()).isTrue();
            assertThat(request.bodyText()).isEmpty();
            assertThat(request.remotePort()).isEqualTo(connection.localPort());
        }
    }

    @Test
    void bodyTextDecodesInTheCharsetOfTheContentType() throws IOException {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        try (HttpServer server = server(capturing(seen)).build().start();
             RawConnection connection = connect(server)) {
            // "é" is one byte (0xE9) in ISO-8859-1: decoded as UTF-8 it would be a replacement character.
            connection.send(requestWithBody("POST", "/text", "caf\u00e9",
                    "Content-Type: text/plain; charset=ISO-8859-1")).readResponse();

            assertThat(await(seen, "the handler ran").bodyText()).isEqualTo("café");
        }
    }

    @Test
    void bodyTextDecodesUtf8WhenTheContentTypeNamesNoCharset() throws IOException {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        try (HttpServer server = server(capturing(seen)).build().start();
             RawConnection connection = connect(server)) {
            byte[] utf8 = "café ☕".getBytes(StandardCharsets.UTF_8);
            String head = "POST /text HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: "
                    + utf8.length + "\r\n\r\n";
            connection.send(head).send(utf8).readResponse();

            assertThat(await(seen, "the handler ran").bodyText()).isEqualTo("café ☕");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bad%zz", "/truncated%2", "/end%", "/ok?q=%G1"})
    void aBadPercentEscapeInTheTargetIs400AndTheHandlerNeverRuns(String target) throws IOException {
        AtomicInteger handled = new AtomicInteger();
        try (HttpServer server = server((request, response) -> {
            handled.incrementAndGet();
            response.send("handled");
        }).build().start();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(get(target)).readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).contains("percent-escape");
            connection.assertClosed();
            assertThat(handled).hasValue(0);
            assertThat(exchangeOnFreshConnection(server, get("/fine")).bodyText()).isEqualTo("handled");
        }
    }
}
