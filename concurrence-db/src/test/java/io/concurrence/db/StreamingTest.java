package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.Timeout;

/**
 * Result sets stream: a million rows read in a small heap, a result closed early frees its connection for the next
 * statement and for the pool, and {@link Statement#cancel()} from another thread stops a running statement.
 */
class StreamingTest {

    /** How long a cancelled statement may take to fail (it would run for 30 s otherwise). */
    private static final Duration CANCEL_BOUND = Duration.ofSeconds(20);

    private ConcurrenceDataSource db;

    @BeforeAll
    static void server() {
        DbTestSupport.requireServer();
    }

    @AfterEach
    void closeDataSource() {
        if (db != null) {
            db.close();
        }
    }

    /**
     * The rows take about 150 MB as Java objects and 50 MB on the wire; a 64 MB heap (which also bounds Netty's
     * direct memory) holds neither, so the read only succeeds if rows are pulled a few at a time.
     */
    @Test
    void millionRowResultStreamsThroughA64MegabyteHeap() throws Exception {
        // A result read into memory ends in an OutOfMemoryError on an event loop, which leaves the JVM hanging:
        // make it exit at once instead.
        ChildJvm.Outcome outcome = ChildJvm.run(StreamingMain.class, List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
                DbTestSupport.url());

        long sum = 0;
        long chars = 0;
        for (long seq = 1; seq <= 1_000_000; seq++) {
            sum += seq;
            chars += "row-".length() + Long.toString(seq).length() + "-".length() + 40;
        }
        assertThat(outcome.exitCode()).as("exit code; output:%n%s", outcome.output()).isZero();
        assertThat(outcome.output()).as("output")
                .contains("streamed rows=1000000 sum=" + sum + " chars=" + chars + " maxHeapMb=")
                .doesNotContain("OutOfMemoryError");
        String maxHeap = outcome.output().replaceAll("(?s).*maxHeapMb=(\\d+).*", "$1");
        assertThat(Integer.parseInt(maxHeap)).as("the child's max heap, MB").isLessThanOrEqualTo(64);
    }

    @Test
    void closingAResultAfterTenRowsFreesTheConnectionForTheNextStatementAndThePool() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&poolName=t2-stream-close");
        long id = Tasklet.spawn(() -> {
            try (Timeout ignored = Timeout.push(DbTestSupport.SOON); Connection c = db.getConnection()) {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT /*t2-stream-close*/ seq FROM seq_1_to_1000000")) {
                    for (long expected = 1; expected <= 10; expected++) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getLong(1)).isEqualTo(expected);
                    }
                }
                try (PreparedStatement p = c.prepareStatement("SELECT ? + 1")) {
                    p.setInt(1, 41);
                    try (ResultSet rs = p.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).as("the next statement on the same connection").isEqualTo(42);
                        assertThat(rs.next()).isFalse();
                    }
                }
                return Queries.connectionId(c);
            }
        }).join(DbTestSupport.SOON);

        DbTestSupport.eventually("the connection is back in the pool", () -> db.poolStats().acquired() == 0);
        try (Connection c = db.getConnection()) {
            assertThat(Queries.connectionId(c)).as("the pool's connection after the early close").isEqualTo(id);
            assertThat(processList(c, "%/*t2-stream-close*/%")).as("the million-row read still running").isZero();
        }
    }

    @Test
    void statementCancelFromAnotherThreadStopsASleepWithAnSqlException() throws Exception {
        db = DbTestSupport.dataSource("poolSize=2&poolName=t2-stream-cancel");
        CountDownLatch executing = new CountDownLatch(1);
        Statement[] running = new Statement[1];
        long start = System.nanoTime();
        Tasklet<Integer> sleeper = Tasklet.spawn(() -> {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                synchronized (running) {
                    running[0] = s;
                }
                executing.countDown();
                assertThatThrownBy(() -> s.executeQuery("SELECT /*t2-stream-cancel*/ SLEEP(30)"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("interrupted")
                        .hasMessageContaining("cancelled")
                        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1317))
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("70100"));
                return Queries.selectInt(c, "SELECT 9");
            }
        });
        assertThat(executing.await(DbTestSupport.SOON.toSeconds(), TimeUnit.SECONDS)).isTrue();
        try (Connection watcher = db.getConnection()) {
            DbTestSupport.eventually("the sleep runs on the server",
                    () -> processList(watcher, "%/*t2-stream-cancel*/%") == 1);
            Statement s;
            synchronized (running) {
                s = running[0];
            }

            s.cancel();

            assertThat(sleeper.join(DbTestSupport.SOON)).as("the same connection after the cancel").isEqualTo(9);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CANCEL_BOUND);
            assertThat(processList(watcher, "%/*t2-stream-cancel*/%")).as("sleeps still running").isZero();
        }
    }

    /** Statements whose text is {@code LIKE pattern} running on the server, apart from the one asking. */
    private static int processList(Connection c, String pattern) {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM information_schema.processlist"
                + " WHERE info LIKE ? AND id <> CONNECTION_ID()")) {
            p.setString(1, pattern);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the process list failed", e);
        }
    }
}
