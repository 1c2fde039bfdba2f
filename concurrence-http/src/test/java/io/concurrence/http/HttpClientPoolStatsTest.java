package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.awaitCondition;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;

/**
 * {@link HttpClient#poolStats()}: connections open, in use, idle and waited for, as the pool sees them — empty
 * before the first exchange, one acquired per open response, the waiters counted while the pool is exhausted,
 * and everything idle again once responses are closed or their exchanges killed.
 */
class HttpClientPoolStatsTest {

    private static final int POOL = 2;
    private static final int WAITERS = 3;

    /** Opened by the test to let {@code /slow} answer, and {@code /partial} end its body. */
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        server = server((request, response) -> {
            if (request.path().equals("/slow")) {
                release.await();
            }
            if (request.path().equals("/partial")) {
                try (OutputStream out = response.outputStream()) {
                    out.write("part".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    release.await();
                }
                return;
            }
            response.send("ok");
        }).build().start();
        client = HttpClient.builder().baseUrl("http://127.0.0.1:" + server.port()).maxConnections(POOL)
                .pendingAcquireTimeout(SAFETY).build();
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        server.close();
    }

    @Test
    void poolStatsAreEmptyBeforeTheFirstExchange() {
        assertThat(client.poolStats()).isEqualTo(new HttpClient.PoolStats(0, 0, 0, 0, 0));
    }

    @Test
    void aResponseWhoseBodyIsStillArrivingHoldsItsConnection() {
        // A body that arrived whole gives its connection back at once (Reactor Netty releases it then), so the
        // response held open here is one whose body has not ended yet.
        HttpClient.Response response = client.get("/partial");
        assertThat(client.poolStats()).isEqualTo(new HttpClient.PoolStats(1, 1, 1, 0, 0));
        release.countDown();
        assertThat(response.bodyText()).isEqualTo("part");
        response.close();
        awaitCondition(() -> client.poolStats().equals(new HttpClient.PoolStats(1, 1, 0, 1, 0)), SAFETY,
                "the closed response's connection is idle again: " + client.poolStats());
    }

    @Test
    void exchangesWaitingForAnExhaustedPoolArePendingAndEverySlotComesBack() {
        List<Tasklet<String>> tasklets = new ArrayList<>();
        for (int i = 0; i < POOL + WAITERS; i++) {
            tasklets.add(Tasklet.spawn(() -> {
                try (HttpClient.Response response = client.get("/slow")) {
                    return response.bodyText();
                }
            }));
        }
        awaitCondition(() -> client.poolStats().equals(new HttpClient.PoolStats(1, POOL, POOL, 0, WAITERS)),
                SAFETY, POOL + " connections in use and " + WAITERS + " exchanges waiting: " + client.poolStats());
        release.countDown();
        for (Tasklet<String> tasklet : tasklets) {
            assertThat(tasklet.join(SAFETY)).isEqualTo("ok");
        }
        awaitCondition(() -> client.poolStats().equals(new HttpClient.PoolStats(1, POOL, 0, POOL, 0)), SAFETY,
                "every connection idle again: " + client.poolStats());
    }

    @Test
    void killedExchangesGiveTheirSlotsBack() {
        List<Tasklet<String>> tasklets = new ArrayList<>();
        for (int i = 0; i < POOL + WAITERS; i++) {
            tasklets.add(Tasklet.spawn(() -> {
                try (HttpClient.Response response = client.get("/slow")) {
                    return response.bodyText();
                }
            }));
        }
        awaitCondition(() -> client.poolStats().pending() == WAITERS, SAFETY,
                WAITERS + " exchanges waiting: " + client.poolStats());
        tasklets.forEach(Tasklet::kill);
        for (Tasklet<String> tasklet : tasklets) {
            try {
                tasklet.join(SAFETY);
                throw new AssertionError(tasklet + " was not killed");
            } catch (JoinException e) {
                assertThat(e).cause().isInstanceOf(TaskletExit.class);
            }
        }
        // Killed while waiting for their heads, the exchanges close their connections: those leave the pool a
        // moment later, so the figures are read together, as one snapshot, until they settle.
        awaitCondition(() -> {
            HttpClient.PoolStats stats = client.poolStats();
            return stats.acquired() == 0 && stats.pending() == 0 && stats.idle() == stats.allocated();
        }, SAFETY, "no connection in use, none waited for, every open one idle: " + client.poolStats());
        release.countDown();
        try (HttpClient.Response response = client.get("/fast")) {
            assertThat(response.bodyText()).isEqualTo("ok");
        }
    }
}
