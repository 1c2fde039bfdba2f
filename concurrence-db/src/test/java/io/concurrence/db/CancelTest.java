package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.Timeout;

/** Timeouts and kills stop the wait and the work on the server, and leave the pool full and usable. */
class CancelTest {

    private ConcurrenceDataSource db;

    @BeforeAll
    static void server() {
        DbTestSupport.requireServer();
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    /** The {@code queryTimeout} option is a Duration: below a second it still applies (it was truncated to none). */
    @Test
    void aSubSecondQueryTimeoutOptionTimesTheStatementOut() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&poolName=cancel-subsecond&queryTimeout=200ms");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.getQueryTimeout()).as("rounded up, not 0 (none)").isEqualTo(1);
            assertThatThrownBy(() -> s.executeQuery("SELECT SLEEP(60)")).isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("SLEEP(60)");
            try (ResultSet rs = s.executeQuery("SELECT 42")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void queryTimeoutStopsTheSleepOnTheServerAndTheConnectionIsReusedAtOnce() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&poolName=cancel-timeout");
        long start = System.nanoTime();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            assertThatThrownBy(() -> s.executeQuery("SELECT SLEEP(60)")).isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("SLEEP(60)");
            try (ResultSet rs = s.executeQuery("SELECT 42")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.processlist"
                        + " WHERE info LIKE 'SELECT SLEEP(60)%'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("sleeps still running on the server").isZero();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void ambientTimeoutThrowsSqlTimeout() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&poolName=cancel-ambient");
        Tasklet<Void> t = Tasklet.spawn(() -> {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                try (Timeout ignored = Timeout.push(Duration.ofMillis(500))) {
                    assertThatThrownBy(() -> s.executeQuery("SELECT SLEEP(60)"))
                            .isInstanceOf(SQLTimeoutException.class);
                }
                try (ResultSet rs = s.executeQuery("SELECT 7")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(7);
                }
            }
            return null;
        });
        t.join(DbTestSupport.SOON);
    }

    @Test
    void killedTaskletsQueryIsStoppedAndItsConnectionReturns() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&poolName=cancel-kill");
        CountDownLatch started = new CountDownLatch(1);
        Tasklet<Void> t = Tasklet.spawn(() -> {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                started.countDown();
                s.executeQuery("SELECT /*cancel-kill*/ SLEEP(60)");
            }
            return null;
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        DbTestSupport.eventually("the sleep runs on the server", () -> runningOnServer("cancel-kill") == 1);
        t.kill();
        assertThatThrownBy(() -> t.join(DbTestSupport.SOON)).isInstanceOf(JoinException.class)
                .hasCauseInstanceOf(TaskletExit.class);
        DbTestSupport.eventually("the connection is back in the pool", () -> db.poolStats().acquired() == 0);
        assertThat(runningOnServer("cancel-kill")).as("the sleep was stopped on the server").isZero();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void wrongPasswordFailsFast() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> {
            try (ConcurrenceDataSource bad = DbTestSupport.dataSource("password=wrong&poolName=cancel-auth");
                    Connection c = bad.getConnection()) {
                c.isValid(1);
            }
        }).isInstanceOf(java.sql.SQLInvalidAuthorizationSpecException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    /** Statements on the server whose SQL holds {@code marker} (from a connection outside the test's pool). */
    private static int runningOnServer(String marker) {
        try (Connection c = java.sql.DriverManager.getConnection(DbTestSupport.url());
                java.sql.PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM information_schema.processlist"
                        + " WHERE info LIKE ? AND info NOT LIKE '%processlist%'")) {
            s.setString(1, "%" + marker + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
