package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.SHORT;
import static io.concurrence.http.ServerTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.concurrence.ConcurrenceException;
import io.concurrence.Tasklet;
import io.concurrence.TimeoutException;
import io.concurrence.http.HttpClientTestSupport.TestServer;

/** The client's options and limits: validation, body size limits, the pool's acquire limits, connect timeout. */
class HttpClientLimitsTest {

    /** How long a filler's connect may take before it counts as unanswered (generous for loaded CI). */
    private static final Duration FILLER_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** 10 MiB, the default maxResponseBodySize. */
    private static final int TEN_MIB = 10 << 20;

    private final CountDownLatch testOver = new CountDownLatch(1);
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start()
                .handle("/bytes/", (request, response) -> {
                    int n = Integer.parseInt(request.target().substring("/bytes/".length()));
                    response.send(200, new byte[n]);
                })
                .handle("/chunks/", (request, response) -> {
                    int n = Integer.parseInt(request.target().substring("/chunks/".length()));
                    try (OutputStream out = response.stream(200)) {
                        byte[] chunk = new byte[1000];
                        for (int sent = 0; sent < n; sent += chunk.length) {
                            out.write(chunk, 0, Math.min(chunk.length, n - sent));
                        }
                    }
                })
                .handle("/silent", (request, response) -> testOver.await())
                .handle("/ok", (request, response) -> response.send(200, "ok"));
    }

    @AfterEach
    void stop() throws IOException {
        testOver.countDown();
        server.close();
    }

    static Stream<Arguments> invalidOptions() {
        return Stream.of(
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.maxConnections(0),
                        "maxConnections must be at least 1, was 0"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.pendingAcquireMaxCount(-1),
                        "pendingAcquireMaxCount must be at least 1, was -1"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.pendingAcquireTimeout(Duration.ZERO),
                        "pendingAcquireTimeout must be positive, was PT0S"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.connectTimeout(Duration.ofSeconds(-1)),
                        "connectTimeout must be positive, was PT-1S"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.connectTimeout(Duration.ofDays(30)),
                        "connectTimeout must be at most 2147483647 ms"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.responseTimeout(Duration.ZERO),
                        "responseTimeout must be positive"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.readTimeout(Duration.ZERO),
                        "readTimeout must be positive"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.maxIdleTime(Duration.ZERO),
                        "maxIdleTime must be positive"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.maxResponseBodySize(-1),
                        "maxResponseBodySize must be 0 or more bytes (or unlimitedResponseBodySize()), was -1"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.baseUrl("ftp://host/"),
                        "baseUrl 'ftp://host/' must be an absolute http:// or https:// URI"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.baseUrl("/relative"),
                        "baseUrl '/relative' must be an absolute http:// or https:// URI"),
                Arguments.of((UnaryOperator<HttpClient.Builder>) b -> b.baseUrl("http://bad host/"),
                        "baseUrl 'http://bad host/' is not a valid URI"));
    }

    @ParameterizedTest
    @MethodSource("invalidOptions")
    void buildRejectsAnInvalidOptionNamingItAndItsRange(UnaryOperator<HttpClient.Builder> option, String message) {
        HttpClient.Builder builder = option.apply(HttpClient.builder());
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void builderRejectsInvalidHeadersAtOnce() {
        assertThatThrownBy(() -> HttpClient.builder().header("X Y", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'X Y'");
        assertThatThrownBy(() -> HttpClient.builder().userAgent("a\nb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("User-Agent");
    }

    @Test
    void bodyBytesRefusesADeclaredLengthOverTheLimitNamingIt() {
        try (HttpClient client = HttpClient.builder().maxResponseBodySize(1000).build();
             HttpClient.Response response = client.get(server.url("/bytes/1001"))) {
            assertThatThrownBy(response::bodyBytes).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("GET " + server.url("/bytes/1001"))
                    .hasMessageContaining("Content-Length 1001")
                    .hasMessageContaining("maxResponseBodySize (1000 bytes)");
        }
    }

    @Test
    void bodyTextRefusesAChunkedBodyOverTheLimitAndBodyAtTheLimitPasses() {
        try (HttpClient client = HttpClient.builder().maxResponseBodySize(5000).build()) {
            try (HttpClient.Response response = client.get(server.url("/chunks/5001"))) {
                assertThatThrownBy(response::bodyText).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("is longer than maxResponseBodySize (5000 bytes)");
            }
            try (HttpClient.Response response = client.get(server.url("/chunks/5000"))) {
                assertThat(response.bodyBytes()).hasSize(5000);
            }
            try (HttpClient.Response response = client.get(server.url("/ok"))) {
                assertThat(response.bodyText()).isEqualTo("ok");
            }
        }
    }

    @Test
    void defaultLimitIsTenMibAndUnlimitedLiftsItWhileBodyStreamsAnyLength() throws IOException {
        try (HttpClient client = HttpClient.create()) {
            try (HttpClient.Response response = client.get(server.url("/bytes/" + (TEN_MIB + 1)))) {
                assertThatThrownBy(response::bodyBytes).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("maxResponseBodySize (10 MiB)");
            }
            try (HttpClient.Response response = client.get(server.url("/chunks/" + (TEN_MIB + 1)))) {
                try (InputStream body = response.body()) {
                    assertThat(body.transferTo(OutputStream.nullOutputStream())).isEqualTo(TEN_MIB + 1);
                }
            }
        }
        try (HttpClient unlimited = HttpClient.builder().unlimitedResponseBodySize().build();
             HttpClient.Response response = unlimited.get(server.url("/chunks/" + (TEN_MIB + 1)))) {
            assertThat(response.bodyBytes()).hasSize(TEN_MIB + 1);
        }
    }

    @Test
    void waitingForAPooledConnectionTimesOutAfterPendingAcquireTimeout() {
        try (HttpClient client = HttpClient.builder().maxConnections(1).pendingAcquireTimeout(SHORT).build()) {
            Tasklet<Integer> holder = Tasklet.spawn(() -> {
                try (HttpClient.Response response = client.get(server.url("/silent"))) {
                    return response.status();
                }
            });
            awaitCondition(() -> server.hits("/silent") == 1, SAFETY, "the pool's one connection is busy");
            assertThatThrownBy(() -> client.get(server.url("/ok")))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("GET " + server.url("/ok"))
                    .hasMessageContaining("no pooled connection became free within 200 ms (pendingAcquireTimeout")
                    .hasMessageContaining("1 connections per host");
            holder.kill();
            Tasklet.joinAll(List.of(holder), SAFETY);
            assertOkServed(client);
        }
    }

    @Test
    void aFullPendingAcquireQueueRefusesMoreNamingPendingAcquireMaxCount() {
        try (HttpClient client = HttpClient.builder().maxConnections(1).pendingAcquireMaxCount(1).build()) {
            List<Tasklet<?>> waiting = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiting.add(Tasklet.spawn(() -> {
                    try (HttpClient.Response response = client.get(server.url("/silent"))) {
                        return response.status();
                    }
                }));
            }
            awaitCondition(() -> server.hits("/silent") == 1, SAFETY, "the pool's one connection is busy");
            // The second tasklet waits in the queue once it has subscribed; until then a probe waits instead.
            long deadline = System.nanoTime() + SAFETY.toNanos();
            ConcurrenceException refused = null;
            while (refused == null && System.nanoTime() - deadline < 0) {
                try {
                    client.send(HttpClient.Request.get(server.url("/ok")), SHORT).close();
                } catch (TimeoutException e) {
                    // the queue was not full yet: the probe waited in it
                } catch (ConcurrenceException e) {
                    refused = e;
                }
            }
            assertThat(refused).isNotNull()
                    .hasMessageContaining("GET " + server.url("/ok"))
                    .hasMessageContaining("1 exchanges already wait")
                    .hasMessageContaining("pendingAcquireMaxCount");
            waiting.forEach(Tasklet::kill);
            Tasklet.joinAll(waiting, SAFETY);
            // The pool frees the queue as the killed exchanges' acquires and connections are withdrawn, which
            // Reactor Netty completes on its event loops: until then a request may still be refused.
            awaitCondition(() -> {
                try {
                    assertOkServed(client);
                    return true;
                } catch (ConcurrenceException e) {
                    return false;
                }
            }, SAFETY, "the pool serves again");
        }
    }

    @Test
    void connectThatGetsNoAnswerTimesOutAfterConnectTimeout() throws IOException {
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            InetSocketAddress address = new InetSocketAddress(HOST, full.getLocalPort());
            fillAcceptQueue(address, fillers);
            String url = "http://" + HOST + ":" + full.getLocalPort() + "/x";
            try (HttpClient client = HttpClient.builder().connectTimeout(SHORT).build()) {
                assertThatThrownBy(() -> client.get(url, SAFETY))
                        .isInstanceOf(TimeoutException.class)
                        .hasMessageContaining("GET " + url)
                        .hasMessageContaining("connecting timed out after 200 ms (connectTimeout)");
            }
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }

    /**
     * Connects until a connect to {@code address} gets no answer: its accept queue of one is full, and Linux
     * drops the SYNs it cannot queue (as the socket tests' black hole in concurrence-reactor relies on). Fails
     * rather than skips where the stack answers anyway: the connect timeout would then go untested.
     */
    private static void fillAcceptQueue(InetSocketAddress address, List<Socket> fillers) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            fillers.add(socket);
            try {
                socket.connect(address, (int) FILLER_CONNECT_TIMEOUT.toMillis());
            } catch (SocketTimeoutException e) {
                return;
            }
        }
        throw new AssertionError("the accept queue of one still answered after 16 connects; a connect timeout"
                + " cannot be provoked on loopback here");
    }

    private void assertOkServed(HttpClient client) {
        try (HttpClient.Response response = client.get(server.url("/ok"), SAFETY)) {
            assertThat(response.bodyText()).isEqualTo("ok");
        }
    }
}
