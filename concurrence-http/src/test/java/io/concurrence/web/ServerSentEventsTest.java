package io.concurrence.web;

import static io.concurrence.web.WebTestSupport.SAFETY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.concurrence.TaskletExit;
import io.concurrence.http.HttpHandler;
import io.concurrence.web.WebTestSupport.CapturedResponse;
import io.concurrence.web.WebTestSupport.TestServer;

/**
 * {@link ServerSentEvents}: the wire format of events, multi-line data and comments (on an in-memory
 * response), and over a real connection: the {@code text/event-stream} head, each event reaching the client
 * as soon as it is sent, and a client that goes away making the handler's next send fail instead of hang.
 */
@Timeout(60)
class ServerSentEventsTest {

    private TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    // ---- format ----

    @Test
    void openSetsTheEventStreamHeadersAndCommits() {
        CapturedResponse response = new CapturedResponse();

        ServerSentEvents.open(response);

        assertThat(response.header("Content-Type")).hasValue("text/event-stream; charset=UTF-8");
        assertThat(response.header("Cache-Control")).hasValue("no-cache");
        assertThat(response.isCommitted()).as("the head goes out at once").isTrue();
        assertThat(response.bytes()).isEmpty();
    }

    @Test
    void eventIsNameAndDataLinesEndedByABlankLine() {
        CapturedResponse response = new CapturedResponse();
        ServerSentEvents events = ServerSentEvents.open(response);

        events.send("update", "{\"id\":1}");
        events.send("plain");

        assertThat(response.text()).isEqualTo("event: update\ndata: {\"id\":1}\n\ndata: plain\n\n");
    }

    @Test
    void idAndRetryFieldsFollowTheSpec() {
        CapturedResponse response = new CapturedResponse();
        ServerSentEvents events = ServerSentEvents.open(response);

        events.retry(java.time.Duration.ofSeconds(3));
        events.send("update", "42", "payload");
        events.send(null, "43", "more");

        assertThat(response.text()).isEqualTo("retry: 3000\n\n"
                + "event: update\nid: 42\ndata: payload\n\n"
                + "id: 43\ndata: more\n\n");
        assertThatThrownBy(() -> events.send(null, "4\n2", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event id");
        assertThatThrownBy(() -> events.retry(java.time.Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multiLineDataBecomesOneDataLinePerLineWhateverTheLineEnding() {
        CapturedResponse response = new CapturedResponse();
        ServerSentEvents events = ServerSentEvents.open(response);

        events.send(null, "one\ntwo\r\nthree\rfour");
        events.send("trailing", "last\n");

        assertThat(response.text()).isEqualTo("data: one\ndata: two\ndata: three\ndata: four\n\n"
                + "event: trailing\ndata: last\ndata: \n\n");
    }

    @Test
    void emptyDataIsOneEmptyDataLine() {
        CapturedResponse response = new CapturedResponse();
        ServerSentEvents events = ServerSentEvents.open(response);

        events.send("");

        assertThat(response.text()).isEqualTo("data: \n\n");
    }

    @Test
    void commentIsAColonLineThatClientsIgnore() {
        CapturedResponse response = new CapturedResponse();
        ServerSentEvents events = ServerSentEvents.open(response);

        events.comment("keep-alive");

        assertThat(response.text()).isEqualTo(": keep-alive\n\n");
    }

    @Test
    void eventNameOrCommentSpanningLinesIsRefused() {
        CapturedResponse response = new CapturedResponse();
        ServerSentEvents events = ServerSentEvents.open(response);

        assertThatThrownBy(() -> events.send("a\nb", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event name");
        assertThatThrownBy(() -> events.send("a\rb", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> events.comment("a\nevent: injected"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comment");
        assertThat(response.text()).as("nothing of a refused event is written").isEmpty();
    }

    @Test
    void nullDataIsRefused() {
        ServerSentEvents events = ServerSentEvents.open(new CapturedResponse());

        assertThatThrownBy(() -> events.send("name", null)).isInstanceOf(NullPointerException.class);
    }

    // ---- over a connection ----

    private void serve(HttpHandler handler) {
        server = TestServer.start(Router.create().get("/events", handler));
    }

    /** Reads lines up to and including the blank line that ends an event. */
    private static List<String> nextEvent(Iterator<String> lines) {
        List<String> event = new ArrayList<>();
        while (lines.hasNext()) {
            String line = lines.next();
            event.add(line);
            if (line.isEmpty()) {
                return event;
            }
        }
        return event;
    }

    @Test
    void eachEventReachesTheClientWhenSentAndTheStreamEndsWhenClosed() throws Exception {
        CountDownLatch firstReceived = new CountDownLatch(1);
        AtomicReference<Boolean> handlerWaited = new AtomicReference<>();
        serve((request, response) -> {
            try (ServerSentEvents events = ServerSentEvents.open(response)) {
                events.send("first");
                handlerWaited.set(firstReceived.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS));
                events.send("tick", "second");
            }
        });

        java.net.http.HttpResponse<Stream<String>> response = server.client()
                .send(server.request("/events").header("Accept", "text/event-stream").build(), BodyHandlers.ofLines());
        try (Stream<String> body = response.body()) {
            Iterator<String> lines = body.iterator();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=UTF-8");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(nextEvent(lines)).containsExactly("data: first", "");
            firstReceived.countDown();
            assertThat(nextEvent(lines)).containsExactly("event: tick", "data: second", "");
            assertThat(lines.hasNext()).as("the stream ends when the handler closes it").isFalse();
        }
        assertThat(handlerWaited.get()).as("the second event was sent only after the first arrived").isTrue();
    }

    @Test
    void openingOnACommittedResponseIsRefused() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        serve((request, response) -> {
            response.send("already answered");
            try {
                ServerSentEvents.open(response);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.countDown();
            }
        });

        assertThat(server.get("/events").text()).isEqualTo("already answered");
        assertThat(done.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void clientGoingAwayMakesTheNextSendFailInsteadOfHanging() throws Exception {
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch handlerEnded = new CountDownLatch(1);
        serve((request, response) -> {
            try (ServerSentEvents events = ServerSentEvents.open(response)) {
                events.send("first");
                long deadline = System.nanoTime() + SAFETY.toNanos();
                // Bounded: sends until one fails (the client has gone) or the safety bound passes.
                while (System.nanoTime() < deadline) {
                    try {
                        events.send("tick", Integer.toString(sent.incrementAndGet()));
                    } catch (Throwable t) {
                        sendFailure.set(t);
                        throw t;
                    }
                }
            } finally {
                handlerEnded.countDown();
            }
        });

        try (Socket socket = WebTestSupport.connect(server.port())) {
            String request = "GET /events HTTP/1.1\r\nHost: x\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            readUntil(socket.getInputStream(), "data: first\n\n");
        }

        assertThat(handlerEnded.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS))
                .as("the handler ended soon after the client went away").isTrue();
        // The send sees the closed connection (UncheckedIOException, as documented), or the server kills the
        // handler's tasklet first when it notices the close (TaskletExit): either way the send does not hang.
        assertThat(sendFailure.get()).as("a send failed (after %s sends)", sent.get())
                .isInstanceOfAny(UncheckedIOException.class, TaskletExit.class);
    }

    /** Reads from {@code in} until {@code marker} has arrived (bounded by the socket's read timeout). */
    private static void readUntil(InputStream in, String marker) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new AssertionError("connection closed before '" + marker + "': " + seen);
            }
            seen.write(buffer, 0, n);
        }
    }
}
