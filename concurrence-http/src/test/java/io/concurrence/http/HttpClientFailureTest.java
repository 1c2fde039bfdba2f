package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.SHORT;
import static io.concurrence.http.HttpClientTestSupport.readHead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.Timeout;
import io.concurrence.TimeoutException;
import io.concurrence.http.HttpClientTestSupport.RawServer;

/**
 * Transport failures and timeouts: refused connections, unknown hosts, servers that never answer, stall in
 * the middle of a body, or reset; each with the exception type, message and cause the API promises, and the
 * client still usable afterwards.
 */
class HttpClientFailureTest {

    /** How often a raw connection polls for the client's close while it stalls. */
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    /** Released when a test is over, to let stalled server connections go. */
    private final CountDownLatch testOver = new CountDownLatch(1);
    private RawServer server;

    /**
     * Serves {@code /ok} at once, never answers {@code /silent}, and sends half a body of {@code /stall}
     * (head and 10 bytes of 1000), then waits.
     */
    @BeforeEach
    void start() {
        server = RawServer.start(socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (String head; (head = readHead(in)) != null; ) {
                if (head.startsWith("GET /silent")) {
                    testOver.await();
                    return;
                }
                if (head.startsWith("GET /stall")) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789".getBytes(
                            StandardCharsets.US_ASCII));
                    out.flush();
                    testOver.await();
                    return;
                }
                if (head.startsWith("GET /reset")) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789".getBytes(
                            StandardCharsets.US_ASCII));
                    out.flush();
                    socket.setSoLinger(true, 0); // close with RST
                    return;
                }
                if (head.startsWith("GET /hangup")) {
                    return; // close without answering
                }
                out.write(OK);
                out.flush();
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        testOver.countDown();
        server.close();
    }

    @Test
    void refusedConnectionThrowsUncheckedIoExceptionCausedByConnectException() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            port = probe.getLocalPort();
        }
        String url = "http://" + HOST + ":" + port + "/x";
        try (HttpClient client = HttpClient.create()) {
            assertThatThrownBy(() -> client.get(url))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("GET " + url)
                    .cause().isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void unknownHostThrowsUncheckedIoExceptionCausedByUnknownHostException() {
        try (HttpClient client = HttpClient.create()) {
            assertThatThrownBy(() -> client.get("http://no-such-host.invalid/x", SAFETY))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("GET http://no-such-host.invalid/x")
                    .cause().isInstanceOf(UnknownHostException.class);
        }
    }

    @Test
    void serverThatNeverAnswersTimesOutAfterTheResponseTimeout() {
        try (HttpClient client = HttpClient.builder().responseTimeout(SHORT).build()) {
            assertThatThrownBy(() -> client.get(server.url("/silent")))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("GET " + server.url("/silent"))
                    .hasMessageContaining("200 ms (responseTimeout)");
            assertOkStillServed(client);
        }
    }

    @Test
    void timedSendTimesOutAfterItsOwnTimeout() {
        try (HttpClient client = HttpClient.create()) {
            assertThatThrownBy(() -> client.send(HttpClient.Request.get(server.url("/silent")), SHORT))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("GET " + server.url("/silent"))
                    .hasMessageContaining("no response within 200 ms");
            assertOkStillServed(client);
        }
    }

    @Test
    @SuppressWarnings("try") // the Timeout is pushed for the scope of the block
    void ambientTimeoutBoundsAnUntimedSend() {
        try (HttpClient client = HttpClient.create()) {
            Tasklet<Void> tasklet = Tasklet.spawn(() -> {
                try (Timeout ignored = Timeout.push(SHORT)) {
                    assertThatThrownBy(() -> client.get(server.url("/silent")))
                            .isInstanceOf(TimeoutException.class)
                            .hasMessageContaining("GET " + server.url("/silent"))
                            .hasMessageContaining("ambient Timeout");
                }
                try (Timeout ignored = Timeout.push(SHORT)) {
                    assertThatThrownBy(() -> client.send(HttpClient.Request.get(server.url("/silent")), SAFETY))
                            .isInstanceOf(TimeoutException.class)
                            .hasMessageContaining("ambient Timeout");
                }
                assertOkStillServed(client);
            });
            tasklet.join(SAFETY);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void zeroOrNegativeTimeoutDoesNotWait(long millis) {
        try (HttpClient client = HttpClient.create()) {
            HttpClient.Request silent = HttpClient.Request.get(server.url("/silent"));
            assertThatThrownBy(() -> client.send(silent, Duration.ofMillis(millis)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("GET " + server.url("/silent"))
                    .hasMessageContaining("no response within");
            assertOkStillServed(client);
        }
    }

    @Test
    void stalledBodyTimesOutAfterTheReadTimeoutAndStaysFailed() throws IOException {
        try (HttpClient client = HttpClient.builder().readTimeout(SHORT).build();
             HttpClient.Response response = client.get(server.url("/stall"))) {
            assertThat(response.status()).isEqualTo(200);
            InputStream body = response.body();
            byte[] buffer = new byte[100];
            assertThat(body.readNBytes(buffer, 0, 10)).isEqualTo(10);
            assertThatThrownBy(() -> body.read(buffer))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("GET " + server.url("/stall"))
                    .hasMessageContaining("reading the response body")
                    .hasMessageContaining("200 ms (readTimeout)");
            assertThatThrownBy(() -> body.read(buffer))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("unusable after an earlier failure")
                    .cause().isInstanceOf(TimeoutException.class);
            assertOkStillServed(client);
        }
    }

    @Test
    @SuppressWarnings("try") // the Timeout is pushed for the scope of the block
    void stalledBodyTimesOutWithTheAmbientTimeoutAndWithBodyBytesTimeout() {
        try (HttpClient client = HttpClient.create()) {
            Tasklet<Void> tasklet = Tasklet.spawn(() -> {
                try (HttpClient.Response response = client.get(server.url("/stall"));
                     Timeout ignored = Timeout.push(SHORT)) {
                    assertThatThrownBy(response::bodyText)
                            .isInstanceOf(TimeoutException.class)
                            .hasMessageContaining("GET " + server.url("/stall"))
                            .hasMessageContaining("ambient Timeout");
                }
                try (HttpClient.Response response = client.get(server.url("/stall"))) {
                    assertThatThrownBy(() -> response.bodyBytes(SHORT))
                            .isInstanceOf(TimeoutException.class)
                            .hasMessageContaining("GET " + server.url("/stall"))
                            .hasMessageContaining("timed out after 200 ms");
                }
            });
            tasklet.join(SAFETY);
        }
    }

    @Test
    void resetInTheMiddleOfABodyThrowsUncheckedIoExceptionCausedBySocketException() {
        try (HttpClient client = HttpClient.create();
             HttpClient.Response response = client.get(server.url("/reset"))) {
            assertThat(response.status()).isEqualTo(200);
            assertThatThrownBy(response::bodyBytes)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("GET " + server.url("/reset"))
                    .cause().isInstanceOf(SocketException.class);
        }
    }

    @Test
    void serverClosingBeforeAnsweringThrowsUncheckedIoExceptionCausedBySocketException() {
        try (HttpClient client = HttpClient.create()) {
            assertThatThrownBy(() -> client.get(server.url("/hangup")))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("GET " + server.url("/hangup"))
                    .hasMessageContaining("prematurely closed")
                    .cause().isInstanceOf(SocketException.class);
            assertOkStillServed(client);
        }
    }

    @Test
    void killedTaskletWaitingWithATimeoutGetsTaskletExitNotTimeout() throws InterruptedException {
        try (HttpClient client = HttpClient.create()) {
            Tasklet<Integer> tasklet = Tasklet.spawn(() -> {
                try (HttpClient.Response response = client.send(HttpClient.Request.get(server.url("/silent")),
                        SAFETY)) {
                    return response.status();
                }
            });
            ServerTestSupport.awaitCondition(() -> server.accepted() == 1, SAFETY, "the request arrived");
            tasklet.kill();
            assertThatThrownBy(() -> tasklet.join(SAFETY)).isInstanceOf(JoinException.class)
                    .cause().isInstanceOf(io.concurrence.TaskletExit.class);
            assertOkStillServed(client);
        }
    }

    private void assertOkStillServed(HttpClient client) {
        try (HttpClient.Response response = client.get(server.url("/ok"))) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("ok");
        }
    }
}
