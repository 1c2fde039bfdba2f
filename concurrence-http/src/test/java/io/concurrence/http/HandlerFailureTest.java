package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.await;
import static io.concurrence.http.ServerTestSupport.awaitCondition;
import static io.concurrence.http.ServerTestSupport.connect;
import static io.concurrence.http.ServerTestSupport.exchangeOnFreshConnection;
import static io.concurrence.http.ServerTestSupport.get;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import io.concurrence.Channel;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.http.ServerTestSupport.LogCapture;
import io.concurrence.http.ServerTestSupport.RawConnection;
import io.concurrence.http.ServerTestSupport.RawResponse;

/**
 * Handlers that fail (docs/http.md, "Errors"): an exception is a {@code 500} with a fixed body, logged once at
 * ERROR with the request line; an {@link HttpStatusException} answers its status and message; a failure or a
 * kill after a streamed response has started closes the connection so the client sees a truncated body; a
 * client going away kills the handler's tasklet ({@link TaskletExit} in its blocking call). The server keeps
 * serving other clients throughout.
 */
@org.junit.jupiter.api.Timeout(60)
class HandlerFailureTest {

    private static final String SECRET = "password=hunter2";
    private static final String STREAM_START = "partial body, ";

    private static void assertServesAFreshConnection(HttpServer server) throws IOException {
        RawResponse response = exchangeOnFreshConnection(server, get("/fine"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("fine");
    }

    /** Answers {@code /fine}; runs {@code failing} for any other path. */
    private static HttpServer serving(HttpHandler failing) {
        return server((request, response) -> {
            if (request.path().equals("/fine")) {
                response.send("fine");
            } else {
                failing.handle(request, response);
            }
        }).build().start();
    }

    @Test
    void anExceptionBecomes500WithAFixedBodyAndTheConnectionStaysUsable() throws IOException {
        try (HttpServer server = serving((request, response) -> {
            response.header("X-Set-Before-Failing", "yes");
            throw new IllegalStateException("cannot connect with " + SECRET);
        });
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(get("/boom")).readResponse();
            RawResponse next = connection.send(get("/fine")).readResponse();

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.bodyText()).isEqualTo("Internal Server Error")
                    .doesNotContain(SECRET).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(response.header("X-Set-Before-Failing")).isEmpty();
            assertThat(response.saysClose()).isFalse();
            assertThat(next.bodyText()).isEqualTo("fine");
        }
    }

    @Test
    void aCheckedExceptionBecomes500Too() throws IOException {
        try (HttpServer server = serving((request, response) -> {
            throw new IOException("disk full at " + SECRET);
        })) {
            RawResponse response = exchangeOnFreshConnection(server, get("/io"));

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.bodyText()).isEqualTo("Internal Server Error");
        }
    }

    @Test
    void anExceptionIsLoggedOnceAtErrorWithTheRequestLine() throws IOException {
        try (LogCapture log = new LogCapture();
             HttpServer server = serving((request, response) -> {
                 throw new IllegalStateException("logged failure " + SECRET);
             })) {
            assertThat(exchangeOnFreshConnection(server, get("/logged?x=1")).status()).isEqualTo(500);

            // Logged before the 500 is sent; the retry only guards against buffering in the log binding.
            awaitCondition(() -> !log.linesContaining("ERROR", "GET /logged?x=1 HTTP/1.1").isEmpty(), SAFETY,
                    "the failure is logged");
            assertThat(log.linesContaining("ERROR", "GET /logged?x=1 HTTP/1.1")).hasSize(1);
            assertThat(log.linesContaining("java.lang.IllegalStateException: logged failure")).hasSize(1);
        }
    }

    @Test
    void anHttpStatusExceptionAnswersItsStatusAndMessage() throws IOException {
        try (LogCapture log = new LogCapture();
             HttpServer server = serving((request, response) -> {
                 throw new HttpStatusException(404, "No such user");
             })) {
            RawResponse response = exchangeOnFreshConnection(server, get("/users/42"));

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.bodyText()).isEqualTo("No such user");
            assertThat(response.header("Content-Type")).hasValue("text/plain; charset=UTF-8");
            assertThat(log.linesContaining("ERROR", "GET /users/42")).as("a 4xx is not logged").isEmpty();
        }
    }

    @Test
    void anHttpStatusExceptionWith5xxIsLogged() throws IOException {
        try (LogCapture log = new LogCapture();
             HttpServer server = serving((request, response) -> {
                 throw new HttpStatusException(503, "Try again later");
             })) {
            RawResponse response = exchangeOnFreshConnection(server, get("/busy"));

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.bodyText()).isEqualTo("Try again later");
            awaitCondition(() -> !log.linesContaining("ERROR", "GET /busy HTTP/1.1").isEmpty(), SAFETY,
                    "the 503 is logged");
        }
    }

    @Test
    void aFailureAfterTheStreamedResponseStartedTruncatesTheBodyAndClosesTheConnection() throws IOException {
        CountDownLatch clientHasFirstChunk = new CountDownLatch(1);
        try (HttpServer server = serving((request, response) -> {
            OutputStream out = response.outputStream();
            out.write(STREAM_START.getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(clientHasFirstChunk, "the client read the first chunk");
            throw new IllegalStateException("failed mid-stream");
        });
             RawConnection connection = connect(server)) {
            RawResponse head = connection.send(get("/stream")).readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.isChunked()).isTrue();
            assertThat(new String(connection.readChunk(), StandardCharsets.UTF_8)).isEqualTo(STREAM_START);

            clientHasFirstChunk.countDown();

            assertThatThrownBy(connection::readChunk).as("no terminating chunk: the body is cut short")
                    .isInstanceOf(EOFException.class);
            assertServesAFreshConnection(server);
        }
    }

    @Test
    void aFailureAfterAStreamedResponseWithContentLengthStartedTruncatesTheBody() throws IOException {
        CountDownLatch clientHasFirstBytes = new CountDownLatch(1);
        try (HttpServer server = serving((request, response) -> {
            response.setHeader("Content-Length", "1000");
            OutputStream out = response.outputStream();
            out.write(STREAM_START.getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(clientHasFirstBytes, "the client read the first bytes");
            throw new IllegalStateException("failed mid-stream");
        });
             RawConnection connection = connect(server)) {
            connection.send(get("/sized"));
            RawResponse head = connection.readHead();
            assertThat(head.header("Content-Length")).hasValue("1000");
            assertThat(new String(connection.readBytes(STREAM_START.length()), StandardCharsets.UTF_8))
                    .isEqualTo(STREAM_START);
            clientHasFirstBytes.countDown();

            byte[] rest = connection.readUntilClose();

            assertThat(rest).as("the connection closes %d bytes short of the Content-Length",
                    1000 - STREAM_START.length()).isEmpty();
            assertServesAFreshConnection(server);
        }
    }

    @Test
    void aHandlerKilledMidResponseTruncatesItAndTheServerServesOthers() throws Exception {
        CompletableFuture<Tasklet<?>> handlerTasklet = new CompletableFuture<>();
        CompletableFuture<Throwable> handlerSaw = new CompletableFuture<>();
        try (HttpServer server = serving((request, response) -> {
            OutputStream out = response.outputStream();
            out.write(STREAM_START.getBytes(StandardCharsets.UTF_8));
            out.flush();
            handlerTasklet.complete(Tasklet.current());
            try {
                new Channel<String>().receive(SAFETY);
            } catch (TaskletExit e) {
                handlerSaw.complete(e);
                throw e;
            }
            handlerSaw.complete(null);
        });
             RawConnection connection = connect(server)) {
            connection.send(get("/killed"));
            assertThat(connection.readHead().status()).isEqualTo(200);
            assertThat(new String(connection.readChunk(), StandardCharsets.UTF_8)).isEqualTo(STREAM_START);

            Tasklet<?> target = await(handlerTasklet, "the handler published its tasklet");
            Tasklet.spawn(target::kill).join(SAFETY);

            assertThat(await(handlerSaw, "the handler's blocking call ended")).isInstanceOf(TaskletExit.class);
            assertThatThrownBy(connection::readChunk).as("no terminating chunk: the body is cut short")
                    .isInstanceOf(EOFException.class);
            assertServesAFreshConnection(server);
        }
    }

    @Test
    void aClientGoingAwayKillsTheHandlerBlockedOnAChannel() throws Exception {
        CountDownLatch handlerBlocked = new CountDownLatch(1);
        CompletableFuture<Throwable> handlerSaw = new CompletableFuture<>();
        try (HttpServer server = serving((request, response) -> {
            handlerBlocked.countDown();
            try {
                new Channel<String>().receive(SAFETY);
            } catch (RuntimeException e) {
                handlerSaw.complete(e);
                throw e;
            }
            handlerSaw.complete(null);
        })) {
            try (RawConnection connection = connect(server)) {
                connection.send(get("/waiting"));
                await(handlerBlocked, "the handler is blocked");
            }

            assertThat(await(handlerSaw, "the handler's blocking call ended")).isInstanceOf(TaskletExit.class);
            assertServesAFreshConnection(server);
        }
    }

    /**
     * A client that goes away while the handler streams is no server error: the handler's write fails (with
     * {@link UncheckedIOException} when the closed body reaches it before the kill, else {@link TaskletExit}),
     * and nothing is logged above DEBUG, whichever of the two the handler saw first.
     */
    @Test
    void aClientGoingAwayMidStreamIsNotLoggedAsAHandlerFailure() throws Exception {
        int rounds = 20;
        try (LogCapture log = new LogCapture()) {
            for (int round = 0; round < rounds; round++) {
                CompletableFuture<Throwable> handlerSaw = new CompletableFuture<>();
                try (HttpServer server = serving((request, response) -> {
                    try (OutputStream out = response.outputStream()) {
                        byte[] chunk = STREAM_START.getBytes(StandardCharsets.UTF_8);
                        while (true) {
                            out.write(chunk);
                            out.flush();
                        }
                    } catch (RuntimeException e) {
                        handlerSaw.complete(e);
                        throw e;
                    }
                })) {
                    try (RawConnection connection = connect(server)) {
                        connection.send(get("/gone"));
                        assertThat(connection.readHead().status()).isEqualTo(200);
                        connection.readChunk();
                    }
                    assertThat(await(handlerSaw, "the handler's write failed"))
                            .isInstanceOfAny(UncheckedIOException.class, TaskletExit.class);
                    assertServesAFreshConnection(server);
                }
            }
            assertThat(log.linesContaining("ERROR", "GET /gone")).as("logged as a handler failure").isEmpty();
        }
    }

    /**
     * The body read in progress when the client goes away fails: with an {@link UncheckedIOException} (the
     * connection's end reached the body first) or {@link TaskletExit} (the kill came first), never with a
     * Reactor Netty type; the tasklet is killed either way, so the handler's next blocking call throws
     * {@link TaskletExit}.
     */
    @Test
    void aClientGoingAwayMidBodyFailsTheBodyReadAndKillsTheHandler() throws Exception {
        CountDownLatch handlerReading = new CountDownLatch(1);
        CompletableFuture<Exception> readFailure = new CompletableFuture<>();
        CompletableFuture<Throwable> handlerSaw = new CompletableFuture<>();
        try (HttpServer server = serving((request, response) -> {
            try {
                request.body().readNBytes(5);
                handlerReading.countDown();
                request.body().readAllBytes();
                readFailure.completeExceptionally(new AssertionError("read a body the client never sent"));
            } catch (RuntimeException | IOException e) {
                readFailure.complete(e);
            }
            try {
                new Channel<String>().receive(SAFETY);
            } catch (RuntimeException e) {
                handlerSaw.complete(e);
                throw e;
            }
            handlerSaw.complete(null);
        })) {
            try (RawConnection connection = connect(server)) {
                connection.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nfirst");
                await(handlerReading, "the handler read the first bytes");
            }

            assertThat(await(readFailure, "the handler's body read ended"))
                    .isInstanceOfAny(UncheckedIOException.class, TaskletExit.class);
            assertThat(await(handlerSaw, "the handler's next blocking call ended")).isInstanceOf(TaskletExit.class);
            assertServesAFreshConnection(server);
        }
    }
}
