package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.http.StreamTestSupport.Conn;
import io.concurrence.http.StreamTestSupport.RawResponse;

/**
 * Stopping a server: {@code stop(grace)} refuses new connections, closes idle keep-alive ones, lets a request
 * in flight finish with its whole response (saying {@code Connection: close}), and returns without waiting
 * out the grace when nothing is left; a request that outlives the grace has its connection closed and its
 * handler killed ({@code TaskletExit}), and {@code stop} returns soon after the grace; {@code close()} does all
 * that at once.
 */
@org.junit.jupiter.api.Timeout(120)
class GracefulStopTest {

    /** The grace given to a request that will not finish. */
    private static final Duration SHORT_GRACE = Duration.ofMillis(500);
    /** How much longer than its grace {@code stop} may take, and how long {@code close()} may take. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);

    @Test
    void stopLetsTheRequestInFlightFinishWithConnectionCloseRefusesNewConnectionsAndClosesIdleOnes()
            throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = server((request, response) -> {
            if (request.path().equals("/slow")) {
                entered.countDown();
                if (!release.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the test did not release the request");
                }
                response.send("slow, but complete");
            } else {
                response.send("fast");
            }
        }).build().start();
        int port = server.port();
        try (server; Conn idle = Conn.open(server); Conn busy = Conn.open(server)) {
            assertThat(idle.get("/fast").readResponse().bodyText()).isEqualTo("fast");
            busy.get("/slow");
            assertThat(entered.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            CompletableFuture<Void> stopped = runOnPlatformThread(() -> server.stop(SAFETY));

            assertThat(idle.isClosedByPeer()).as("the idle keep-alive connection is closed").isTrue();
            assertRefused(port);
            assertThat(stopped).as("stop waits for the request in flight").isNotDone();

            release.countDown();
            RawResponse response = busy.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("slow, but complete");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(busy.isClosedByPeer()).as("the connection closes after that response").isTrue();
            stopped.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aRequestOutlivingTheGraceIsCutOffItsHandlerKilledAndStopReturnsSoonAfterTheGrace() throws Exception {
        Forever forever = new Forever();
        HttpServer server = server(forever::handle).build().start();
        try (server; Conn busy = Conn.open(server)) {
            busy.get("/forever");
            assertThat(forever.entered.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            long started = System.nanoTime();
            server.stop(SHORT_GRACE);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).as("stop waits out the grace for the request in flight")
                    .isGreaterThanOrEqualTo(SHORT_GRACE)
                    .isLessThan(SHORT_GRACE.plus(STOP_BOUND));
            assertThat(forever.killed.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(TaskletExit.class);
            assertThat(busy.isClosedByPeer()).as("the request's connection is closed without a response").isTrue();
        }
    }

    @Test
    void closeClosesEveryConnectionAndKillsHandlersAtOnce() throws Exception {
        Forever forever = new Forever();
        HttpServer server = server(forever::handle).build().start();
        int port = server.port();
        try (Conn idle = Conn.open(server); Conn busy = Conn.open(server)) {
            assertThat(idle.get("/fast").readResponse().bodyText()).isEqualTo("fast");
            busy.get("/forever");
            assertThat(forever.entered.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            long started = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(STOP_BOUND);

            assertThat(forever.killed.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(TaskletExit.class);
            assertThat(busy.isClosedByPeer()).as("the busy connection is closed without a response").isTrue();
            assertThat(idle.isClosedByPeer()).as("the idle connection is closed").isTrue();
            assertRefused(port);
            server.close(); // idempotent
        }
    }

    @Test
    void closeDuringAGracefulStopCutsTheGraceShort() throws Exception {
        Forever forever = new Forever();
        HttpServer server = server(forever::handle).build().start();
        try (server; Conn busy = Conn.open(server)) {
            busy.get("/forever");
            assertThat(forever.entered.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            CompletableFuture<Duration> stopTook = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                long started = System.nanoTime();
                server.stop(Duration.ofMinutes(10));
                stopTook.complete(Duration.ofNanos(System.nanoTime() - started));
            });
            assertRefusedEventually(server.port()); // the stop has begun

            server.close();

            assertThat(forever.killed.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(TaskletExit.class);
            assertThat(stopTook.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).as("the graceful stop's wait")
                    .isLessThan(STOP_BOUND);
            assertThat(busy.isClosedByPeer()).isTrue();
        }
    }

    /**
     * Retries until a connection to {@code port} is refused or closed unanswered (bounded by SAFETY). An attempt
     * whose connection was accepted just before the stop began may be held open unanswered by the stopping server
     * (it waits for its grace period): such an attempt times out after a second and counts as "not yet".
     */
    private static void assertRefusedEventually(int port) throws IOException {
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (true) {
            try {
                assertRefused(port, Duration.ofSeconds(1));
                return;
            } catch (AssertionError | java.net.SocketTimeoutException stillServing) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("connections to port " + port + " still accepted", stillServing);
                }
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void stopWithNothingInFlightReturnsWithoutWaitingOutTheGraceAndOnlyOnce() throws Exception {
        HttpServer server = server((request, response) -> response.send("ok")).build().start();
        int port = server.port();
        try (Conn idle = Conn.open(server)) {
            assertThat(idle.get("/").readResponse().bodyText()).isEqualTo("ok");

            long started = System.nanoTime();
            server.stop(Duration.ofMinutes(10));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(STOP_BOUND);

            assertThat(idle.isClosedByPeer()).isTrue();
            assertRefused(port);
            server.stop(Duration.ofMinutes(10)); // a second call does nothing
            server.close();
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        }
    }

    /** A handler that answers {@code /fast} and blocks on anything else until killed. */
    private static final class Forever {
        final CountDownLatch entered = new CountDownLatch(1);
        final CompletableFuture<Throwable> killed = new CompletableFuture<>();

        void handle(HttpRequest request, HttpResponse response) {
            if (request.path().equals("/fast")) {
                response.send("fast");
                return;
            }
            entered.countDown();
            try {
                Tasklet.sleep(Duration.ofMinutes(10));
            } catch (TaskletExit e) {
                killed.complete(e);
                throw e;
            }
            killed.complete(new AssertionError("the handler was not killed"));
        }
    }

    /**
     * A new connection to {@code port} is refused, or closed without an answer to its request (the listening
     * socket may still be closing, but the server no longer serves).
     */
    private static void assertRefused(int port) throws IOException {
        assertRefused(port, SAFETY);
    }

    private static void assertRefused(int port, Duration readBound) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), (int) SAFETY.toMillis());
            socket.setSoTimeout((int) readBound.toMillis());
            try {
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(socket.getInputStream().read()).as("a connection made after stop is answered").isEqualTo(-1);
            } catch (SocketException reset) {
                // closed by the server: refused
            }
        } catch (SocketException expected) {
            // nothing listens any more: refused (ConnectException), or reset while the listening socket closes
        }
    }

    private static CompletableFuture<Void> runOnPlatformThread(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("stopper").start(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
