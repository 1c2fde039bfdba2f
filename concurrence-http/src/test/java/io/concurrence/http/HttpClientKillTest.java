package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.awaitCondition;
import static io.concurrence.http.HttpClientTestSupport.readHead;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.http.HttpClientTestSupport.RawServer;

/**
 * {@code kill()} of a tasklet blocked in an exchange: it gets {@link TaskletExit}, the exchange is cancelled,
 * its connection is closed (the server sees it go), and the pool keeps serving with every slot free again.
 */
class HttpClientKillTest {

    /** The pool size: smaller than the number of killed tasklets, so that some wait for a connection. */
    private static final int POOL = 2;
    private static final int KILLED = 5;

    /** Connections whose client went away (the server read the end of the stream). */
    private final AtomicInteger clientClosed = new AtomicInteger();
    /** Requests for /hang and /stream that reached the server. */
    private final AtomicInteger stuck = new AtomicInteger();
    private RawServer server;
    private HttpClient client;

    /**
     * {@code /ok} is answered at once; {@code /hang} never; {@code /stream} gets a head and a first chunk of
     * a body that never ends. Stuck connections wait for the client to close them.
     */
    @BeforeEach
    void start() {
        server = RawServer.start(socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (String head; (head = readHead(in)) != null; ) {
                if (head.startsWith("GET /ok")) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                if (head.startsWith("GET /stream")) {
                    out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n".getBytes(
                            StandardCharsets.US_ASCII));
                    out.flush();
                }
                stuck.incrementAndGet();
                try {
                    while (in.read() >= 0) {
                        // wait for the client to close the connection
                    }
                } catch (java.net.SocketException reset) {
                    // closed with a reset: a client that closes with unread response bytes in its socket
                    // buffer (a killed exchange whose first chunk had arrived) resets instead of ending
                }
                clientClosed.incrementAndGet();
                return;
            }
        });
        client = HttpClient.builder().baseUrl(server.url("/")).maxConnections(POOL).pendingAcquireTimeout(SAFETY)
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    @Test
    void killWhileWaitingForTheHeadCancelsTheExchangeAndThePoolStillServes() throws InterruptedException {
        List<Tasklet<Integer>> tasklets = new ArrayList<>();
        for (int i = 0; i < KILLED; i++) {
            tasklets.add(Tasklet.spawn(() -> {
                try (HttpClient.Response response = client.get("/hang")) {
                    return response.status();
                }
            }));
        }
        awaitCondition(() -> stuck.get() == POOL, SAFETY, POOL + " requests hang at the server");
        killAll(tasklets);
        awaitEveryStuckConnectionClosed();
        assertPoolServes(KILLED);
    }

    @Test
    void killWhileReadingAStreamedBodyCancelsTheExchangeAndThePoolStillServes() throws InterruptedException {
        CountDownLatch reading = new CountDownLatch(KILLED);
        List<Tasklet<Integer>> tasklets = new ArrayList<>();
        for (int i = 0; i < KILLED; i++) {
            tasklets.add(Tasklet.spawn(() -> {
                try (HttpClient.Response response = client.get("/stream")) {
                    InputStream body = response.body();
                    byte[] first = body.readNBytes(5);
                    assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("first");
                    reading.countDown();
                    return body.read(); // blocks: the body never ends
                }
            }));
        }
        // POOL tasklets read; the others wait for a connection. Kill the readers first, then the rest.
        awaitCondition(() -> reading.getCount() == KILLED - POOL, SAFETY, POOL + " tasklets read a body");
        killAll(tasklets);
        awaitEveryStuckConnectionClosed();
        assertThat(reading.getCount()).isBetween(0L, (long) KILLED - POOL);
        assertPoolServes(KILLED);
    }

    @Test
    void killedReaderLeavesLaterReadsOfTheBodyFailingNotEnding() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        AtomicInteger afterKill = new AtomicInteger(Integer.MIN_VALUE);
        Tasklet<Void> tasklet = Tasklet.spawn(() -> {
            HttpClient.Response response = client.get("/stream");
            InputStream body = response.body();
            try {
                body.readNBytes(5);
                reading.countDown();
                body.read();
            } catch (TaskletExit e) {
                try {
                    body.read();
                } catch (IOException expected) {
                    afterKill.set(-2);
                }
                response.close();
                throw e;
            }
            return null;
        });
        assertThat(reading.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        tasklet.kill();
        assertThatJoinThrowsTaskletExit(tasklet);
        assertThat(afterKill).hasValue(-2);
        assertPoolServes(1);
    }

    private void awaitEveryStuckConnectionClosed() {
        awaitCondition(() -> clientClosed.get() == stuck.get(), SAFETY,
                "the client closed every connection of a killed exchange");
    }

    private static void killAll(List<? extends Tasklet<?>> tasklets) {
        tasklets.forEach(Tasklet::kill);
        for (Tasklet<?> tasklet : tasklets) {
            assertThatJoinThrowsTaskletExit(tasklet);
        }
    }

    private static void assertThatJoinThrowsTaskletExit(Tasklet<?> tasklet) {
        try {
            tasklet.join(SAFETY);
            throw new AssertionError(tasklet + " was not killed");
        } catch (JoinException e) {
            assertThat(e).cause().isInstanceOf(TaskletExit.class);
        }
    }

    /** {@code n} concurrent requests all succeed through the pool of {@link #POOL}. */
    private void assertPoolServes(int n) {
        List<Tasklet<String>> tasklets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasklets.add(Tasklet.spawn(() -> {
                try (HttpClient.Response response = client.get("/ok")) {
                    return response.bodyText();
                }
            }));
        }
        for (Tasklet<String> tasklet : tasklets) {
            assertThat(tasklet.join(SAFETY)).isEqualTo("ok");
        }
    }
}
