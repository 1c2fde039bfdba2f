package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Connection} semantics: transactions, savepoints, isolation, read-only, catalog, validity, closing, what
 * a pooled connection looks like to its next borrower, and the features the driver refuses.
 */
class ConnectionTest {

    private static final String TABLE = "t1_conn";

    private static ConcurrenceDataSource db;
    private ConcurrenceDataSource single;

    @BeforeAll
    static void open() throws Exception {
        DbTestSupport.requireServer();
        db = DbTestSupport.dataSource("poolSize=3&poolName=t1-conn");
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
                    "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY) ENGINE=InnoDB");
        }
    }

    @AfterEach
    void closeSingle() {
        if (single != null) {
            single.close();
        }
    }

    @Test
    void autoCommitIsOnByDefault() throws Exception {
        try (Connection c = db.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(value(c, "SELECT @@autocommit")).isEqualTo("1");
            assertThatThrownBy(c::commit).as("commit without a transaction").isInstanceOf(SQLException.class)
                    .hasMessageContaining("auto-commit");
        }
    }

    @Test
    void commitMakesRowsVisibleToAnotherConnectionAndRollbackDiscardsThem() throws Exception {
        try (Connection writer = db.getConnection(); Connection reader = db.getConnection()) {
            writer.setAutoCommit(false);
            assertThat(writer.getAutoCommit()).isFalse();
            DbTestSupport.exec(writer, "INSERT INTO " + TABLE + " VALUES (1)");
            assertThat(ids(reader)).as("uncommitted").isEmpty();
            writer.commit();
            assertThat(ids(reader)).as("committed").containsExactly(1);

            DbTestSupport.exec(writer, "INSERT INTO " + TABLE + " VALUES (2)");
            assertThat(ids(writer)).as("the writer sees its own row").containsExactly(1, 2);
            writer.rollback();
            assertThat(ids(writer)).containsExactly(1);
            assertThat(ids(reader)).containsExactly(1);

            DbTestSupport.exec(writer, "INSERT INTO " + TABLE + " VALUES (3)");
            writer.setAutoCommit(true);
            assertThat(ids(reader)).as("turning auto-commit on commits").containsExactly(1, 3);
        }
    }

    @Test
    void savepointsRollBackPartOfATransaction() throws Exception {
        try (Connection c = db.getConnection()) {
            assertThatThrownBy(() -> c.setSavepoint("early")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("auto-commit");
            c.setAutoCommit(false);
            DbTestSupport.exec(c, "INSERT INTO " + TABLE + " VALUES (1)");
            Savepoint named = c.setSavepoint("after_one");
            assertThat(named.getSavepointName()).isEqualTo("after_one");
            assertThatThrownBy(named::getSavepointId).isInstanceOf(SQLException.class);
            DbTestSupport.exec(c, "INSERT INTO " + TABLE + " VALUES (2)");
            Savepoint unnamed = c.setSavepoint();
            assertThat(unnamed.getSavepointId()).isPositive();
            assertThatThrownBy(unnamed::getSavepointName).isInstanceOf(SQLException.class);
            DbTestSupport.exec(c, "INSERT INTO " + TABLE + " VALUES (3)");

            c.rollback(unnamed);
            assertThat(ids(c)).containsExactly(1, 2);
            c.rollback(named);
            assertThat(ids(c)).containsExactly(1);
            c.releaseSavepoint(named);
            assertThatThrownBy(() -> c.rollback(named)).as("a released savepoint")
                    .isInstanceOf(SQLException.class).hasMessageContaining("after_one");
            c.commit();
        }
        try (Connection other = db.getConnection()) {
            assertThat(ids(other)).containsExactly(1);
        }
    }

    @Test
    void everyIsolationLevelIsSetOnTheServerAndReadBack() throws Exception {
        int[] levels = {Connection.TRANSACTION_READ_UNCOMMITTED, Connection.TRANSACTION_READ_COMMITTED,
            Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE};
        String[] names = {"READ-UNCOMMITTED", "READ-COMMITTED", "REPEATABLE-READ", "SERIALIZABLE"};
        try (Connection c = db.getConnection()) {
            assertThat(c.getTransactionIsolation()).as("the server's default")
                    .isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
            for (int i = 0; i < levels.length; i++) {
                c.setTransactionIsolation(levels[i]);
                assertThat(c.getTransactionIsolation()).isEqualTo(levels[i]);
                assertThat(isolationOnServer(c)).isEqualTo(names[i]);
            }
            assertThatThrownBy(() -> c.setTransactionIsolation(Connection.TRANSACTION_NONE))
                    .isInstanceOf(SQLException.class).hasMessageContaining("isolation level 0");
        }
    }

    @Test
    void writesFailOnAReadOnlyConnection() throws Exception {
        try (Connection c = db.getConnection()) {
            assertThat(c.isReadOnly()).isFalse();
            c.setReadOnly(true);
            assertThat(c.isReadOnly()).isTrue();
            assertThatThrownBy(() -> DbTestSupport.exec(c, "INSERT INTO " + TABLE + " VALUES (1)"))
                    .isInstanceOf(SQLException.class).isNotInstanceOf(SQLNonTransientConnectionException.class)
                    .hasMessageContaining("READ ONLY")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            assertThat(ids(c)).as("reads still work").isEmpty();
            c.setReadOnly(false);
            DbTestSupport.exec(c, "INSERT INTO " + TABLE + " VALUES (1)");
            assertThat(ids(c)).containsExactly(1);
        }
    }

    @Test
    void setCatalogChangesTheDefaultDatabase() throws Exception {
        try (Connection c = db.getConnection()) {
            String home = c.getCatalog();
            assertThat(home).isEqualTo(value(c, "SELECT DATABASE()")).isNotBlank();
            c.setCatalog("information_schema");
            assertThat(c.getCatalog()).isEqualTo("information_schema");
            assertThat(value(c, "SELECT DATABASE()")).isEqualTo("information_schema");
            c.setCatalog(home);
            assertThat(c.getCatalog()).isEqualTo(home);
            assertThat(ids(c)).isEmpty();
            assertThatThrownBy(() -> c.setCatalog("t1_no_such_database")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("t1_no_such_database");
        }
    }

    @Test
    void isValidAndCloseAreSafeInEveryState() throws Exception {
        Connection c = db.getConnection();
        assertThat(c.isValid(5)).isTrue();
        assertThat(c.isValid(0)).isTrue();
        assertThat(c.isClosed()).isFalse();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(c.isValid(5)).isFalse();
        c.close();
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void methodsOfAClosedConnectionThrowSqlNonTransientConnectionException08003() throws Exception {
        Connection c = db.getConnection();
        c.close();
        List<ThrowingCallable> calls = List.of(c::createStatement, () -> c.prepareStatement("SELECT 1"),
                () -> c.setAutoCommit(false), c::getAutoCommit, c::commit, c::rollback, c::getMetaData,
                () -> c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE), c::getCatalog,
                () -> c.setReadOnly(true));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOfSatisfying(SQLNonTransientConnectionException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("08003")).hasMessageContaining("closed");
        }
    }

    @Test
    void aConnectionReturnedWithAnOpenTransactionComesBackRolledBackAndReset() throws Exception {
        single = DbTestSupport.dataSource("poolSize=1&poolName=t1-conn-single");
        Object firstId;
        try (Connection c = single.getConnection()) {
            firstId = value(c, "SELECT CONNECTION_ID()");
            c.setAutoCommit(false);
            DbTestSupport.exec(c, "INSERT INTO " + TABLE + " VALUES (7)");
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setReadOnly(true);
            c.setCatalog("information_schema");
            // closed with the transaction open
        }
        try (Connection c = single.getConnection()) {
            assertThat(value(c, "SELECT CONNECTION_ID()")).as("the same physical connection").isEqualTo(firstId);
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(value(c, "SELECT @@autocommit")).isEqualTo("1");
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
            assertThat(isolationOnServer(c)).isEqualTo("REPEATABLE-READ");
            assertThat(c.isReadOnly()).isFalse();
            assertThat(readOnlyOnServer(c)).isEqualTo("0");
            assertThat(c.getCatalog()).isEqualTo(value(c, "SELECT DATABASE()")).isNotEqualTo("information_schema");
            assertThat(ids(c)).as("the open transaction was rolled back").isEmpty();
            DbTestSupport.exec(c, "INSERT INTO " + TABLE + " VALUES (8)");
        }
        try (Connection other = db.getConnection()) {
            assertThat(ids(other)).as("the next borrower writes with auto-commit").containsExactly(8);
        }
    }

    @Test
    void unsupportedFeaturesThrowSqlFeatureNotSupportedExceptionNamingTheMethod() throws Exception {
        try (Connection c = db.getConnection()) {
            assertUnsupported(() -> c.prepareCall("CALL x()"), "prepareCall");
            assertUnsupported(() -> c.createArrayOf("INT", new Object[] {1}), "createArrayOf");
            assertUnsupported(() -> c.createStruct("T", new Object[] {1}), "createStruct");
            assertUnsupported(() -> c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY),
                    "createStatement");
            assertUnsupported(() -> c.prepareStatement("SELECT 1", ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_UPDATABLE), "prepareStatement");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
                assertUnsupported(rs::previous, "previous");
                assertUnsupported(() -> rs.absolute(1), "absolute");
                assertUnsupported(() -> rs.updateInt(1, 2), "updateInt");
                assertThat(rs.getInt(1)).as("the result set is still usable").isEqualTo(1);
            }
        }
    }

    @Test
    void metaDataAnswersTheBasics() throws Exception {
        try (Connection c = db.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.getDatabaseProductName()).isIn("MariaDB", "MySQL");
            assertThat(md.getDatabaseProductVersion()).isNotBlank();
            assertThat(md.getDriverName()).isNotBlank();
            assertThat(md.getConnection()).isSameAs(c);
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = md.getTables(c.getCatalog(), null, TABLE, new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).containsExactly(TABLE);
        }
    }

    private static void assertUnsupported(ThrowingCallable call, String method) {
        assertThatThrownBy(call).isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining(method);
    }

    private static List<Integer> ids(Connection c) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    private static String value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    /** The session's isolation, e.g. REPEATABLE-READ (MySQL 8 and MariaDB 11.1+ renamed the variable). */
    private static String isolationOnServer(Connection c) throws SQLException {
        return variable(c, "transaction_isolation", "tx_isolation");
    }

    /** The session's read-only flag, 0 or 1. */
    private static String readOnlyOnServer(Connection c) throws SQLException {
        return variable(c, "transaction_read_only", "tx_read_only");
    }

    /** The session variable {@code name}, or {@code oldName} on servers that do not know {@code name}. */
    private static String variable(Connection c, String name, String oldName) throws SQLException {
        try {
            return value(c, "SELECT @@SESSION." + name);
        } catch (SQLException unknown) {
            return value(c, "SELECT @@SESSION." + oldName);
        }
    }
}
