package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.Timeout;

/**
 * Kills and timeouts at every moment of a statement's life (while acquiring, just after the execute, while rows
 * stream, right at completion) leave the pool full, every connection usable and nothing running on the server;
 * with the moments that broke R2DBC MySQL and r2dbc-pool upstream checked one by one.
 */
class KillsTest {

    /** The marker of the SQL of the load test, to find it in the server's process list. */
    private static final String MARK = "/*t2-kills*/";
    /** The marker of the SQL of the small tests. */
    private static final String SMALL_MARK = "/*t2-kills-small*/";
    /** The marker of the SQL of the simultaneous kills. */
    private static final String SIMULTANEOUS_MARK = "/*t2-kills-simultaneous*/";
    /**
     * The streamed read: 100 000 rows of about 1 KB (100 MB), streaming for seconds. Wide rows, so that what is
     * still in the socket buffers when the server takes a kill (read and dropped before the connection is reused)
     * is a few thousand rows, not hundreds of thousands: the drain is a matter of bytes for the server, of rows for
     * the driver's CPU.
     */
    private static final String STREAM = "seq, REPEAT('x', 1000) FROM seq_1_to_100000";
    private static final int STREAM_ROWS = 100_000;
    private static final int OPERATIONS = 1_000;
    private static final int IN_FLIGHT = 50;
    private static final int POOL_SIZE = 10;
    /** How long a connection may take to answer the next query after a cancel (stalls last minutes upstream). */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(15);

    private ConcurrenceDataSource db;
    /** A pool of its own for reading the process list, so that it never waits behind the pool under test. */
    private ConcurrenceDataSource watcher;

    @BeforeAll
    static void server() {
        DbTestSupport.requireServer();
    }

    @AfterEach
    void closeDataSources() {
        if (db != null) {
            db.close();
        }
        if (watcher != null) {
            watcher.close();
        }
    }

    // ---- the load test ----

    /** What an operation of the load test does, and how it is stopped. */
    private enum Kind {
        /** {@code SELECT SLEEP(0.05..0.5)}, killed 0-50 ms after its connection was borrowed. */
        KILL_SLEEP,
        /** A 100 000-row (100 MB) read, killed 0-50 ms after its connection was borrowed. */
        KILL_STREAM,
        /** {@code SELECT SLEEP(...)}, killed 0-50 ms after the tasklet started (often while acquiring). */
        KILL_ANYTIME,
        /** {@code SELECT SLEEP(...)} under an ambient {@link Timeout} of 0-50 ms. */
        TIMEOUT_SLEEP,
        /** A 100 000-row (100 MB) read under an ambient {@link Timeout} of 0-50 ms. */
        TIMEOUT_STREAM,
        /** {@code SELECT SLEEP(2)} with {@code setQueryTimeout(1)}. */
        QUERY_TIMEOUT;

        static Kind pick(int percent) {
            if (percent < 25) {
                return KILL_SLEEP;
            }
            if (percent < 35) {
                return KILL_STREAM;
            }
            if (percent < 50) {
                return KILL_ANYTIME;
            }
            if (percent < 80) {
                return TIMEOUT_SLEEP;
            }
            return percent < 97 ? TIMEOUT_STREAM : QUERY_TIMEOUT;
        }

        boolean killed() {
            return this == KILL_SLEEP || this == KILL_STREAM || this == KILL_ANYTIME;
        }
    }

    /** One operation of the load test: its tasklet and, for the kill kinds, the tasklet that kills it. */
    private record Operation(int index, Kind kind, Tasklet<String> victim, @Nullable Tasklet<Void> killer) {
    }

    @Test
    void thousandKillsAndTimeoutsMidQueryLeaveThePoolFullAndEveryConnectionUsable() throws Exception {
        db = DbTestSupport.dataSource("poolSize=" + POOL_SIZE + "&poolName=t2-kills");
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        ArrayDeque<Operation> inFlight = new ArrayDeque<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();

        for (int i = 0; i < OPERATIONS; i++) {
            if (inFlight.size() >= IN_FLIGHT) {
                finish(inFlight.poll(), outcomes, unexpected);
            }
            inFlight.add(start(i, Kind.pick(random.nextInt(100)), random));
        }
        while (!inFlight.isEmpty()) {
            finish(inFlight.poll(), outcomes, unexpected);
        }

        assertThat(unexpected).as("operations that ended otherwise than completed, killed or timed out; outcomes %s",
                outcomes).isEmpty();
        assertThat(outcomes.entrySet().stream().filter(e -> e.getKey().endsWith("killed"))
                .mapToInt(Map.Entry::getValue).sum()).as("kills in %s", outcomes).isGreaterThan(100);
        assertThat(outcomes.entrySet().stream().filter(e -> e.getKey().endsWith("timed-out"))
                .mapToInt(Map.Entry::getValue).sum()).as("timeouts in %s", outcomes).isGreaterThan(100);
        assertPoolFullAndUsable(MARK);
    }

    private Operation start(int index, Kind kind, ThreadLocalRandom random) {
        CountDownLatch borrowed = new CountDownLatch(1);
        double sleepSeconds = (50 + random.nextInt(451)) / 1000.0;
        Duration moment = Duration.ofMillis(random.nextInt(51));
        Tasklet<String> victim = Tasklet.spawn(() -> {
            try (Connection c = borrow()) {
                borrowed.countDown();
                return switch (kind) {
                    case KILL_SLEEP, KILL_ANYTIME -> sleep(c, MARK, sleepSeconds);
                    case KILL_STREAM -> readAll(c, MARK);
                    case TIMEOUT_SLEEP -> {
                        try (Timeout ignored = Timeout.push(moment)) {
                            yield sleep(c, MARK, sleepSeconds);
                        }
                    }
                    case TIMEOUT_STREAM -> {
                        try (Timeout ignored = Timeout.push(moment)) {
                            yield readAll(c, MARK);
                        }
                    }
                    case QUERY_TIMEOUT -> {
                        try (Statement s = c.createStatement()) {
                            s.setQueryTimeout(1);
                            s.executeQuery("SELECT " + MARK + " SLEEP(2)").close();
                            yield "completed";
                        }
                    }
                };
            } catch (SQLTimeoutException e) {
                return "timed-out";
            } finally {
                borrowed.countDown();
            }
        });
        Tasklet<Void> killer = null;
        if (kind.killed()) {
            killer = Tasklet.spawn(() -> {
                if (kind != Kind.KILL_ANYTIME && !borrowed.await(DbTestSupport.SOON.toMillis(),
                        TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("operation " + index + " did not get a connection in time");
                }
                Tasklet.sleep(moment);
                victim.kill();
                return null;
            });
        }
        return new Operation(index, kind, victim, killer);
    }

    /** Waits for {@code op} and counts how it ended; an unexpected end goes to {@code unexpected}. */
    private static void finish(Operation op, Map<String, Integer> outcomes, List<String> unexpected) {
        String outcome;
        try {
            outcome = op.victim().join(DbTestSupport.SOON);
        } catch (JoinException e) {
            if (e.getCause() instanceof TaskletExit) {
                outcome = "killed";
            } else {
                outcome = "failed";
                unexpected.add("operation " + op.index() + " (" + op.kind() + "): " + e.getCause());
            }
        } catch (io.concurrence.TimeoutException e) {
            fail("operation " + op.index() + " (" + op.kind() + ") did not end within "
                    + DbTestSupport.SOON.toSeconds() + " s: it is stalled");
            return;
        }
        if (op.killer() != null) {
            op.killer().join(DbTestSupport.SOON);
        }
        outcomes.merge(op.kind() + " " + outcome, 1, Integer::sum);
    }

    /**
     * Once nothing is borrowed: {@link #POOL_SIZE} connections borrowed at once each answer {@code SELECT 1} and
     * {@code SELECT CONNECTION_ID()} (all different), no statement marked {@code mark} runs on the server, and a
     * new connection answers a query.
     */
    private void assertPoolFullAndUsable(String mark) throws Exception {
        DbTestSupport.eventually("every connection is back in the pool, nobody waiting",
                () -> db.poolStats().acquired() == 0 && db.poolStats().pending() == 0);
        assertThat(db.poolStats().allocated()).as("connections open").isLessThanOrEqualTo(POOL_SIZE);

        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < POOL_SIZE; i++) {
                all.add(db.getConnection());
            }
            List<Tasklet<Long>> answers = new ArrayList<>();
            for (Connection c : all) {
                answers.add(Tasklet.spawn(() -> {
                    try (Timeout ignored = Timeout.push(ANSWER_BOUND)) {
                        assertThat(Queries.selectInt(c, "SELECT 1")).isEqualTo(1);
                        return Queries.connectionId(c);
                    }
                }));
            }
            Set<Long> ids = new HashSet<>();
            for (Tasklet<Long> answer : answers) {
                ids.add(answer.join(DbTestSupport.SOON));
            }
            assertThat(ids).as("server connections of the %d borrowed connections", POOL_SIZE).hasSize(POOL_SIZE);
        } finally {
            for (Connection c : all) {
                c.close();
            }
        }

        DbTestSupport.eventually("no statement marked " + mark + " runs on the server", () -> running(mark) == 0);
        try (Connection c = db.getConnection()) {
            assertThat(Queries.selectInt(c, "SELECT 6 * 7")).isEqualTo(42);
        }
    }

    /**
     * Ten statements killed at the same instant: every kill reaches the server through the pool's one side
     * connection, so every statement stops at once and no connection is dropped (and replaced) for want of its kill.
     */
    @Test
    void simultaneousKillsAllStopTheirStatementsAndKeepTheirConnections() throws Exception {
        db = DbTestSupport.dataSource("poolSize=" + POOL_SIZE + "&poolName=t2-kills-simultaneous");
        Set<Long> ids = borrowAllAndCollectIds();
        for (int round = 0; round < 15; round++) {
            List<Tasklet<Void>> victims = new ArrayList<>();
            for (int i = 0; i < POOL_SIZE; i++) {
                victims.add(Tasklet.spawn(() -> {
                    try (Connection c = borrow()) {
                        sleep(c, SIMULTANEOUS_MARK, 30);
                    }
                    return null;
                }));
            }
            DbTestSupport.eventually("all sleeps run on the server", () -> running(SIMULTANEOUS_MARK) == POOL_SIZE);

            victims.forEach(Tasklet::kill);

            for (Tasklet<Void> victim : victims) {
                awaitEnd(victim);
            }
            DbTestSupport.eventually("every connection is back in the pool", () -> db.poolStats().acquired() == 0);
            assertThat(borrowAllAndCollectIds()).as("server connections after round %d", round)
                    .isEqualTo(ids);
        }
        assertThat(running(SIMULTANEOUS_MARK)).isZero();
    }

    /**
     * Many threads cancelling one statement at the same instant: 32 {@code KILL QUERY}s for one statement, sent
     * concurrently on the pool's side connection. The statement stops; the kills that reach the server after it
     * stopped must not stop the statements that follow on the connection (they wait until every kill of a
     * {@code cancel()} has reached the server); and the connection stays in the pool (a kill that failed on the
     * client side would mark it broken, and the pool would drop it).
     */
    @Test
    void concurrentCancelsOfOneStatementStopItAndKeepItsConnection() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&poolName=t2-kills-cancels");
        for (int round = 0; round < 5; round++) {
            long id;
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                id = Queries.connectionId(c);
                Tasklet<SQLException> sleeper = Tasklet.spawn(() -> {
                    try {
                        s.executeQuery("SELECT " + SIMULTANEOUS_MARK + " SLEEP(30)").close();
                        return null;
                    } catch (SQLException e) {
                        return e;
                    }
                });
                DbTestSupport.eventually("the sleep runs on the server",
                        () -> sleeper.isDone() || running(SIMULTANEOUS_MARK) == 1);
                assertThat(sleeper.isDone()).as("the sleep of round %d ended before it was cancelled (a kill sent by"
                        + " an earlier round's cancel stopped it): %s", round, sleeper.isDone() ? sleeper.join() : "")
                        .isFalse();
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> cancellers = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    cancellers.add(Thread.ofPlatform().start(() -> {
                        try {
                            go.await();
                            s.cancel();
                        } catch (InterruptedException | SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }

                go.countDown();

                for (Thread canceller : cancellers) {
                    assertThat(canceller.join(DbTestSupport.SOON)).isTrue();
                }
                SQLException stopped = sleeper.join(DbTestSupport.SOON);
                assertThat(stopped == null ? "no failure" : stopped.getErrorCode() + " " + stopped.getMessage())
                        .as("the cancelled sleep's failure").startsWith("1317 ");
                assertAnswers(c, id, "after 32 concurrent cancels");
            }
            DbTestSupport.eventually("the connection is back in the pool", () -> db.poolStats().acquired() == 0);
            assertNextBorrowAnswers(id, "after 32 concurrent cancels, round " + round);
        }
    }

    /** Borrows every connection of the pool at once and returns their server connection ids. */
    private Set<Long> borrowAllAndCollectIds() throws Exception {
        List<Connection> all = new ArrayList<>();
        try {
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < POOL_SIZE; i++) {
                Connection c = db.getConnection();
                all.add(c);
                ids.add(Queries.connectionId(c));
            }
            return ids;
        } finally {
            for (Connection c : all) {
                c.close();
            }
        }
    }

    // ---- the moments that broke upstream, one by one ----

    /**
     * A cancel just after the execute (before, while or after the server starts the statement) must not stall the
     * connection. R2DBC MySQL: a cancelled exchange can leave the connection waiting forever
     * (https://github.com/asyncer-io/r2dbc-mysql/issues/347, #348, #349).
     */
    @Test
    void cancelJustAfterExecuteLeavesTheSameConnectionAnswering() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&poolName=t2-kills-execute");
        Tasklet<Void> t = Tasklet.spawn(() -> {
            try (Connection c = db.getConnection()) {
                long id = Queries.connectionId(c);
                for (int i = 0; i < 40; i++) {
                    Duration moment = Duration.ofNanos(ThreadLocalRandom.current().nextLong(2_000_000));
                    try (Statement s = c.createStatement(); Timeout ignored = Timeout.push(moment)) {
                        s.executeQuery("SELECT " + SMALL_MARK + " SLEEP(0.1)").close();
                    } catch (SQLTimeoutException expected) {
                        // the point of the exercise
                    }
                    assertAnswers(c, id, "after a timeout " + moment.toNanos() + " ns after the execute");
                }
            }
            return null;
        });
        t.join(DbTestSupport.SOON.multipliedBy(2));

        assertSingleConnectionStillServes();
    }

    /**
     * A cancel while rows stream (by a timeout, and by a kill) must not stall the connection
     * (https://github.com/asyncer-io/r2dbc-mysql/issues/347, #348, #349).
     */
    @Test
    void cancelWhileRowsStreamLeavesTheSameConnectionAnswering() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&poolName=t2-kills-stream");
        long id = Tasklet.spawn(() -> {
            try (Connection c = db.getConnection()) {
                long first = Queries.connectionId(c);
                for (int i = 0; i < 8; i++) {
                    int rows = ThreadLocalRandom.current().nextInt(20_000);
                    try (Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT " + SMALL_MARK + " " + STREAM)) {
                        for (int n = 0; n < rows; n++) {
                            assertThat(rs.next()).isTrue();
                        }
                        // Rows already queued are read; the first wait for more times out at once.
                        try (Timeout ignored = Timeout.push(Duration.ZERO)) {
                            while (rs.next()) {
                                rows++;
                            }
                            fail("a 100 MB read ended under an expired timeout after " + rows + " rows");
                        } catch (SQLTimeoutException expected) {
                            // the point of the exercise
                        }
                    }
                    assertAnswers(c, first, "after a timeout while rows streamed");
                }
                return first;
            }
        }).join(DbTestSupport.SOON);

        for (int i = 0; i < 8; i++) {
            int rows = ThreadLocalRandom.current().nextInt(20_000);
            CountDownLatch reading = new CountDownLatch(1);
            Tasklet<Void> victim = Tasklet.spawn(() -> {
                try (Connection c = db.getConnection(); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT " + SMALL_MARK + " " + STREAM)) {
                    for (int n = 0; n < rows; n++) {
                        rs.next();
                    }
                    reading.countDown();
                    while (rs.next()) {
                        assertThat(rs.getLong(1)).isPositive();
                    }
                }
                return null;
            });
            assertThat(reading.await(DbTestSupport.SOON.toSeconds(), TimeUnit.SECONDS)).isTrue();
            victim.kill();
            awaitEnd(victim);
            assertNextBorrowAnswers(id, "after a kill while rows streamed");
        }
        assertSingleConnectionStillServes();
    }

    /**
     * A cancel right as the statement completes (the last rows arriving, the end of the result, the next statement
     * starting) must not stall the connection, nor stop the next statement
     * (https://github.com/asyncer-io/r2dbc-mysql/issues/347, #348, #349).
     */
    @Test
    void cancelRightAtCompletionLeavesTheSameConnectionAnswering() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&poolName=t2-kills-completion");
        String small = "SELECT " + SMALL_MARK + " seq FROM seq_1_to_2000";
        long id = Tasklet.spawn(() -> {
            try (Connection c = db.getConnection()) {
                long first = Queries.connectionId(c);
                long[] durations = new long[10];
                for (int i = 0; i < durations.length; i++) {
                    long start = System.nanoTime();
                    assertThat(count(c, small)).isEqualTo(2000);
                    durations[i] = System.nanoTime() - start;
                }
                // The median of the last five runs (the first ones are slower, before the JIT compiles).
                long[] warm = Arrays.copyOfRange(durations, 5, 10);
                Arrays.sort(warm);
                long typical = Math.max(warm[2], 100_000);
                for (int i = 0; i < 40; i++) {
                    Duration moment = Duration.ofNanos(ThreadLocalRandom.current().nextLong(2 * typical));
                    try (Timeout ignored = Timeout.push(moment)) {
                        assertThat(count(c, small)).isEqualTo(2000);
                    } catch (SQLTimeoutException expected) {
                        // timed out before the end: fine, the next statement must still work
                    }
                    assertAnswers(c, first, "after a timeout of " + moment.toNanos() + " ns on a query of about "
                            + typical + " ns");
                }
                return first;
            }
        }).join(DbTestSupport.SOON);

        for (int i = 0; i < 20; i++) {
            CountDownLatch running = new CountDownLatch(1);
            Tasklet<Void> victim = Tasklet.spawn(() -> {
                try (Connection c = db.getConnection()) {
                    running.countDown();
                    while (count(c, small) == 2000) {
                        Thread.onSpinWait(); // until killed
                    }
                }
                return null;
            });
            assertThat(running.await(DbTestSupport.SOON.toSeconds(), TimeUnit.SECONDS)).isTrue();
            Thread.sleep(ThreadLocalRandom.current().nextInt(6)); // a random moment of the loop, not a wait
            victim.kill();
            awaitEnd(victim);
            assertNextBorrowAnswers(id, "after a kill in a loop of short queries");
        }
        assertSingleConnectionStillServes();
    }

    /**
     * Acquisitions given up (by a timeout or a kill) while the pool is exhausted, some just as a connection is
     * handed over, must not leak connections. r2dbc-pool: a cancelled acquire could keep its connection forever
     * (https://github.com/r2dbc/r2dbc-pool/issues/206, https://github.com/r2dbc/r2dbc-pool/issues/232).
     */
    @Test
    void abandonedAcquisitionsOfAnExhaustedPoolDoNotLeakConnections() throws Exception {
        db = DbTestSupport.dataSource("poolSize=2&poolName=t2-kills-acquire");
        Map<String, Integer> outcomes = new TreeMap<>();

        Connection a = db.getConnection();
        Connection b = db.getConnection();
        giveUp(100, outcomes);
        assertThat(outcomes).as("outcomes while both connections were held").doesNotContainKey("acquired");
        a.close();
        b.close();

        AtomicBoolean stop = new AtomicBoolean();
        List<Tasklet<Integer>> churners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            churners.add(Tasklet.spawn(() -> {
                int rounds = 0;
                while (!stop.get()) {
                    try (Connection c = db.getConnection()) {
                        assertThat(Queries.selectInt(c, "SELECT 1")).isEqualTo(1);
                    }
                    rounds++;
                }
                return rounds;
            }));
        }
        giveUp(100, outcomes);
        stop.set(true);
        for (Tasklet<Integer> churner : churners) {
            assertThat(churner.join(DbTestSupport.SOON)).isPositive();
        }

        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
        DbTestSupport.eventually("nothing borrowed, nobody waiting (outcomes " + outcomes + ")",
                () -> db.poolStats().acquired() == 0 && db.poolStats().pending() == 0);
        Set<Long> ids = Tasklet.spawn(() -> {
            try (Timeout ignored = Timeout.push(ANSWER_BOUND); Connection x = db.getConnection();
                    Connection y = db.getConnection()) {
                return Set.of(Queries.connectionId(x), Queries.connectionId(y));
            }
        }).join(DbTestSupport.SOON);
        assertThat(ids).as("both connections borrowed at once").hasSize(2);
        assertThat(db.poolStats().allocated()).isLessThanOrEqualTo(2);
    }

    /** Starts {@code count} acquisitions, 20 at a time, each given up after 0-20 ms by a timeout or a kill. */
    private void giveUp(int count, Map<String, Integer> outcomes) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int batch = 0; batch < count / 20; batch++) {
            List<Tasklet<String>> acquirers = new ArrayList<>();
            List<Tasklet<Void>> killers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Duration moment = Duration.ofMillis(random.nextInt(21));
                boolean kill = random.nextBoolean();
                Tasklet<String> acquirer = Tasklet.spawn(() -> {
                    try (Timeout ignored = Timeout.push(kill ? DbTestSupport.SOON : moment);
                            Connection c = db.getConnection()) {
                        return "acquired";
                    } catch (SQLTimeoutException e) {
                        return "timed-out";
                    }
                });
                acquirers.add(acquirer);
                if (kill) {
                    killers.add(Tasklet.spawn(() -> {
                        Tasklet.sleep(moment);
                        acquirer.kill();
                    }));
                }
            }
            for (Tasklet<String> acquirer : acquirers) {
                String outcome;
                try {
                    outcome = acquirer.join(DbTestSupport.SOON);
                } catch (JoinException e) {
                    assertThat(e).hasCauseInstanceOf(TaskletExit.class);
                    outcome = "killed";
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
            killers.forEach(k -> k.join(DbTestSupport.SOON));
        }
    }

    // ---- helpers ----

    /** Borrows a connection; a timeout here is a failure of the test (a leak), not an expected outcome. */
    private Connection borrow() throws SQLException {
        try {
            return db.getConnection();
        } catch (SQLTimeoutException e) {
            throw new AssertionError("no connection within the acquire timeout: " + e.getMessage(), e);
        }
    }

    private static String sleep(Connection c, String mark, double seconds) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + mark + " SLEEP(" + seconds + ")")) {
            assertThat(rs.next()).isTrue();
            return "completed";
        }
    }

    private static String readAll(Connection c, String mark) throws SQLException {
        assertThat(count(c, "SELECT " + mark + " " + STREAM)).isEqualTo(STREAM_ROWS);
        return "completed";
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            long rows = 0;
            while (rs.next()) {
                rows++;
            }
            return rows;
        }
    }

    /** The same connection answers within {@link #ANSWER_BOUND}, still on server connection {@code id}. */
    private static void assertAnswers(Connection c, long id, String when) throws SQLException {
        try (Timeout ignored = Timeout.push(ANSWER_BOUND)) {
            assertThat(Queries.connectionId(c)).as("server connection " + when).isEqualTo(id);
            assertThat(Queries.selectInt(c, "SELECT 7")).as("answer " + when).isEqualTo(7);
        }
    }

    /** The next borrow (the pool's only connection) answers within {@link #ANSWER_BOUND}, on server connection id. */
    private void assertNextBorrowAnswers(long id, String when) {
        Tasklet<Long> next = Tasklet.spawn(() -> {
            try (Timeout ignored = Timeout.push(ANSWER_BOUND); Connection c = db.getConnection()) {
                assertThat(Queries.selectInt(c, "SELECT 7")).isEqualTo(7);
                return Queries.connectionId(c);
            }
        });
        assertThat(next.join(DbTestSupport.SOON)).as("server connection " + when).isEqualTo(id);
    }

    /** The pool of one has its connection back and nothing marked runs on the server. */
    private void assertSingleConnectionStillServes() throws Exception {
        DbTestSupport.eventually("the connection is back in the pool", () -> db.poolStats().acquired() == 0);
        assertThat(db.poolStats().allocated()).isEqualTo(1);
        DbTestSupport.eventually("no statement marked " + SMALL_MARK + " runs on the server",
                () -> running(SMALL_MARK) == 0);
    }

    private static void awaitEnd(Tasklet<?> victim) {
        try {
            victim.join(DbTestSupport.SOON);
            fail("the killed tasklet ended normally");
        } catch (JoinException e) {
            assertThat(e).hasCauseInstanceOf(TaskletExit.class);
        }
    }

    /** Statements containing {@code mark} running on the server now (apart from the one asking). */
    private int running(String mark) {
        try {
            if (watcher == null) {
                watcher = DbTestSupport.dataSource("poolSize=1&poolName=t2-kills-watcher");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the watcher's data source could not be made", e);
        }
        try (Connection c = watcher.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM information_schema.processlist"
                        + " WHERE info LIKE ? AND id <> CONNECTION_ID()")) {
            p.setString(1, "%" + mark + "%");
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the process list failed", e);
        }
    }
}
