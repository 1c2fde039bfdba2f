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
import java.sql.SQLTimeoutException;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.asyncer.r2dbc.mysql.api.MySqlConnection;
import io.asyncer.r2dbc.mysql.api.MySqlResult;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.reactor.Await;

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
    private final List<JdbcStatement> statements = new ArrayList<>();
    private final AtomicInteger savepoints = new AtomicInteger();
    private volatile boolean closed;
    private volatile @Nullable RowStream active;
    private volatile @Nullable Mono<Void> activeKill;
    /**
     * Kills sent by {@code Statement.cancel()} (from any thread) that no statement has waited for yet. The owner
     * waits for them before its next statement and before the return to the pool: a kill still on its way to the
     * server would stop that statement instead of the cancelled one.
     */
    private final AtomicReference<@Nullable Mono<Void>> cancels = new AtomicReference<>();
    private boolean autoCommit = true;
    private boolean readOnly;
    private int isolation = -1;
    private boolean isolationChanged;
    private @Nullable String catalog;
    private boolean catalogChanged;
    private boolean explicitTransaction;
    private @Nullable Duration networkTimeout;
    private @Nullable SQLWarning warnings;
    private final Properties clientInfo = new Properties();

    JdbcConnection(DbPool pool, io.r2dbc.spi.Connection pooled, Physical state) {
        this.pool = pool;
        this.pooled = pooled;
        this.physical = state.connection;
        this.state = state;
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
     * Starts an execution: waits until the previous one may be followed (see the class comment), then
     * subscribes to {@code execution}'s items.
     */
    RowStream start(Supplier<Flux<? extends MySqlResult>> execution, boolean query, boolean lastInsertId,
            int prefetch) throws SQLException {
        checkOpen();
        settle();
        Flux<MySqlResult> results = Flux.defer(() -> execution.get().map(MySqlResult.class::cast));
        boolean tinyInt1isBit = config().tinyInt1isBit();
        RowStream stream = RowStream.start(dropped -> {
            Flux<Object> items = Results.items(results, tinyInt1isBit, query, dropped);
            return lastInsertId ? items.concatWith(Results.lastInsertId(physical)) : items;
        }, prefetch);
        active = stream;
        return stream;
    }

    /**
     * The next item of {@code stream}, waiting at most {@code timeout} (null: the network timeout, if set, and
     * the ambient deadline).
     *
     * @throws SQLTimeoutException when the wait times out: the execution is abandoned and killed on the server
     * @throws TaskletExit when the tasklet is killed while waiting: the same
     */
    Object next(RowStream stream, @Nullable Duration timeout, String sql) throws SQLException {
        Duration bound = timeout != null ? timeout : networkTimeout;
        try {
            return stream.take(bound);
        } catch (TimeoutException e) {
            cancel(stream);
            SQLTimeoutException timedOut = new SQLTimeoutException("statement timed out"
                    + (bound != null ? " after " + bound.toMillis() + " ms" : "") + " and was stopped on the"
                    + " server: " + abbreviate(sql), SqlErrors.TIMEOUT, e);
            throw timedOut;
        } catch (TaskletExit e) {
            cancel(stream);
            throw e;
        } catch (RuntimeException e) {
            throw SqlErrors.map(e, abbreviate(sql));
        }
    }

    /** Reads {@code stream} to its end, returning its last {@link Results.Done}. */
    Results.@Nullable Done drain(RowStream stream, @Nullable Duration timeout, String sql) throws SQLException {
        Results.Done last = null;
        while (true) {
            Object item = next(stream, timeout, sql);
            if (item == RowStream.END) {
                return last;
            }
            if (item instanceof Results.Done done) {
                last = done;
            }
        }
    }

    /** A reader gave up on {@code stream} (its result set was closed early): drop the rest. */
    void abandon(RowStream stream) {
        stream.abandon();
    }

    /** Gives up on {@code stream} and stops its statement on the server. */
    void cancel(RowStream stream) {
        stream.abandon();
        if (!stream.isSettled() && active == stream) {
            Mono<Void> kill = pool.killQuery(state).cache();
            activeKill = kill;
            kill.subscribe();
        }
    }

    /** {@code Statement.cancel()}: stops the running statement on the server; its reader gets an error. */
    void cancelRunning(RowStream stream) {
        if (!stream.isSettled() && active == stream) {
            Mono<Void> kill = pool.killQuery(state).cache();
            cancels.accumulateAndGet(kill, JdbcConnection::both);
            kill.subscribe();
        }
    }

    private static Mono<Void> both(@Nullable Mono<Void> pending, Mono<Void> next) {
        return pending == null ? next : Mono.when(pending, next).cache();
    }

    private void settle() throws SQLException {
        awaitCancels();
        RowStream previous = active;
        if (previous == null) {
            return;
        }
        if (!previous.abandoned()) {
            if (!previous.isSettled()) {
                previous.readAhead();
            }
            return;
        }
        Mono<Void> kill = activeKill;
        if (kill == null) {
            return;
        }
        try {
            Await.of(Mono.when(previous.settled(), kill), config().killGrace());
        } catch (TimeoutException e) {
            if (ambientExpired()) {
                throw waitingForKill(e);
            }
            pool.killConnection(state).subscribe();
            closed = true;
            release(Mono.empty());
            throw new SQLNonTransientConnectionException("connection closed: a cancelled statement did not stop"
                    + " within killGrace (" + config().killGrace().toMillis() + " ms) of its KILL QUERY", "08003", e);
        }
        activeKill = null;
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

    /** Whether the tasklet's own deadline ({@code Timeout.push}) has passed, rather than killGrace. */
    private static boolean ambientExpired() {
        return io.concurrence.Timeout.remaining().filter(d -> d.isZero() || d.isNegative()).isPresent();
    }

    /** The tasklet's deadline passed while an earlier cancelled statement was still stopping: nothing was run. */
    private static SQLTimeoutException waitingForKill(TimeoutException e) {
        return new SQLTimeoutException("timed out before the connection was free: an earlier cancelled statement"
                + " was still stopping on the server; nothing was run", SqlErrors.TIMEOUT, e);
    }

    /** Waits until every kill sent by {@code Statement.cancel()} has reached the server (see {@link #cancels}). */
    private void awaitCancels() throws SQLException {
        Mono<Void> pending = cancels.get() == null ? null : cancels.getAndSet(null);
        if (pending == null) {
            return;
        }
        try {
            Await.of(pending, config().killGrace());
        } catch (TimeoutException e) {
            if (ambientExpired()) {
                cancels.accumulateAndGet(pending, JdbcConnection::both);
                throw waitingForKill(e);
            }
            pool.killConnection(state).subscribe();
            closed = true;
            release(Mono.empty());
            throw new SQLNonTransientConnectionException("connection closed: the KILL QUERY of a Statement.cancel()"
                    + " did not reach the server within killGrace (" + config().killGrace().toMillis() + " ms)",
                    "08003", e);
        } catch (TaskletExit e) {
            cancels.accumulateAndGet(pending, JdbcConnection::both);
            throw e;
        }
    }

    /** Runs {@code sql} (no result wanted) on this connection. */
    void command(String sql) throws SQLException {
        drain(startText(sql), null, sql);
    }

    private RowStream startText(String sql) throws SQLException {
        return start(() -> physical.createStatement(sql).execute(), Results.isQuery(Sql.firstKeyword(sql)), false, 16);
    }

    /** Whether {@code stream} is the last execution started on this connection. */
    boolean isLast(RowStream stream) {
        return active == stream;
    }

    /**
     * The warnings of the last statement, from {@code SHOW WARNINGS} (R2DBC MySQL does not pass the warning count
     * on, so they are fetched when asked for), or null if it had none.
     */
    @Nullable SQLWarning showWarnings() throws SQLException {
        RowStream stream = startText("SHOW WARNINGS");
        SQLWarning first = null;
        while (true) {
            Object item = next(stream, null, "SHOW WARNINGS");
            Object[] row = item instanceof Results.FirstRow f ? f.values() : item instanceof Object[] r ? r : null;
            if (item == RowStream.END) {
                return first;
            }
            if (row != null && row.length >= 3) {
                String level = String.valueOf(row[0]);
                int code = row[1] instanceof Number n ? n.intValue() : 0;
                SQLWarning warning = new SQLWarning(level + ": " + row[2], "Error".equalsIgnoreCase(level)
                        ? "HY000" : "01000", code);
                if (first == null) {
                    first = warning;
                } else {
                    first.setNextWarning(warning);
                }
            }
        }
    }

    private @Nullable Object queryValue(String sql) throws SQLException {
        RowStream stream = startText(sql);
        Object value = null;
        while (true) {
            Object item = next(stream, null, sql);
            if (item == RowStream.END) {
                return value;
            }
            if (item instanceof Results.FirstRow first && first.values().length > 0) {
                value = first.values()[0];
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
            command(on ? "SET autocommit=1" : "SET autocommit=0");
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
        command("COMMIT");
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("rollback() while auto-commit is on: there is no transaction to roll back;"
                    + " call setAutoCommit(false) to start one", "25000");
        }
        command("ROLLBACK");
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
        command("SAVEPOINT " + Sql.quoteIdentifier(savepoint.name()));
        return savepoint;
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        command("ROLLBACK TO SAVEPOINT " + Sql.quoteIdentifier(JdbcSavepoint.name(savepoint)));
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        command("RELEASE SAVEPOINT " + Sql.quoteIdentifier(JdbcSavepoint.name(savepoint)));
    }

    @Override
    public void setReadOnly(boolean on) throws SQLException {
        checkOpen();
        if (on != readOnly) {
            command(on ? "SET SESSION TRANSACTION READ ONLY" : "SET SESSION TRANSACTION READ WRITE");
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
        command("USE " + Sql.quoteIdentifier(name));
        catalog = name;
        catalogChanged = true;
    }

    @Override
    public @Nullable String getCatalog() throws SQLException {
        checkOpen();
        if (catalog == null) {
            Object value = queryValue("SELECT DATABASE()");
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
        command("SET SESSION TRANSACTION ISOLATION LEVEL " + name);
        isolation = level;
        isolationChanged = true;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        if (isolation < 0) {
            Object value = queryValue("SELECT @@SESSION." + state.isolationVariable());
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
            drain(startText("DO 1"), timeoutSeconds == 0 ? null : Duration.ofSeconds(timeoutSeconds), "DO 1");
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
            RowStream stream = active;
            if (stream != null) {
                stream.abandon();
            }
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
        networkTimeout = milliseconds == 0 ? null : Duration.ofMillis(milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        Duration t = networkTimeout;
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
        RowStream stream = active;
        Mono<Void> kill = activeKill;
        Mono<Void> before;
        if (kill != null && stream != null) {
            before = Mono.when(stream.settled(), kill).timeout(config().killGrace())
                    .onErrorResume(e -> pool.killConnection(state));
        } else if (stream != null && !stream.isSettled()) {
            stream.abandon();
            before = stream.settled();
        } else {
            before = Mono.empty();
        }
        Mono<Void> cancelled = cancels.getAndSet(null);
        if (cancelled != null) {
            before = Mono.when(before, cancelled.timeout(config().killGrace())
                    .onErrorResume(e -> pool.killConnection(state)));
        }
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

    private void checkOpen() throws SQLException {
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
