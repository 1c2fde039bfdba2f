package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Duration;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failures map onto JDBC's exception hierarchy as Connector/J maps them, keeping the server's message, SQLState
 * and error code; connection failures are quick and leave the pool usable.
 */
class ErrorsTest {

    private static final String TABLE = "t1_err";
    /** How long a failure to log in or to connect may take (the brief's bound: they must fail fast). */
    private static final Duration FAST = Duration.ofSeconds(5);

    private static ConcurrenceDataSource db;

    @BeforeAll
    static void open() throws Exception {
        DbTestSupport.requireServer();
        db = DbTestSupport.dataSource("poolSize=2&poolName=t1-errors");
    }

    @AfterAll
    static void close() throws Exception {
        if (db != null) {
            try (Connection c = db.getConnection()) {
                DbTestSupport.exec(c, "DROP TABLE IF EXISTS " + TABLE);
            } finally {
                db.close();
            }
        }
    }

    @BeforeEach
    void createTable() throws Exception {
        try (Connection c = db.getConnection()) {
            DbTestSupport.exec(c, "DROP TABLE IF EXISTS " + TABLE,
                    "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, code VARCHAR(3)) ENGINE=InnoDB",
                    "INSERT INTO " + TABLE + " VALUES (1, 'abc')");
        }
    }

    @Test
    void syntaxErrorIsSqlSyntaxErrorException42000With1064() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELEC 1 FROM " + TABLE))
                    .isInstanceOf(SQLSyntaxErrorException.class)
                    .hasMessageContaining("You have an error in your SQL syntax")
                    .hasMessageContaining("SELEC 1")
                    .satisfies(e -> assertState(e, "42000", 1064));
            assertThat(selectOne(c)).as("the connection goes on").isEqualTo(1);
        }
    }

    @Test
    void duplicateKeyIsSqlIntegrityConstraintViolationException23000With1062() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO " + TABLE + " VALUES (1, 'dup')"))
                    .isInstanceOf(SQLIntegrityConstraintViolationException.class)
                    .hasMessageContaining("Duplicate entry '1'")
                    .satisfies(e -> assertState(e, "23000", 1062));
        }
    }

    @Test
    void unknownTableIsSqlSyntaxErrorException42S02() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM t1_no_such_table"))
                    .isInstanceOf(SQLSyntaxErrorException.class)
                    .hasMessageContaining("t1_no_such_table")
                    .satisfies(e -> assertState(e, "42S02", 1146));
        }
    }

    @Test
    void dataTooLongInStrictModeIsSqlDataException22001() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
            try {
                // R2DBC MySQL hands these over without the server's SQLState; the driver restores it.
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO " + TABLE + " VALUES (2, 'too long')"))
                        .isInstanceOf(SQLDataException.class)
                        .hasMessageContaining("Data too long for column 'code'")
                        .satisfies(e -> assertState(e, "22001", 1406));
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO " + TABLE + " VALUES (99999999999, 'a')"))
                        .isInstanceOf(SQLDataException.class)
                        .hasMessageContaining("Out of range")
                        .satisfies(e -> assertState(e, "22003", 1264));
                assertThat(c.isValid(5)).as("a data error leaves the connection usable").isTrue();
                assertThat(selectOne(c)).isEqualTo(1);
            } finally {
                s.execute("SET SESSION sql_mode = DEFAULT");
            }
        }
    }

    @Test
    void lockWaitTimeoutIsSqlTransactionRollbackException() throws Exception {
        try (Connection holder = db.getConnection(); Connection waiter = db.getConnection()) {
            holder.setAutoCommit(false);
            DbTestSupport.exec(holder, "UPDATE " + TABLE + " SET code = 'h' WHERE id = 1");
            DbTestSupport.exec(waiter, "SET SESSION innodb_lock_wait_timeout = 1");
            try {
                assertThatThrownBy(() -> DbTestSupport.exec(waiter, "UPDATE " + TABLE
                        + " SET code = 'w' WHERE id = 1"))
                        .isInstanceOf(SQLTransactionRollbackException.class)
                        .hasMessageContaining("Lock wait timeout")
                        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1205));
            } finally {
                DbTestSupport.exec(waiter, "SET SESSION innodb_lock_wait_timeout = DEFAULT");
                holder.rollback();
            }
        }
    }

    @Test
    void wrongPasswordIsSqlInvalidAuthorizationSpecException28000AndFast() {
        assertFailsFast(() -> {
            try (ConcurrenceDataSource bad = DbTestSupport.dataSource("password=wrong&poolName=t1-err-auth");
                    Connection c = bad.getConnection()) {
                c.isValid(1);
            }
        }, SQLInvalidAuthorizationSpecException.class, e -> {
            assertState(e, "28000", 1045);
            assertThat(e.getMessage()).contains("Access denied");
        });
    }

    @Test
    void unknownDatabaseFailsWithTheServersMessage() {
        String url = DbTestSupport.url("poolName=t1-err-db").replaceFirst("(//[^/?]+)/[^?]*", "$1/t1_no_such_db");
        assertThat(url).contains("/t1_no_such_db?");
        assertFailsFast(() -> {
            try (ConcurrenceDataSource bad = ConcurrenceDataSource.fromUrl(url); Connection c = bad.getConnection()) {
                c.isValid(1);
            }
        }, SQLSyntaxErrorException.class, e -> {
            assertThat(e.getMessage()).contains("Unknown database 't1_no_such_db'");
            assertState(e, "42000", 1049);
        });
    }

    @Test
    void refusedConnectionIsSqlNonTransientConnectionExceptionAndFast() {
        String url = "jdbc:concurrence:mysql://127.0.0.1:1/test?user=root&password=&poolName=t1-err-refused";
        assertFailsFast(() -> {
            try (ConcurrenceDataSource refused = ConcurrenceDataSource.fromUrl(url);
                    Connection c = refused.getConnection()) {
                c.isValid(1);
            }
        }, SQLNonTransientConnectionException.class, e -> assertThat(e.getSQLState()).startsWith("08"));
    }

    @Test
    void killedConnectionFailsAsAConnectionErrorAndThePoolRecovers() throws Exception {
        try (ConcurrenceDataSource lone = DbTestSupport.dataSource("poolSize=1&poolName=t1-err-killed")) {
            Connection victim = lone.getConnection();
            long id;
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                assertThat(rs.next()).isTrue();
                id = rs.getLong(1);
            }
            try (Connection killer = db.getConnection()) {
                DbTestSupport.exec(killer, "KILL CONNECTION " + id);
            }
            assertThatThrownBy(() -> selectOne(victim))
                    .isInstanceOfAny(SQLNonTransientConnectionException.class, SQLRecoverableException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
            victim.close();
            try (Connection fresh = lone.getConnection(); Statement s = fresh.createStatement();
                    ResultSet rs = s.executeQuery("SELECT CONNECTION_ID(), 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("a new physical connection").isNotEqualTo(id);
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
        }
    }

    @Test
    void unknownUrlOptionFailsNamingTheOption() {
        assertThatThrownBy(() -> ConcurrenceDataSource.fromUrl(DbTestSupport.url("t1BogusOption=1")))
                .isInstanceOf(SQLException.class).hasMessageContaining("t1BogusOption");
        assertThatThrownBy(() -> DriverManager.getConnection(DbTestSupport.url("t1OtherBogus=yes")))
                .isInstanceOf(SQLException.class).hasMessageContaining("t1OtherBogus");
        assertThatThrownBy(() -> ConcurrenceDataSource.fromUrl(DbTestSupport.url("poolSize=many")))
                .isInstanceOf(SQLException.class).hasMessageContaining("poolSize").hasMessageContaining("many");
    }

    private static <E extends SQLException> void assertFailsFast(ThrowingCallable call, Class<E> type,
            java.util.function.Consumer<E> check) {
        long start = System.nanoTime();
        assertThatThrownBy(call).isInstanceOfSatisfying(type, check);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
    }

    private static void assertState(Throwable e, String sqlState, int errorCode) {
        SQLException sql = (SQLException) e;
        assertThat(sql.getSQLState()).as("SQLState").isEqualTo(sqlState);
        assertThat(sql.getErrorCode()).as("error code").isEqualTo(errorCode);
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }
}
