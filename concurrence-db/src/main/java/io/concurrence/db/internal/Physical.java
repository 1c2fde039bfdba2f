package io.concurrence.db.internal;

import java.time.Duration;

import org.reactivestreams.Publisher;

import io.asyncer.r2dbc.mysql.api.MySqlConnection;
import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;

/**
 * One physical connection as the pool holds it: the R2DBC MySQL connection and what the driver learnt of it when
 * it was opened (its server id, for {@code KILL QUERY}).
 *
 * <p>It is deliberately not an {@link io.r2dbc.spi.Lifecycle}: r2dbc-pool would then call R2DBC MySQL's
 * {@code preRelease} on every return, a rollback that costs a round trip to the server ({@code COM_PING}) even
 * when no transaction is open. The JDBC connection resets its session itself, and only when it changed it.
 */
final class Physical implements Connection {

    /** The R2DBC MySQL connection. */
    final MySqlConnection connection;
    /** The server's id of the connection, for {@code KILL QUERY}. */
    final long threadId;
    /** {@code @@auto_increment_increment}: the step between the keys of a multi-row insert. */
    final long autoIncrementIncrement;
    /** {@code VERSION()}. */
    final String serverVersion;
    /** Set when the connection's state is unknown: the pool closes it instead of reusing it. */
    volatile boolean broken;

    Physical(MySqlConnection connection, long threadId, long autoIncrementIncrement, String serverVersion) {
        this.connection = connection;
        this.threadId = threadId;
        this.autoIncrementIncrement = autoIncrementIncrement;
        this.serverVersion = serverVersion;
    }

    /** The variable that holds the session's isolation level on this server. */
    String isolationVariable() {
        if (serverVersion.contains("MariaDB")) {
            String[] parts = serverVersion.split("[.-]");
            try {
                int major = Integer.parseInt(parts[0]);
                int minor = Integer.parseInt(parts[1]);
                return major > 11 || (major == 11 && minor >= 1) ? "transaction_isolation" : "tx_isolation";
            } catch (RuntimeException e) {
                return "tx_isolation";
            }
        }
        return serverVersion.startsWith("5.") ? "tx_isolation" : "transaction_isolation";
    }

    // io.r2dbc.spi.Connection, for r2dbc-pool: delegates.

    @Override
    public Publisher<Void> beginTransaction() {
        return connection.beginTransaction();
    }

    @Override
    public Publisher<Void> beginTransaction(TransactionDefinition definition) {
        return connection.beginTransaction(definition);
    }

    @Override
    public Publisher<Void> close() {
        return connection.close();
    }

    @Override
    public Publisher<Void> commitTransaction() {
        return connection.commitTransaction();
    }

    @Override
    public Batch createBatch() {
        return connection.createBatch();
    }

    @Override
    public Publisher<Void> createSavepoint(String name) {
        return connection.createSavepoint(name);
    }

    @Override
    public Statement createStatement(String sql) {
        return connection.createStatement(sql);
    }

    @Override
    public boolean isAutoCommit() {
        return connection.isAutoCommit();
    }

    @Override
    public ConnectionMetadata getMetadata() {
        return connection.getMetadata();
    }

    @Override
    public IsolationLevel getTransactionIsolationLevel() {
        return connection.getTransactionIsolationLevel();
    }

    @Override
    public Publisher<Void> releaseSavepoint(String name) {
        return connection.releaseSavepoint(name);
    }

    @Override
    public Publisher<Void> rollbackTransaction() {
        return connection.rollbackTransaction();
    }

    @Override
    public Publisher<Void> rollbackTransactionToSavepoint(String name) {
        return connection.rollbackTransactionToSavepoint(name);
    }

    @Override
    public Publisher<Void> setAutoCommit(boolean autoCommit) {
        return connection.setAutoCommit(autoCommit);
    }

    @Override
    public Publisher<Void> setLockWaitTimeout(Duration timeout) {
        return connection.setLockWaitTimeout(timeout);
    }

    @Override
    public Publisher<Void> setStatementTimeout(Duration timeout) {
        return connection.setStatementTimeout(timeout);
    }

    @Override
    public Publisher<Void> setTransactionIsolationLevel(IsolationLevel level) {
        return connection.setTransactionIsolationLevel(level);
    }

    @Override
    public Publisher<Boolean> validate(ValidationDepth depth) {
        return broken ? reactor.core.publisher.Mono.just(false) : connection.validate(depth);
    }

    @Override
    public String toString() {
        return "Physical[connection " + threadId + "]";
    }
}
