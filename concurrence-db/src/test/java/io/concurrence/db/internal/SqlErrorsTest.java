package io.concurrence.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;

import org.junit.jupiter.api.Test;

/** The mapping of failures that are not the server's onto JDBC's exceptions. */
class SqlErrorsTest {

    /**
     * Found by it-tests' DbFaultTest (connections KILLed under load): a statement queued on a connection that
     * closed failed as a plain SQLException HY000 instead of a lost connection.
     */
    @Test
    void aStatementQueuedOnAConnectionThatClosedFailsAsALostConnection() {
        IllegalStateException disposed = new IllegalStateException("Request queue was disposed");
        SQLException mapped = SqlErrors.map(disposed, "INSERT INTO t VALUES (1)");
        assertThat((Throwable) mapped).isInstanceOf(SQLNonTransientConnectionException.class)
                .hasMessageContaining("connection to the server lost")
                .hasMessageContaining("INSERT INTO t VALUES (1)")
                .hasCause(disposed);
        assertThat(mapped.getSQLState()).isEqualTo("08S01");
    }

    @Test
    void anotherIllegalStateIsStillAGeneralError() {
        IllegalStateException other = new IllegalStateException("Request queue is full");
        SQLException mapped = SqlErrors.map(other, "SELECT 1");
        assertThat(mapped.getClass()).isEqualTo(SQLException.class);
        assertThat(mapped.getSQLState()).isEqualTo("HY000");
        assertThat((Throwable) mapped).hasCause(other);
    }
}
