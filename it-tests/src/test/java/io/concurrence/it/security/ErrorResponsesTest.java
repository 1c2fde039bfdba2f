package io.concurrence.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.concurrence.http.HttpClient;
import io.concurrence.http.HttpServer;
import io.concurrence.http.HttpStatusException;
import io.concurrence.it.support.Figures;
import io.concurrence.web.Body;
import io.concurrence.web.Get;
import io.concurrence.web.JsonFilter;
import io.concurrence.web.Post;
import io.concurrence.web.QueryParam;
import io.concurrence.web.Router;

/**
 * No stack traces or internal details in HTTP error responses: handlers throwing runtime and checked exceptions
 * and errors whose messages hold secrets, {@link HttpStatusException}s, the web layer's own errors (404, 405, a
 * body that is not JSON, a parameter that does not convert, {@link JsonFilter}'s error objects) and the decoder's
 * answers to malformed requests. No body or header carries a stack frame or an exception's class name, nor the
 * message of an exception behind a 5xx; a 4xx may carry the application's own message.
 */
class ErrorResponsesTest {

    static final Duration SAFETY = Duration.ofSeconds(20);
    /** In every exception message thrown here: it must never reach a client. */
    static final String SECRET = "s3cr3t-db-password";
    /** What no error response may contain: stack frames, class and package names. */
    static final List<String> INTERNALS = List.of("at io.", "at java.", ".java:", "Exception", "Error:", "java.",
            "io.concurrence", "reactor.", "io.netty", "tools.jackson", "com.fasterxml", SECRET);

    private static HttpServer server;
    private static HttpClient client;
    private static int checked;

    /** A message body read as JSON. */
    public record User(String name, int age) {
    }

    /** A controller: its parameter conversions and JSON bodies fail with 400s. */
    public static final class Users {
        @Post("/users")
        public String create(@Body User user) {
            return "created " + user.name();
        }

        @Get("/sum")
        public String sum(@QueryParam("a") int a, @QueryParam("b") int b) {
            return Integer.toString(a + b);
        }

        @Get("/user")
        public User user(@QueryParam("id") long id) {
            throw new IllegalStateException("lookup of " + id + " failed with " + SECRET);
        }
    }

    /** Behind {@link JsonFilter}: errors become JSON objects. */
    public static final class JsonApi {
        @Get("/json/fail")
        public Map<String, Object> fail() {
            throw new IllegalStateException("json handler failed with " + SECRET);
        }

        @Get("/json/status")
        public Map<String, Object> status() {
            throw new HttpStatusException(409, "Already exists", new IllegalStateException(SECRET));
        }
    }

    @BeforeAll
    static void start() {
        Router router = Router.create()
                .get("/runtime", (request, response) -> {
                    throw new IllegalStateException("connection to jdbc:mysql://db/" + SECRET + " failed");
                })
                .get("/checked", (request, response) -> {
                    throw new IOException("cannot read /etc/" + SECRET);
                })
                .get("/npe", (request, response) -> {
                    String nothing = request.header("X-Missing").orElse(null);
                    response.send(nothing.toUpperCase()); // a NullPointerException with a helpful message
                })
                .get("/error", (request, response) -> {
                    throw new AssertionError("invariant broken: " + SECRET);
                })
                .get("/stackoverflow", (request, response) -> {
                    throw new StackOverflowError(SECRET);
                })
                .get("/status400", (request, response) -> {
                    throw new HttpStatusException(400, "The name is too long", new IllegalArgumentException(SECRET));
                })
                .get("/status503", (request, response) -> {
                    throw new HttpStatusException(503, "Try again later", new IllegalStateException(SECRET));
                })
                .get("/after-start", (request, response) -> {
                    response.status(200);
                    OutputStream out = response.outputStream(); // not closed: that would end the body
                    out.write("partial".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    throw new IllegalStateException("mid-stream " + SECRET);
                })
                .controller(new Users())
                .controller(new JsonApi(), new JsonFilter());
        server = HttpServer.builder().host("127.0.0.1").port(0).handler(router).maxInitialLineLength(1024)
                .maxHeaderSize(2048).maxRequestBodySize(1024).build().start();
        client = HttpClient.builder().baseUrl("http://127.0.0.1:" + server.port()).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        Figures.record("ErrorResponsesTest", "HTTP error responses checked for internals", checked);
    }

    @Test
    void handlerFailuresAreAFixed500WithoutTheMessage() {
        for (String path : List.of("/runtime", "/checked", "/npe", "/error", "/stackoverflow", "/user?id=7")) {
            String body = exchange(HttpClient.Request.get(path), 500);
            assertThat(body).as(path).isEqualTo("Internal Server Error");
        }
    }

    @Test
    void httpStatusExceptionsSendTheirOwnMessageButNotTheirCause() {
        assertThat(exchange(HttpClient.Request.get("/status400"), 400)).isEqualTo("The name is too long");
        assertThat(exchange(HttpClient.Request.get("/status503"), 503)).isEqualTo("Try again later");
    }

    @Test
    void theWebLayersOwnErrorsCarryNoInternals() {
        exchange(HttpClient.Request.get("/no/such/path"), 404);
        exchange(HttpClient.Request.method("DELETE", "/runtime"), 405);
        exchange(HttpClient.Request.post("/users", "{\"name\": ").header("Content-Type", "application/json"), 400);
        exchange(HttpClient.Request.post("/users", "{\"name\": \"x\", \"age\": \"old\"}")
                .header("Content-Type", "application/json"), 400);
        exchange(HttpClient.Request.post("/users", "[1, 2]").header("Content-Type", "application/json"), 400);
        exchange(HttpClient.Request.post("/users", "x".repeat(2048)), 413);
        assertThat(exchange(HttpClient.Request.get("/sum?a=1&b=zwei"), 400)).contains("'b'");
        assertThat(exchange(HttpClient.Request.get("/sum?a=1"), 400)).contains("'b'");
        exchange(HttpClient.Request.get("/sum?a=99999999999999999999&b=1"), 400);
        assertThat(exchange(HttpClient.Request.get("/json/fail"), 500))
                .isEqualTo("{\"status\":500,\"error\":\"Internal Server Error\"}");
        assertThat(exchange(HttpClient.Request.get("/json/status"), 409))
                .isEqualTo("{\"status\":409,\"error\":\"Already exists\"}");
    }

    @Test
    void aHandlerFailingMidStreamTruncatesTheBodyAndAddsNothing() throws IOException {
        String answer = raw("GET /after-start HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").doesNotContain("0\r\n\r\n");
        assertNoInternals("/after-start", answer);
    }

    @Test
    void theDecodersAnswersToMalformedRequestsCarryNoInternals() throws IOException {
        List<Malformed> requests = List.of(
                new Malformed(400, "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
                // bytes that are not UTF-8 decode to U+FFFD: a path no route has
                new Malformed(404, "GET /%e0%80 HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Malformed(400, "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"),
                new Malformed(400, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
                new Malformed(400, "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
                new Malformed(505, "GET / HTTP/9.9\r\nHost: x\r\n\r\n"),
                new Malformed(400, "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"),
                new Malformed(414, "GET /" + "a".repeat(4096) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                new Malformed(431, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(4096) + "\r\n\r\n"),
                new Malformed(413, "POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 4096\r\n\r\n" + "{".repeat(4096)));
        for (Malformed request : requests) {
            String answer = raw(request.request());
            assertThat(answer).as(request.request()).startsWith("HTTP/1.1 " + request.status());
            assertNoInternals(request.request(), answer);
        }
    }

    /** A malformed request and the status it must get. */
    private record Malformed(int status, String request) {
    }

    /** Sends {@code request}, asserts its status and that nothing internal is in the response; returns the body. */
    private static String exchange(HttpClient.Request request, int status) {
        try (HttpClient.Response response = client.send(request, SAFETY)) {
            String body = response.bodyText();
            assertThat(response.status()).as(request + ": " + body).isEqualTo(status);
            assertNoInternals(request.toString(), response.headers() + "\n" + body);
            return body;
        }
    }

    private static void assertNoInternals(String what, String response) {
        for (String internal : INTERNALS) {
            assertThat(response).as("%s answered:%n%s", what, response).doesNotContain(internal);
        }
        checked++;
    }

    /** Writes {@code request} on a new connection and reads the answer until the server closes it. */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) SAFETY.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    answer.write(buffer, 0, n);
                    if (keptAlive(answer)) {
                        break;
                    }
                }
            } catch (SocketException e) {
                // reset after the answer: what arrived is what we check
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Whether a complete response with a Content-Length has arrived (the server may keep the connection). */
    private static boolean keptAlive(ByteArrayOutputStream answer) {
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        List<String> lines = new ArrayList<>(List.of(text.substring(0, end).split("\r\n")));
        for (String line : lines) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return text.length() - end - 4 >= Integer.parseInt(line.substring(15).strip());
            }
        }
        return false;
    }
}
