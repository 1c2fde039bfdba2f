package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.SAFETY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.Tasklet;
import io.concurrence.http.HttpClientTestSupport.TestRequest;
import io.concurrence.http.HttpClientTestSupport.TestServer;

/** Exchanges with a well-behaved server: methods, headers, bodies, statuses, keep-alive, base URLs, redirects. */
class HttpClientTest {

    private TestServer server;
    private HttpClient client;
    /** What the server saw of the last request to /echo. */
    private final Map<String, Object> seen = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        server = TestServer.start()
                .handle("/echo", (request, response) -> {
                    seen.put("request", request);
                    response.header("X-Method", request.method()).header("X-Multi", "one").header("X-Multi", "two")
                            .send(200, request.body());
                })
                .handle("/hello", (request, response) -> response.send(200, "hello"))
                .handle("/missing", (request, response) -> response.send(404, "no such thing"))
                .handle("/broken", (request, response) -> response.send(500, "it broke"))
                .handle("/chunked", (request, response) -> {
                    try (OutputStream out = response.stream(200)) {
                        for (int i = 0; i < 100; i++) {
                            out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                })
                .handle("/latin1", (request, response) -> response
                        .header("Content-Type", "text/plain; charset=ISO-8859-1")
                        .send(200, "café".getBytes(StandardCharsets.ISO_8859_1)))
                .handle("/redirect", (request, response) -> response.header("Location", "/hello").sendHead(302))
                .handle("/huge-head", (request, response) -> response.header("Content-Length", "20000000")
                        .sendHeadOnly(200));
        client = HttpClient.builder().baseUrl(server.url("/")).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    @Test
    void getReturnsStatusHeadersAndBody() {
        try (HttpClient.Response response = client.get(server.url("/hello"))) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Length")).contains("5");
            assertThat(response.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void postSendsBytesWithContentLength() {
        byte[] body = {1, 2, 3, 0, (byte) 255};
        try (HttpClient.Response response = client.send(HttpClient.Request.post("/echo", body))) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyBytes()).containsExactly(body);
        }
        assertThat(seen().method()).isEqualTo("POST");
        assertThat(seenHeader("Content-Length")).isEqualTo("5");
        assertThat(seenHeader("Transfer-Encoding")).isNull();
    }

    @Test
    void postSendsTextAsUtf8PlainTextUnlessTypeIsSet() {
        try (HttpClient.Response response = client.send(HttpClient.Request.post("/echo", "grüße"))) {
            assertThat(response.bodyText()).isEqualTo("grüße");
        }
        assertThat(seenHeader("Content-Type")).isEqualTo("text/plain;charset=UTF-8");
        assertThat(seenHeader("Content-Length")).isEqualTo(String.valueOf("grüße".getBytes(StandardCharsets.UTF_8)
                .length));

        HttpClient.Request json = HttpClient.Request.post("/echo", "{\"a\":1}").header("content-type",
                "application/json");
        try (HttpClient.Response response = client.send(json)) {
            assertThat(response.bodyText()).isEqualTo("{\"a\":1}");
        }
        assertThat(seenHeader("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void aDefaultContentTypeOfTheClientAppliesToTextBodies() {
        try (HttpClient json = HttpClient.builder().baseUrl(server.url("/"))
                .header("Content-Type", "application/json").build();
             HttpClient.Response response = json.send(HttpClient.Request.post("/echo", "[1]"))) {
            assertThat(response.bodyText()).isEqualTo("[1]");
        }
        assertThat(seenHeader("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void headResponseHasAnEmptyBodyWhateverItsContentLength() {
        try (HttpClient.Response response = client.send(HttpClient.Request.method("HEAD", "/huge-head"))) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Length")).contains("20000000");
            assertThat(response.bodyBytes()).isEmpty();
        }
        try (HttpClient.Response response = client.get("/hello")) {
            assertThat(response.bodyText()).isEqualTo("hello");
        }
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void putAndDeleteRoundTrip() {
        try (HttpClient.Response response = client.send(HttpClient.Request.put("/echo", "new state"))) {
            assertThat(response.header("X-Method")).contains("PUT");
            assertThat(response.bodyText()).isEqualTo("new state");
        }
        try (HttpClient.Response response = client.send(HttpClient.Request.put("/echo", new byte[] {7}))) {
            assertThat(response.bodyBytes()).containsExactly(7);
        }
        try (HttpClient.Response response = client.send(HttpClient.Request.delete("/echo"))) {
            assertThat(response.header("X-Method")).contains("DELETE");
            assertThat(response.bodyBytes()).isEmpty();
        }
        try (HttpClient.Response response = client.send(HttpClient.Request.method("PATCH", "/echo").body("p"))) {
            assertThat(response.header("x-method")).contains("PATCH");
            assertThat(response.bodyText()).isEqualTo("p");
        }
    }

    @Test
    void requestHeadersReachTheServerAndDefaultsApply() {
        try (HttpClient other = HttpClient.builder().baseUrl(server.url("/")).header("X-Default", "d")
                .header("X-Overridden", "default").build()) {
            HttpClient.Request request = HttpClient.Request.get("/echo")
                    .header("X-Custom", "custom value")
                    .header("x-overridden", "mine")
                    .addHeader("X-Repeated", "a").addHeader("x-repeated", "b");
            try (HttpClient.Response response = other.send(request)) {
                assertThat(response.status()).isEqualTo(200);
            }
        }
        Map<String, List<String>> headers = seen().headers();
        assertThat(headers.get("X-Custom")).containsExactly("custom value");
        assertThat(headers.get("X-Default")).containsExactly("d");
        assertThat(headers.get("X-Overridden")).containsExactly("mine");
        assertThat(headers.get("X-Repeated")).containsExactly("a", "b");
        assertThat(headers.get("User-Agent")).containsExactly("Concurrence-Http/0.1");
    }

    @Test
    void userAgentIsConfigurable() {
        try (HttpClient other = HttpClient.builder().userAgent("probe/2").build();
             HttpClient.Response response = other.get(server.url("/echo"))) {
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(seenHeader("User-Agent")).isEqualTo("probe/2");
    }

    @Test
    void responseHeadersAreCaseInsensitiveAndKeepEveryValue() {
        try (HttpClient.Response response = client.get("/echo")) {
            assertThat(response.header("x-method")).contains("GET");
            assertThat(response.header("X-METHOD")).contains("GET");
            assertThat(response.headers().get("x-multi")).containsExactly("one", "two");
            assertThat(response.header("X-Absent")).isEmpty();
            assertThatThrownBy(() -> response.headers().put("X", List.of()))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/missing:404:no such thing", "/broken:500:it broke"})
    void errorStatusesAreReturnedNotThrown(String spec) {
        String[] parts = spec.split(":");
        try (HttpClient.Response response = client.get(parts[0])) {
            assertThat(response.status()).isEqualTo(Integer.parseInt(parts[1]));
            assertThat(response.bodyText()).isEqualTo(parts[2]);
        }
    }

    @Test
    void sequentialRequestsReuseOneKeptAliveConnection() {
        for (int i = 0; i < 5; i++) {
            try (HttpClient.Response response = client.get("/hello")) {
                assertThat(response.bodyText()).isEqualTo("hello");
            }
        }
        for (int i = 0; i < 3; i++) {
            try (HttpClient.Response response = client.get("/chunked")) {
                assertThat(response.bodyText()).startsWith("line 0\n").endsWith("line 99\n");
            }
        }
        assertThat(server.clientPorts).hasSize(8);
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void closingAnUnreadResponseKeepsItsConnectionWhenTheBodyHasArrived() {
        for (int i = 0; i < 10; i++) {
            try (HttpClient.Response response = client.get("/hello")) {
                assertThat(response.status()).isEqualTo(200);
            }
        }
        assertThat(server.clientPorts).hasSize(10);
        // send returns at the head, a moment before the rest of the response is processed and the connection
        // is back in the pool: a send at once may find it still busy and open another. But connections are
        // kept (drained), not closed with each response, which would take ten.
        assertThat(server.connections().size()).isLessThan(10);
    }

    @Test
    void aHalfReadStreamedBodyClosedEarlyLeavesThePoolWorking() throws IOException {
        try (HttpClient small = HttpClient.builder().baseUrl(server.url("/")).maxConnections(1).build()) {
            for (int i = 0; i < 5; i++) {
                try (HttpClient.Response response = small.get("/chunked")) {
                    InputStream body = response.body();
                    assertThat(body.read()).isEqualTo('l');
                }
                try (HttpClient.Response response = small.get("/hello")) {
                    assertThat(response.bodyText()).isEqualTo("hello");
                }
            }
        }
    }

    @Test
    void bodyStreamsAsAnInputStream() throws IOException {
        try (HttpClient.Response response = client.get("/chunked")) {
            InputStream body = response.body();
            assertThat(response.body()).isSameAs(body);
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text.lines()).hasSize(100).startsWith("line 0").endsWith("line 99");
            assertThat(body.read()).isEqualTo(-1);
        }
    }

    @Test
    void bodyReadWholeCanBeReadAgainButNotAsAStream() {
        try (HttpClient.Response response = client.get("/hello")) {
            assertThat(response.bodyText()).isEqualTo("hello");
            assertThat(response.bodyBytes()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(response::body).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already read whole");
        }
    }

    @Test
    void bodyTextUsesTheDeclaredCharset() {
        try (HttpClient.Response response = client.get("/latin1")) {
            assertThat(response.bodyText()).isEqualTo("café");
        }
    }

    @Test
    void closingTheBodyStreamClosesTheResponse() throws IOException {
        try (HttpClient.Response response = client.get("/chunked")) {
            InputStream body = response.body();
            assertThat(body.read()).isEqualTo('l');
            body.close();
            assertThatThrownBy(body::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
            assertThatThrownBy(response::bodyText).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("after the response was closed");
        }
        try (HttpClient.Response response = client.get("/hello")) {
            assertThat(response.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void readingAClosedResponseFailsClearly() {
        HttpClient.Response response = client.get("/hello");
        response.close();
        response.close();
        assertThatThrownBy(response::bodyText).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after the response was closed");
    }

    @Test
    void requestBodyStreamsFromAnInputStreamChunked() {
        byte[] payload = new byte[300_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        AtomicBoolean closed = new AtomicBoolean();
        InputStream stream = new ByteArrayInputStream(payload) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        try (HttpClient.Response response = client.send(HttpClient.Request.method("POST", "/echo").body(stream))) {
            assertThat(response.bodyBytes()).isEqualTo(payload);
        }
        assertThat(seenHeader("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
        assertThat(seen().body()).isEqualTo(payload);
        assertThat(closed).isTrue();
    }

    @Test
    void requestBodyStreamWithContentLengthIsSentWithThatLength() {
        byte[] payload = "exactly twenty bytes".getBytes(StandardCharsets.UTF_8);
        HttpClient.Request request = HttpClient.Request.method("PUT", "/echo")
                .body(new ByteArrayInputStream(payload)).header("Content-Length", "20");
        try (HttpClient.Response response = client.send(request)) {
            assertThat(response.bodyBytes()).isEqualTo(payload);
        }
        assertThat(seenHeader("Content-Length")).isEqualTo("20");
        assertThat(seenHeader("Transfer-Encoding")).isNull();
    }

    @Test
    void requestBodyStreamFailureIsAnUncheckedIoExceptionWithItsCause() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        assertThatThrownBy(() -> client.send(HttpClient.Request.method("POST", "/echo").body(failing)))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("POST " + server.url("/echo"))
                .hasMessageContaining("disk on fire")
                .cause().isInstanceOf(IOException.class).hasMessage("disk on fire");
        try (HttpClient.Response response = client.get("/hello")) {
            assertThat(response.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void relativeUrisResolveAgainstTheBaseUrl() {
        try (HttpClient api = HttpClient.builder().baseUrl(server.url("/api/")).build()) {
            server.handle("/api/", (request, response) -> response.send(200, request.target()));
            try (HttpClient.Response response = api.get("users/7?full=1")) {
                assertThat(response.bodyText()).isEqualTo("/api/users/7?full=1");
            }
            try (HttpClient.Response response = api.get("/hello")) {
                assertThat(response.bodyText()).isEqualTo("hello");
            }
            try (HttpClient.Response response = api.get(server.url("/hello"))) {
                assertThat(response.bodyText()).isEqualTo("hello");
            }
        }
        String hostOnly = server.url("");
        try (HttpClient bare = HttpClient.builder().baseUrl(hostOnly).build();
             HttpClient.Response response = bare.get("hello")) {
            assertThat(response.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void absoluteUrisWorkWithoutABaseUrlAndRelativeOnesAreRefused() {
        try (HttpClient plain = HttpClient.create()) {
            try (HttpClient.Response response = plain.get(server.url("/hello"))) {
                assertThat(response.bodyText()).isEqualTo("hello");
            }
            assertThatThrownBy(() -> plain.get("/hello")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'/hello'").hasMessageContaining("baseUrl");
            assertThatThrownBy(() -> plain.get("ftp://example.com/x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("http://");
            assertThatThrownBy(() -> plain.get("http://exa mple.com/")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid URI");
        }
    }

    @Test
    void redirectsAreReturnedUnlessFollowingIsEnabled() {
        try (HttpClient.Response response = client.get("/redirect")) {
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.header("Location")).contains("/hello");
        }
        assertThat(server.hits("/hello")).isZero();
        try (HttpClient following = HttpClient.builder().baseUrl(server.url("/")).followRedirects(true).build();
             HttpClient.Response response = following.get("/redirect")) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello");
        }
        assertThat(server.hits("/hello")).isEqualTo(1);
    }

    @Test
    void worksFromAPlatformThreadAndFromATasklet() throws Exception {
        AtomicReference<String> fromPlatform = new AtomicReference<>();
        Thread platform = Thread.ofPlatform().start(() -> {
            try (HttpClient.Response response = client.get("/hello")) {
                fromPlatform.set(response.bodyText());
            }
        });
        platform.join(SAFETY.toMillis());
        assertThat(fromPlatform).hasValue("hello");
        Tasklet<String> tasklet = Tasklet.spawn(() -> {
            try (HttpClient.Response response = client.get("/hello")) {
                return response.bodyText();
            }
        });
        assertThat(tasklet.join(SAFETY)).isEqualTo("hello");
    }

    @Test
    void closeIsIdempotentAndLaterRequestsFailClearly() {
        HttpClient closing = HttpClient.builder().baseUrl(server.url("/")).build();
        try (HttpClient.Response response = closing.get("/hello")) {
            assertThat(response.bodyText()).isEqualTo("hello");
        }
        closing.close();
        closing.close();
        assertThatThrownBy(() -> closing.get("/hello")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GET " + server.url("/hello")).hasMessageContaining("closed");
    }

    @Test
    void requestsAreImmutable() {
        HttpClient.Request base = HttpClient.Request.get("/x");
        HttpClient.Request withHeader = base.header("A", "1");
        assertThat(base.headers()).isEmpty();
        assertThat(withHeader.headers()).containsEntry("a", List.of("1"));
        assertThat(withHeader.method()).isEqualTo("GET");
        assertThat(withHeader.uri()).isEqualTo("/x");
        assertThatThrownBy(() -> base.header("Bad Name", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Bad Name'");
        assertThatThrownBy(() -> base.header("X", "a\r\nInjected: yes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CR, LF");
        assertThatThrownBy(() -> HttpClient.Request.method("GET /", "/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid HTTP method");
    }

    private TestRequest seen() {
        return (TestRequest) seen.get("request");
    }

    private String seenHeader(String name) {
        return seen().header(name);
    }
}
