package io.concurrence.db.internal;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.asyncer.r2dbc.mysql.api.MySqlConnection;
import io.asyncer.r2dbc.mysql.api.MySqlResult;

/**
 * A borrowed pooled connection. One statement runs on it at a time; a result set still open when the next
 * statement starts is read ahead into memory (MySQL cannot interleave two results on one connection).
 *
 * <p>Timeouts and kills: a wait that times out or is killed abandons the execution (its rest is dropped, never
 * cancelled half-way in R2DBC MySQL) and sends {@code KILL QUERY} from a side connection, so the server stops
 * the work. The next statement, and the return to the pool, wait until the server has taken the kill and the
 * execution has ended; one that does not end within {@code killGrace} gets {@code KILL CONNECTION}, and the
 * connection is dropped from the pool. So the pool never hands out a connection in an unknown state.
 * {@code Statement.cancel()} sends {@code KILL QUERY} the same way; the next statement, and the return to the pool,
 * wait until that kill has reached the server, so that a late kill cannot stop a later statement.
 */
public final class JdbcConnection implements Connection {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcConnection.class);
    private static final String DRIVER_VERSION = "0.1.0-SNAPSHOT";

    private final DbPool pool;
    private final io.r2dbc.spi.Connection pooled;
    private final MySqlConnection physical;
    private final Physical state;
    private final Exchanges exchanges;
    private final List<JdbcStatement> statements = new ArrayList<>();
    private final AtomicInteger savepoints = new AtomicInteger();
    private volatile boolean closed;
    private boolean autoCommit = true;
    private boolean readOnly;
    private int isolation = -1;
    private boolean isolationChanged;
    private @Nullable String catalog;
    private boolean catalogChanged;
    private boolean explicitTransaction;
    private @Nullable SQLWarning warnings;
    private final Properties clientInfo = new Properties();

    JdbcConnection(DbPool pool, io.r2dbc.spi.Connection pooled, Physical state) {
        this.pool = pool;
        this.pooled = pooled;
        this.physical = state.connection;
        this.state = state;
        this.exchanges = new Exchanges(this, pool, state);
    }

    /** The executions on this connection, for its statements. */
    Exchanges exchanges() {
        return exchanges;
    }

    /** A cancelled statement would not stop: the connection is closed and its server session killed. */
    void closeBroken() {
        closed = true;
        release(Mono.empty());
    }

    // ---- execution, used by the statements ----

    DbConfig config() {
        return pool.config();
    }

    MySqlConnection physical() {
        return physical;
    }

    Physical state() {
        return state;
    }

    /**
     * Notes what a statement's SQL does to the session, so that {@link #close()} restores it: a transaction
     * opened with BEGIN or START TRANSACTION is rolled back, a USE is undone.
     */
    void note(String keyword) {
        switch (keyword) {
            case "BEGIN", "START", "XA" -> explicitTransaction = true;
            case "USE" -> {
                catalogChanged = true;
                catalog = null;
            }
            default -> {
            }
        }
    }

    void closed(JdbcStatement statement) {
        synchronized (statements) {
            statements.remove(statement);
        }
    }

    private <S extends JdbcStatement> S register(S statement) {
        synchronized (statements) {
            statements.add(statement);
        }
        return statement;
    }

    // ---- java.sql.Connection ----

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return register(new JdbcStatement(this));
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        checkCursor("createStatement", type, concurrency);
        return createStatement();
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        checkCursor("createStatement", type, concurrency);
        checkHoldability(holdability);
        return createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        return register(new JdbcPreparedStatement(this, sql, false));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        checkCursor("prepareStatement", type, concurrency);
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        checkCursor("prepareStatement", type, concurrency);
        checkHoldability(holdability);
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        checkOpen();
        if (autoGeneratedKeys != Statement.RETURN_GENERATED_KEYS && autoGeneratedKeys != Statement.NO_GENERATED_KEYS) {
            throw new SQLException("autoGeneratedKeys " + autoGeneratedKeys + " is not one of"
                    + " Statement.RETURN_GENERATED_KEYS or NO_GENERATED_KEYS", "HY092");
        }
        return register(new JdbcPreparedStatement(this, sql, autoGeneratedKeys == Statement.RETURN_GENERATED_KEYS));
    }

    /** The keys are the ids the server generated (Connector/J's GENERATED_KEY), whatever the indexes. */
    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        checkOpen();
        return register(new JdbcPreparedStatement(this, sql, columnIndexes != null && columnIndexes.length > 0));
    }

    /** The keys are the ids the server generated (Connector/J's GENERATED_KEY), whatever the names. */
    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        checkOpen();
        return register(new JdbcPreparedStatement(this, sql, columnNames != null && columnNames.length > 0));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        throw Unsupported.method("Connection.prepareCall (run CALL through a Statement or PreparedStatement)");
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        throw Unsupported.method("Connection.prepareCall (run CALL through a Statement or PreparedStatement)");
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        throw Unsupported.method("Connection.prepareCall (run CALL through a Statement or PreparedStatement)");
    }

    /** The SQL as it is: the driver does not rewrite JDBC escape syntax. */
    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

    @Override
    public void setAutoCommit(boolean on) throws SQLException {
        checkOpen();
        if (on != autoCommit) {
            exchanges.command(on ? "SET autocommit=1" : "SET autocommit=0");
            autoCommit = on;
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("commit() while auto-commit is on: each statement commits by itself; call"
                    + " setAutoCommit(false) to start a transaction", "25000");
        }
        exchanges.command("COMMIT");
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("rollback() while auto-commit is on: there is no transaction to roll back;"
                    + " call setAutoCommit(false) to start one", "25000");
        }
        exchanges.command("ROLLBACK");
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpen();
        int id = savepoints.incrementAndGet();
        return savepoint(new JdbcSavepoint(id, "SAVEPOINT_" + id));
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen();
        if (name == null || name.isEmpty()) {
            throw new SQLException("savepoint name is empty: expected a name", "3B000");
        }
        return savepoint(new JdbcSavepoint(0, name));
    }

    private Savepoint savepoint(JdbcSavepoint savepoint) throws SQLException {
        if (autoCommit) {
            throw new SQLException("setSavepoint() while auto-commit is on: call setAutoCommit(false) first",
                    "25000");
        }
        exchanges.command("SAVEPOINT " + Sql.quoteIdentifier(savepoint.name()));
        return savepoint;
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        exchanges.command("ROLLBACK TO SAVEPOINT " + Sql.quoteIdentifier(JdbcSavepoint.name(savepoint)));
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        exchanges.command("RELEASE SAVEPOINT " + Sql.quoteIdentifier(JdbcSavepoint.name(savepoint)));
    }

    @Override
    public void setReadOnly(boolean on) throws SQLException {
        checkOpen();
        if (on != readOnly) {
            exchanges.command(on ? "SET SESSION TRANSACTION READ ONLY" : "SET SESSION TRANSACTION READ WRITE");
            readOnly = on;
        }
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    @Override
    public void setCatalog(String name) throws SQLException {
        checkOpen();
        if (name == null) {
            return;
        }
        exchanges.command("USE " + Sql.quoteIdentifier(name));
        catalog = name;
        catalogChanged = true;
    }

    @Override
    public @Nullable String getCatalog() throws SQLException {
        checkOpen();
        if (catalog == null) {
            Object value = exchanges.queryValue("SELECT DATABASE()");
            catalog = value == null ? null : value.toString();
        }
        return catalog;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        String name = switch (level) {
            case TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
            case TRANSACTION_READ_COMMITTED -> "READ COMMITTED";
            case TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
            case TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
            default -> throw new SQLException("isolation level " + level + " is not one of Connection's"
                    + " TRANSACTION_READ_UNCOMMITTED, _READ_COMMITTED, _REPEATABLE_READ or _SERIALIZABLE", "HY024");
        };
        exchanges.command("SET SESSION TRANSACTION ISOLATION LEVEL " + name);
        isolation = level;
        isolationChanged = true;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        if (isolation < 0) {
            Object value = exchanges.queryValue("SELECT @@SESSION." + state.isolationVariable());
            String text = value == null ? "" : value.toString().replace('-', ' ').trim();
            isolation = switch (text) {
                case "READ UNCOMMITTED" -> TRANSACTION_READ_UNCOMMITTED;
                case "READ COMMITTED" -> TRANSACTION_READ_COMMITTED;
                case "SERIALIZABLE" -> TRANSACTION_SERIALIZABLE;
                default -> TRANSACTION_REPEATABLE_READ;
            };
        }
        return isolation;
    }

    @Override
    public @Nullable SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return warnings;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        warnings = null;
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return new java.util.HashMap<>();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        if (map != null && !map.isEmpty()) {
            throw Unsupported.method("Connection.setTypeMap (user-defined type mappings)");
        }
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkOpen();
        checkHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        DbConfig c = config();
        String url = DbUrl.PREFIX + c.host() + ":" + c.port() + "/" + c.database();
        return new JdbcDatabaseMetaData(this, url, c.user(), state.serverVersion, DRIVER_VERSION);
    }

    @Override
    public boolean isValid(int timeoutSeconds) throws SQLException {
        if (timeoutSeconds < 0) {
            throw new SQLException("isValid timeout " + timeoutSeconds + " is negative", "HY000");
        }
        if (closed || state.broken) {
            return false;
        }
        try {
            Duration bound = timeoutSeconds == 0 ? null : Duration.ofSeconds(timeoutSeconds);
            exchanges.drain(exchanges.startText("DO 1"), bound, "DO 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        if (value == null) {
            clientInfo.remove(name);
        } else {
            clientInfo.setProperty(name, value);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        clientInfo.clear();
        if (properties != null) {
            clientInfo.putAll(properties);
        }
    }

    @Override
    public @Nullable String getClientInfo(String name) throws SQLException {
        checkOpen();
        return clientInfo.getProperty(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        Properties copy = new Properties();
        copy.putAll(clientInfo);
        return copy;
    }

    /** Ignored: MySQL has catalogs (databases), not schemas; see {@link #setCatalog(String)}. */
    @Override
    public void setSchema(String schema) throws SQLException {
        checkOpen();
    }

    @Override
    public @Nullable String getSchema() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort(null): an executor is required", "HY000");
        }
        if (closed) {
            return;
        }
        closed = true;
        executor.execute(() -> {
            exchanges.abandonActive();
            pool.killConnection(state).then(Mono.defer(() -> Mono.from(pooled.close())))
                    .subscribe(null, e -> LOG.debug("abort: returning the connection failed", e));
        });
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        if (milliseconds < 0) {
            throw new SQLException("network timeout " + milliseconds + " is negative", "HY000");
        }
        exchanges.networkTimeout(milliseconds == 0 ? null : Duration.ofMillis(milliseconds));
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        Duration t = exchanges.networkTimeout();
        return t == null ? 0 : (int) t.toMillis();
    }

    @Override
    public Clob createClob() throws SQLException {
        throw Unsupported.method("Connection.createClob (bind a String or a Reader instead)");
    }

    @Override
    public Blob createBlob() throws SQLException {
        throw Unsupported.method("Connection.createBlob (bind a byte[] or an InputStream instead)");
    }

    @Override
    public NClob createNClob() throws SQLException {
        throw Unsupported.method("Connection.createNClob");
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        throw Unsupported.method("Connection.createSQLXML");
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        throw Unsupported.method("Connection.createArrayOf");
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        throw Unsupported.method("Connection.createStruct");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("this connection does not wrap a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    /**
     * Returns the connection to the pool: closes its statements, then (without making the caller wait) lets a
     * cancelled statement finish, rolls back an open transaction, restores auto-commit, isolation, read-only and
     * the database, and releases it. Closing twice is harmless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<JdbcStatement> open;
        synchronized (statements) {
            open = new ArrayList<>(statements);
            statements.clear();
        }
        for (JdbcStatement statement : open) {
            statement.closeQuietly();
        }
        Mono<Void> before = exchanges.beforeRelease();
        release(before.then(reset()));
    }

    private void release(Mono<Void> before) {
        before.onErrorResume(e -> {
            LOG.debug("connection {}: resetting before its return to the pool failed; it is closed instead",
                    state.threadId, e);
            state.broken = true;
            return Mono.empty();
        }).then(Mono.defer(() -> Mono.from(pooled.close()))).subscribe(null,
                e -> LOG.warn("connection {}: returning it to the pool failed: {}", state.threadId, e.toString()));
    }

    private Mono<Void> reset() {
        boolean serverAutoCommit = physical.isAutoCommit();
        if (autoCommit && serverAutoCommit && !explicitTransaction && !readOnly && !isolationChanged
                && !catalogChanged) {
            return Mono.empty();
        }
        List<String> sql = new ArrayList<>();
        if (!autoCommit || !serverAutoCommit || explicitTransaction) {
            sql.add("ROLLBACK");
            sql.add("SET autocommit=1");
        }
        if (readOnly) {
            sql.add("SET SESSION TRANSACTION READ WRITE");
        }
        if (isolationChanged) {
            String variable = state.isolationVariable();
            sql.add("SET SESSION " + variable + " = @@GLOBAL." + variable);
        }
        if (catalogChanged) {
            if (config().database().isEmpty()) {
                state.broken = true;
            } else {
                sql.add("USE " + Sql.quoteIdentifier(config().database()));
            }
        }
        return Flux.fromIterable(sql)
                .concatMap(s -> Flux.from(physical.createStatement(s).execute()).flatMap(MySqlResult::getRowsUpdated))
                .then();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLNonTransientConnectionException("the connection is closed", "08003");
        }
    }

    private void checkCursor(String method, int type, int concurrency) throws SQLException {
        checkOpen();
        if (type != ResultSet.TYPE_FORWARD_ONLY) {
            throw Unsupported.method("Connection." + method + " with a result set type other than"
                    + " TYPE_FORWARD_ONLY");
        }
        if (concurrency != ResultSet.CONCUR_READ_ONLY) {
            throw Unsupported.method("Connection." + method + " with CONCUR_UPDATABLE");
        }
    }

    private static void checkHoldability(int holdability) throws SQLException {
        if (holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            throw Unsupported.method("HOLD_CURSORS_OVER_COMMIT");
        }
    }

    static String abbreviate(String sql) {
        return sql.length() > 200 ? sql.substring(0, 200) + "..." : sql;
    }

    @Override
    public String toString() {
        return "JdbcConnection[" + config().poolName() + ", connection " + state.threadId + "]";
    }
}
