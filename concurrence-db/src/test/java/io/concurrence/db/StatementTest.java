package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Statement} and {@link ResultSet} semantics: what {@code execute} reports, misuse of
 * {@code executeQuery}/{@code executeUpdate}, batches that fail half-way, result sets that stay open while the
 * connection runs another statement, closing, and the cursor position.
 */
class StatementTest {

    private static final String TABLE = "t1_stmt";
    private static final String BIG = "t1_stmt_big";
    /** Rows of {@link #BIG}: far more than one fetch, so closing early leaves most of the result unread. */
    private static final int BIG_ROWS = 1 << 15;

    private static ConcurrenceDataSource db;
    private Connection c;

    @BeforeAll
    static void open() throws Exception {
        DbTestSupport.requireServer();
        db = DbTestSupport.dataSource("poolSize=2&poolName=t1-stmt");
        try (Connection c = db.getConnection()) {
            DbTestSupport.exec(c, "DROP TABLE IF EXISTS " + BIG,
                    "CREATE TABLE " + BIG + " (id INT AUTO_INCREMENT PRIMARY KEY, pad VARCHAR(100))",
                    "INSERT INTO " + BIG + " (pad) VALUES (REPEAT('x', 100))");
            try (Statement s = c.createStatement()) {
                while (s.executeUpdate("INSERT INTO " + BIG + " (pad) SELECT pad FROM " + BIG) < BIG_ROWS / 2) {
                    // doubles the rows up to BIG_ROWS
                }
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        if (db != null) {
            try (Connection c = db.getConnection()) {
                DbTestSupport.exec(c, "DROP TABLE IF EXISTS " + TABLE, "DROP TABLE IF EXISTS " + BIG);
            } finally {
                db.close();
            }
        }
    }

    @BeforeEach
    void createTable() throws Exception {
        c = db.getConnection();
        DbTestSupport.exec(c, "DROP TABLE IF EXISTS " + TABLE,
                "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO " + TABLE + " VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    }

    @AfterEach
    void returnConnection() throws SQLException {
        c.close();
    }

    @Test
    void executeReportsAResultSetForQueriesAndAnUpdateCountForUpdates() throws Exception {
        try (Statement s = c.createStatement()) {
            assertThat(s.execute("SELECT id FROM " + TABLE + " ORDER BY id")).isTrue();
            assertThat(s.getUpdateCount()).isEqualTo(-1);
            ResultSet rs = s.getResultSet();
            assertThat(rs).isNotNull();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(s.getMoreResults()).isFalse();
            assertThat(rs.isClosed()).as("getMoreResults closes the current result set").isTrue();
            assertThat(s.getUpdateCount()).as("-1: no more results").isEqualTo(-1);

            assertThat(s.execute("UPDATE " + TABLE + " SET name = UPPER(name) WHERE id <= 2")).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(2);
            assertThat(s.getResultSet()).isNull();
            assertThat(s.getMoreResults()).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(-1);

            assertThat(s.execute("SELECT id FROM " + TABLE + " WHERE id < 0")).as("an empty SELECT").isTrue();
            assertThat(s.getUpdateCount()).isEqualTo(-1);
            assertThat(s.getResultSet().next()).isFalse();

            assertThat(s.execute("SHOW TABLES")).isTrue();
            List<String> tables = new ArrayList<>();
            try (ResultSet shown = s.getResultSet()) {
                while (shown.next()) {
                    tables.add(shown.getString(1));
                }
            }
            assertThat(tables).contains(TABLE, BIG);

            assertThat(s.executeUpdate("DELETE FROM " + TABLE + " WHERE id < 0")).isZero();
            assertThat(s.executeUpdate("UPDATE " + TABLE + " SET name = 'same' WHERE id = 3")).isEqualTo(1);
        }
    }

    @Test
    void executeQueryOnAnUpdateAndExecuteUpdateOnAQueryThrowAndTheConnectionGoesOn() throws Exception {
        try (Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("UPDATE " + TABLE + " SET name = 'q' WHERE id = 1"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("executeUpdate");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE + " WHERE name = 'q'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the refused UPDATE did not run").isZero();
            }
            assertThatThrownBy(() -> s.executeUpdate("SELECT id FROM " + TABLE))
                    .isInstanceOf(SQLException.class).hasMessageContaining("executeQuery");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        }
    }

    @Test
    void batchFailingInTheMiddleThrowsBatchUpdateExceptionWithTheCountsBefore() throws Exception {
        try (Statement s = c.createStatement()) {
            s.addBatch("INSERT INTO " + TABLE + " VALUES (10, 'ten')");
            s.addBatch("UPDATE " + TABLE + " SET name = 'x' WHERE id IN (1, 2)");
            s.addBatch("INSERT INTO " + TABLE + " VALUES (1, 'duplicate')");
            s.addBatch("INSERT INTO " + TABLE + " VALUES (11, 'eleven')");
            assertThatThrownBy(s::executeBatch).isInstanceOfSatisfying(BatchUpdateException.class, e -> {
                assertThat(e.getUpdateCounts()).containsExactly(1, 2);
                assertThat(e.getErrorCode()).isEqualTo(1062);
                assertThat(e.getSQLState()).isEqualTo("23000");
                assertThat(e.getMessage()).contains("Duplicate");
                assertThat(e.getCause()).isInstanceOf(SQLIntegrityConstraintViolationException.class);
            });
            try (ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE + " ORDER BY id")) {
                List<Integer> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
                assertThat(ids).as("the statements before the failure ran, the one after did not")
                        .containsExactly(1, 2, 3, 10);
            }
            s.addBatch("INSERT INTO " + TABLE + " VALUES (12, 'twelve')");
            assertThat(s.executeBatch()).as("the batch was cleared by the failure").containsExactly(1);
        }
    }

    @Test
    void resultSetStaysReadableWhileAnotherStatementRunsOnTheSameConnection() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Statement outer = c.createStatement(); Statement inner = c.createStatement()) {
            outer.setFetchSize(1);
            try (ResultSet a = outer.executeQuery("SELECT id, name FROM " + TABLE + " ORDER BY id")) {
                while (a.next()) {
                    int id = a.getInt(1);
                    try (ResultSet b = inner.executeQuery("SELECT COUNT(*) FROM " + BIG + " WHERE id <= " + id)) {
                        assertThat(b.next()).isTrue();
                        seen.add(a.getString("name") + "=" + b.getInt(1));
                    }
                }
            }
        }
        assertThat(seen).containsExactly("one=1", "two=2", "three=3");
    }

    @Test
    void closingAStatementClosesItsResultSet() throws Exception {
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM " + BIG);
        assertThat(rs.next()).isTrue();
        assertThat(s.isClosed()).isFalse();
        assertThat(rs.isClosed()).isFalse();
        s.close();
        assertThat(s.isClosed()).isTrue();
        assertThat(rs.isClosed()).isTrue();
        assertThatThrownBy(rs::next).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> s.executeQuery("SELECT 1")).isInstanceOf(SQLException.class)
                .hasMessageContaining("closed");
        s.close();
        assertThat(count(c, "SELECT COUNT(*) FROM " + BIG)).isEqualTo(BIG_ROWS);
    }

    @Test
    void resultSetClosedEarlyLeavesTheConnectionAndStatementUsable() throws Exception {
        try (Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT id, pad FROM " + BIG + " ORDER BY id");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            rs.close();
            assertThat(rs.isClosed()).isTrue();
            assertThat(s.isClosed()).as("the statement stays open without closeOnCompletion").isFalse();
            try (ResultSet again = s.executeQuery("SELECT MAX(id), COUNT(*) FROM " + BIG)) {
                assertThat(again.next()).isTrue();
                assertThat(again.getInt(2)).isEqualTo(BIG_ROWS);
            }
        }
        assertThat(count(c, "SELECT COUNT(*) FROM " + TABLE)).isEqualTo(3);
    }

    @Test
    void closeOnCompletionClosesTheStatementWithItsResultSet() throws Exception {
        Statement s = c.createStatement();
        assertThat(s.isCloseOnCompletion()).isFalse();
        s.closeOnCompletion();
        assertThat(s.isCloseOnCompletion()).isTrue();
        ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE);
        while (rs.next()) {
            assertThat(s.isClosed()).isFalse();
        }
        rs.close();
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void closingTheConnectionClosesItsStatementsAndResultSets() throws Exception {
        Connection own = db.getConnection();
        Statement s = own.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE);
        assertThat(own.isClosed()).isFalse();
        own.close();
        assertThat(own.isClosed()).isTrue();
        assertThat(s.isClosed()).isTrue();
        assertThat(rs.isClosed()).isTrue();
    }

    @Test
    void gettersByLabelIgnoreCase() throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id AS MixedCase, name AS Other FROM " + TABLE
                        + " WHERE id = 2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt("mixedcase")).isEqualTo(2);
            assertThat(rs.getLong("MIXEDCASE")).isEqualTo(2L);
            assertThat(rs.getObject("MiXeDcAsE")).isEqualTo(2);
            assertThat(rs.getString("other")).isEqualTo("two");
            assertThat(rs.getString("OTHER")).isEqualTo("two");
            assertThat(rs.findColumn("Other")).isEqualTo(2);
        }
    }

    @Test
    void unknownLabelAndGettersWithoutACurrentRowThrow() throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name FROM " + TABLE + " WHERE id = 1")) {
            assertThatThrownBy(() -> rs.findColumn("no_such_column")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no_such_column");
            assertThatThrownBy(() -> rs.getString("no_such_column")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no_such_column");
            assertThatThrownBy(() -> rs.getInt(1)).as("getInt before next()").isInstanceOf(SQLException.class)
                    .hasMessageContaining("next()");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThatThrownBy(() -> rs.getInt(3)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("column index 3");
            assertThat(rs.next()).isFalse();
            assertThatThrownBy(() -> rs.getInt(1)).as("getInt after the last row")
                    .isInstanceOf(SQLException.class).hasMessageContaining("past its last row");
        }
    }

    @Test
    void cursorPositionIsReportedBeforeOnAndAfterTheRows() throws Exception {
        try (Statement s = c.createStatement()) {
            s.setFetchSize(1);
            try (ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE + " ORDER BY id")) {
                assertThat(rs.isBeforeFirst()).isTrue();
                assertThat(rs.isFirst()).isFalse();
                assertThat(rs.isAfterLast()).isFalse();
                assertThat(rs.getRow()).isZero();

                assertThat(rs.next()).isTrue();
                assertThat(rs.isBeforeFirst()).isFalse();
                assertThat(rs.isFirst()).isTrue();
                assertThat(rs.isLast()).isFalse();
                assertThat(rs.getRow()).isEqualTo(1);

                assertThat(rs.next()).isTrue();
                assertThat(rs.isFirst()).isFalse();
                assertThat(rs.isLast()).isFalse();
                assertThat(rs.getInt(1)).as("isLast looked ahead without moving").isEqualTo(2);

                assertThat(rs.next()).isTrue();
                assertThat(rs.isLast()).isTrue();
                assertThat(rs.isAfterLast()).isFalse();
                assertThat(rs.getInt(1)).isEqualTo(3);

                assertThat(rs.next()).isFalse();
                assertThat(rs.isAfterLast()).isTrue();
                assertThat(rs.isLast()).isFalse();
                assertThat(rs.isBeforeFirst()).isFalse();
            }
            try (ResultSet empty = s.executeQuery("SELECT id FROM " + TABLE + " WHERE id < 0")) {
                assertThat(empty.isBeforeFirst()).as("an empty result is never before its first row").isFalse();
                assertThat(empty.next()).isFalse();
                assertThat(empty.isAfterLast()).as("nor after its last").isFalse();
            }
        }
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }
}
