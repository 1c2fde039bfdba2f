package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.SHORT;
import static io.concurrence.http.ServerTestSupport.await;
import static io.concurrence.http.ServerTestSupport.connect;
import static io.concurrence.http.ServerTestSupport.get;
import static io.concurrence.http.ServerTestSupport.request;
import static io.concurrence.http.ServerTestSupport.requestWithBody;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.http.ServerTestSupport.RawConnection;
import io.concurrence.http.ServerTestSupport.RawResponse;

/**
 * Pipelined requests (docs/http.md, "Protocol", "Pipelining"): requests written back to back on one connection
 * are answered in request order, with the right bodies, and handled one at a time, even when the first handler
 * is the slow one; a pipelined request asking to close is answered after every request before it, then the
 * connection closes and the requests after it are never handled.
 */
@org.junit.jupiter.api.Timeout(60)
class PipeliningTest {

    /** The paths handled, in the order the handlers started. */
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    /** Counted down by the test once every pipelined request has been written. */
    private final CountDownLatch allWritten = new CountDownLatch(1);
    /** Counted down when any handler after the slow first one starts. */
    private final CountDownLatch laterStarted = new CountDownLatch(1);
    /** Whether a later handler started while the slow first one still ran. */
    private final AtomicBoolean overlapped = new AtomicBoolean();

    /**
     * {@code /slow} waits until the test has written everything, then a {@link ServerTestSupport#SHORT} while
     * for a later handler to start (none should); {@code /echo} answers its body, {@code /stream} streams
     * (chunked), anything else answers its path.
     */
    private final HttpHandler handler = (request, response) -> {
        started.add(request.method() + " " + request.path());
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        boolean counted = true;
        try {
            if (request.path().equals("/slow")) {
                await(allWritten, "the test wrote every pipelined request");
                overlapped.set(laterStarted.await(SHORT.toMillis(), TimeUnit.MILLISECONDS));
            } else {
                laterStarted.countDown();
            }
            String body = request.path().equals("/echo") ? "echo:" + request.bodyText() : null;
            // The server takes the next pipelined request once this response is complete, which may be before
            // this handler has returned: the handler counts as running until its response is about to be sent.
            running.decrementAndGet();
            counted = false;
            switch (request.path()) {
                case "/echo" -> response.send(body);
                case "/stream" -> {
                    OutputStream out = response.outputStream();
                    out.write("streamed ".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    out.write("body".getBytes(StandardCharsets.UTF_8));
                }
                default -> response.send("answer to " + request.path());
            }
        } finally {
            if (counted) {
                running.decrementAndGet();
            }
        }
    };

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrderWhenTheFirstHandlerIsTheSlowest() throws IOException {
        try (HttpServer server = server(handler).build().start();
             RawConnection connection = connect(server)) {
            connection.send(get("/slow")
                    + requestWithBody("POST", "/echo", "payload two")
                    + get("/stream")
                    + request("HEAD", "/sized")
                    + get("/last"));
            allWritten.countDown();

            RawResponse slow = connection.readResponse();
            RawResponse echo = connection.readResponse();
            RawResponse stream = connection.readResponse();
            RawResponse head = connection.readHeadResponse();
            RawResponse last = connection.readResponse();

            assertThat(slow.bodyText()).isEqualTo("answer to /slow");
            assertThat(echo.bodyText()).isEqualTo("echo:payload two");
            assertThat(stream.isChunked()).isTrue();
            assertThat(stream.bodyText()).isEqualTo("streamed body");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).hasValue(Integer.toString("answer to /sized".length()));
            assertThat(last.bodyText()).isEqualTo("answer to /last");
            assertThat(List.of(slow, echo, stream, head, last)).allSatisfy(response -> {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.saysClose()).isFalse();
            });
            assertThat(started).containsExactly("GET /slow", "POST /echo", "GET /stream", "HEAD /sized", "GET /last");
        }
    }

    @Test
    void pipelinedRequestsAreHandledOneAtATime() throws IOException {
        try (HttpServer server = server(handler).build().start();
             RawConnection connection = connect(server)) {
            connection.send(get("/slow") + get("/second") + get("/third"));
            allWritten.countDown();
            for (int i = 0; i < 3; i++) {
                assertThat(connection.readResponse().status()).isEqualTo(200);
            }

            assertThat(overlapped).as("a later handler started while the first one ran").isFalse();
            assertThat(maxRunning).hasValue(1);
        }
    }

    @Test
    void manyPipelinedRequestsInOneWriteAreAllAnsweredInOrder() throws IOException {
        allWritten.countDown();
        int count = 50;
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < count; i++) {
            requests.append(i % 5 == 0 ? requestWithBody("POST", "/echo", "body " + i) : get("/r" + i));
        }
        try (HttpServer server = server(handler).build().start();
             RawConnection connection = connect(server)) {
            connection.send(requests.toString());

            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                bodies.add(connection.readResponse().bodyText());
            }

            for (int i = 0; i < count; i++) {
                assertThat(bodies.get(i)).isEqualTo(i % 5 == 0 ? "echo:body " + i : "answer to /r" + i);
            }
        }
    }

    /**
     * RFC 9112 9.3: every request up to and including the one asking to close is answered, in order; the
     * connection then closes, and what was pipelined after it is never handled. HTTP/1.0 without keep-alive
     * asks to close too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"GET /closing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET /closing HTTP/1.0\r\n\r\n"})
    void aPipelinedRequestAskingToCloseIsAnsweredAfterThoseBeforeItThenTheConnectionCloses(String closing)
            throws IOException {
        try (HttpServer server = server(handler).build().start();
             RawConnection connection = connect(server)) {
            connection.send(get("/slow") + get("/second") + closing + get("/after-close") + get("/after-close"));
            allWritten.countDown();

            RawResponse slow = connection.readResponse();
            RawResponse second = connection.readResponse();
            RawResponse closed = connection.readResponse();
            byte[] rest = connection.readUntilClose();

            assertThat(slow.bodyText()).isEqualTo("answer to /slow");
            assertThat(slow.saysClose()).isFalse();
            assertThat(second.bodyText()).isEqualTo("answer to /second");
            assertThat(second.saysClose()).isFalse();
            assertThat(closed.status()).isEqualTo(200);
            assertThat(closed.bodyText()).isEqualTo("answer to /closing");
            assertThat(new String(rest, StandardCharsets.ISO_8859_1)).isEmpty();
            assertThat(started).containsExactly("GET /slow", "GET /second", "GET /closing");
        }
    }

    @Test
    void theHandlerOfAPipelinedClosingRequestSeesItsConnectionHeader() throws IOException {
        List<String> connectionHeaders = new CopyOnWriteArrayList<>();
        try (HttpServer server = server((request, response) -> {
            connectionHeaders.add(request.header("Connection").orElse("(none)"));
            response.send("ok");
        }).build().start();
             RawConnection connection = connect(server)) {
            connection.send(get("/a") + get("/b", "Connection: close"));

            assertThat(connection.readResponse().saysClose()).isFalse();
            assertThat(connection.readResponse().saysClose()).isTrue();
            connection.assertClosed();
            assertThat(connectionHeaders).containsExactly("(none)", "close");
        }
    }
}
