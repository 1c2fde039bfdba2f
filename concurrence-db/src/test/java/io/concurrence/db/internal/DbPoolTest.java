package io.concurrence.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.concurrence.db.DbTestSupport;

/**
 * The pool's side connection, which sends every {@code KILL QUERY}: kills from many threads at the same instant
 * all reach the server, and kills of connections that are gone already do not count as failures.
 */
class DbPoolTest {

    /** Threads that kill at the same instant. */
    private static final int THREADS = 16;
    /** Kills per thread and round. */
    private static final int KILLS = 4;
    private static final int ROUNDS = 20;
    /** A server thread id that does not exist: its kill fails with 1094 (unknown thread id). */
    private static final long UNKNOWN_THREAD = Integer.MAX_VALUE;

    private DbPool pool;

    @BeforeAll
    static void server() {
        DbTestSupport.requireServer();
    }

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * R2DBC MySQL's request queue takes one submitter at a time: concurrent kills on the shared side connection
     * used to be refused ("Request queue is full", and the killed connection marked broken) or lost (never
     * answered, so the connection waited out its kill grace and was closed).
     */
    @Test
    void concurrentKillsFromManyThreadsAllReachTheServer() throws Exception {
        pool = DbPool.create(config("t2-dbpool-concurrent"));
        long idle = idleThreadId();

        List<Physical> killed = killAtOnce(i -> idle);

        assertThat(killed).as("connections marked broken because their kill failed").noneMatch(p -> p.broken);
    }

    /**
     * Kills of connections that are gone already (error 1094, unknown thread id) among kills of live ones: every
     * kill completes, and none counts as failed (which would mark its connection broken).
     */
    @Test
    void killsOfVanishedConnectionsAmongLiveOnesAllComplete() throws Exception {
        pool = DbPool.create(config("t2-dbpool-vanished"));
        long idle = idleThreadId();

        List<Physical> killed = killAtOnce(i -> i % 2 == 0 ? UNKNOWN_THREAD : idle);

        assertThat(killed).as("connections marked broken because their kill failed").noneMatch(p -> p.broken);
    }

    /** The server id of a connection of the pool, idle in the pool now. */
    private long idleThreadId() throws SQLException {
        JdbcConnection c = pool.borrow(null);
        try {
            return c.state().threadId;
        } finally {
            c.close();
        }
    }

    /** A thread id per kill, by the kill's number. */
    private interface Target {
        long threadId(int kill);
    }

    /**
     * {@link #ROUNDS} rounds of {@link #THREADS} threads each sending {@link #KILLS} kills at the same instant;
     * fails unless every kill completes within {@link DbTestSupport#SOON}.
     */
    private List<Physical> killAtOnce(Target target) throws Exception {
        List<Physical> all = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            CountDownLatch go = new CountDownLatch(1);
            List<Physical> physicals = new ArrayList<>();
            for (int i = 0; i < THREADS * KILLS; i++) {
                physicals.add(new Physical(null, target.threadId(i), 1, "test")); // a kill target only
            }
            List<CompletableFuture<Void>> kills = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<Physical> mine = physicals.subList(t * KILLS, (t + 1) * KILLS);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (Physical p : mine) {
                        kills.add(pool.killQuery(p).toFuture());
                    }
                }));
            }

            go.countDown();

            for (Thread thread : threads) {
                assertThat(thread.join(DbTestSupport.SOON)).isTrue();
            }
            CompletableFuture.allOf(kills.toArray(CompletableFuture[]::new))
                    .get(DbTestSupport.SOON.toSeconds(), TimeUnit.SECONDS);
            all.addAll(physicals);
        }
        return all;
    }

    private static DbConfig config(String poolName) throws SQLException {
        DbUrl url = DbUrl.parse(DbTestSupport.url(), new Properties());
        return new DbConfig(url.host(), url.port(), url.database(), url.options().getOrDefault("user", "root"),
                url.options().getOrDefault("password", ""), 2, 0, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ZERO, Duration.ofMinutes(10), Duration.ofMinutes(30), null, "PREFERRED", null, null, null,
                List.of(), null, true, 256, true, "USE_NULL", true, true, List.of(), poolName, false,
                Duration.ofSeconds(10));
    }
}
