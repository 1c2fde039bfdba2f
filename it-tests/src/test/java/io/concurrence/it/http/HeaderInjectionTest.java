package io.concurrence.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpServer;
import io.concurrence.http.HttpStatusException;

/**
 * Response splitting: a handler that puts CR, LF (or another control character) into a header name or value,
 * by {@code header}, {@code setHeader} or {@code contentType}, before a whole or a streamed body, gets an
 * {@link IllegalArgumentException} naming the header; left uncaught it is a {@code 500}. Whatever the handler
 * does, the bytes on the wire never hold an injected header line. An {@link HttpStatusException} whose message
 * holds CR/LF puts it in the body, never in the head.
 */
class HeaderInjectionTest {

    private static final String EVIL = "Set-Cookie: evil";
    private static final Duration READ = Duration.ofSeconds(30);
    /** The injections, by name: what the handler calls. */
    private static final Map<String, Injection> INJECTIONS = Map.ofEntries(
            Map.entry("header-value-crlf", r -> r.header("X-Name", "a\r\n" + EVIL)),
            Map.entry("header-value-lf", r -> r.header("X-Name", "a\n" + EVIL)),
            Map.entry("header-value-cr", r -> r.header("X-Name", "a\r" + EVIL)),
            Map.entry("header-value-nul", r -> r.header("X-Name", "a\0" + EVIL)),
            Map.entry("header-value-crlf-crlf", r -> r.header("X-Name", "a\r\n\r\n<html>" + EVIL)),
            Map.entry("set-header-value-crlf", r -> r.setHeader("X-Name", "a\r\n" + EVIL)),
            Map.entry("set-header-location-crlf", r -> r.setHeader("Location", "/next\r\n" + EVIL)),
            Map.entry("header-name-crlf", r -> r.header("X-Name\r\n" + EVIL + "\r\nX-More", "v")),
            Map.entry("header-name-lf", r -> r.header("X-Name\n" + EVIL, "v")),
            Map.entry("header-name-colon", r -> r.header("Set-Cookie: evil\r\nX", "v")),
            Map.entry("header-name-space", r -> r.header("X Name", "v")),
            Map.entry("set-header-name-colon", r -> r.setHeader("X:Name", "v")),
            Map.entry("content-type-crlf", r -> r.contentType("text/plain\r\n" + EVIL)));

    private static final Queue<String> CAUGHT = new ConcurrentLinkedQueue<>();
    private static HttpServer server;

    /** One way a handler tries to inject a header. */
    @FunctionalInterface
    interface Injection {
        void apply(HttpResponse response);
    }

    @BeforeAll
    static void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0).handler((request, response) -> {
            String[] parts = request.path().split("/");
            String mode = parts[1];
            Injection injection = INJECTIONS.get(parts[2]);
            switch (mode) {
                case "uncaught" -> {
                    injection.apply(response);
                    response.send("sent despite the injection");
                }
                case "caught" -> {
                    try {
                        injection.apply(response);
                        response.send("not refused");
                    } catch (IllegalArgumentException e) {
                        CAUGHT.add(e.getMessage());
                        response.send("refused: " + e.getMessage());
                    }
                }
                case "streamed" -> {
                    try {
                        injection.apply(response);
                    } catch (IllegalArgumentException e) {
                        CAUGHT.add(e.getMessage());
                    }
                    try (OutputStream out = response.outputStream()) {
                        out.write("streamed".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        out.write(" body".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                case "status-exception" ->
                    throw new HttpStatusException(403, "denied\r\n" + EVIL + "\r\n\r\n<html>");
                default -> throw new IllegalStateException("unknown mode " + mode);
            }
        }).build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"header-value-crlf", "header-value-lf", "header-value-cr", "header-value-nul",
        "header-value-crlf-crlf", "set-header-value-crlf", "set-header-location-crlf", "header-name-crlf",
        "header-name-lf", "header-name-colon", "header-name-space", "set-header-name-colon", "content-type-crlf"})
    void anInjectedHeaderIsRefusedWithAnExceptionAndNeverSplitsTheResponse(String injection) throws IOException {
        assertThat(INJECTIONS).containsKey(injection);

        String uncaught = exchange("/uncaught/" + injection);
        assertThat(statusOf(uncaught)).as("uncaught: %s", uncaught).isEqualTo(500);
        assertNoInjectedLine(uncaught);
        assertThat(uncaught).doesNotContain("sent despite the injection");

        CAUGHT.clear();
        String caught = exchange("/caught/" + injection);
        assertThat(statusOf(caught)).as("caught: %s", caught).isEqualTo(200);
        assertThat(caught).contains("refused: ");
        assertNoInjectedLine(caught);
        assertThat(CAUGHT).singleElement().asString().as("the exception names the header")
                .containsAnyOf("X-Name", "Location", "Content-Type", "X Name", "X:Name", "Set-Cookie");

        String streamed = exchange("/streamed/" + injection);
        assertThat(statusOf(streamed)).as("streamed: %s", streamed).isEqualTo(200);
        assertThat(streamed).contains("streamed").contains(" body");
        assertNoInjectedLine(streamed);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"status-exception"})
    void anHttpStatusExceptionMessageWithCrLfStaysInTheBody(String mode) throws IOException {
        String response = exchange("/" + mode + "/none");
        assertThat(statusOf(response)).isEqualTo(403);
        assertNoInjectedLine(response);
        assertThat(response.substring(response.indexOf("\r\n\r\n") + 4)).startsWith("denied");
    }

    /** No line of the response head is the injected header (the body may quote it). */
    private static void assertNoInjectedLine(String response) {
        int headEnd = response.indexOf("\r\n\r\n");
        assertThat(headEnd).as("a complete head in %s", response).isPositive();
        String head = response.substring(0, headEnd);
        assertThat(head.split("\r\n")).as("head lines")
                .noneMatch(line -> line.toLowerCase(Locale.ROOT).startsWith("set-cookie"))
                .noneMatch(line -> line.startsWith("<html>"));
        assertThat(head).doesNotContain("\n" + EVIL).doesNotContain("\r" + EVIL).doesNotContain("\0");
        assertThat(head.replace("\r\n", "")).as("no bare CR or LF in the head").doesNotContain("\r")
                .doesNotContain("\n");
    }

    private static int statusOf(String response) throws IOException {
        return RawExchange.parseStatus(response);
    }

    /** The whole response to {@code GET path} with {@code Connection: close}, as read until the server closes. */
    private static String exchange(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) READ.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
