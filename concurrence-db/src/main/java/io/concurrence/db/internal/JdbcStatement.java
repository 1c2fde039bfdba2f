package io.concurrence.db.internal;

import java.math.BigInteger;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;

import io.asyncer.r2dbc.mysql.api.MySqlResult;

/**
 * A statement: runs SQL as text. Results stream: {@link #executeQuery} returns as soon as the first row (or the
 * end) has arrived, and the result set pulls further rows with bounded demand ({@link #setFetchSize} rows ahead,
 * default {@value #DEFAULT_FETCH}).
 *
 * <p>{@link #setQueryTimeout} bounds the wait for the statement's first result; a timeout stops the statement on
 * the server ({@code KILL QUERY}) and throws {@link java.sql.SQLTimeoutException}. Reading rows afterwards is
 * bounded by the ambient {@link io.concurrence.Timeout} and the connection's network timeout.
 */
class JdbcStatement implements Statement {

    static final int DEFAULT_FETCH = 512;

    final JdbcConnection connection;
    private boolean closed;
    /**
     * The statement's query timeout, {@link Duration#ZERO} for none: the data source's {@code queryTimeout}
     * (which may be below a second) until {@link #setQueryTimeout(int)} sets whole seconds.
     */
    private Duration queryTimeout;
    private long maxRows;
    private int fetchSize;
    private int maxFieldSize;
    private boolean closeOnCompletion;
    private boolean poolable;
    private volatile @Nullable RowStream stream;
    private @Nullable String sql;
    private @Nullable JdbcResultSet current;
    private long updateCount = -1;
    private boolean wantKeys;
    private List<Object[]> keys = List.of();
    private final List<String> batch = new ArrayList<>();
    private @Nullable SQLWarning warnings;
    private boolean warningsRead;

    JdbcStatement(JdbcConnection connection) {
        this.connection = connection;
        this.queryTimeout = connection.config().queryTimeout();
    }

    // ---- execution ----

    /**
     * Runs {@code execution} and reads up to its first result.
     *
     * @return true when the first result is a result set
     */
    final boolean run(Supplier<Flux<? extends MySqlResult>> execution, String text, String keyword, boolean keys)
            throws SQLException {
        checkOpen();
        finishCurrent();
        this.sql = text;
        connection.note(keyword);
        this.wantKeys = keys && (keyword.equals("INSERT") || keyword.equals("REPLACE"));
        this.keys = List.of();
        RowStream s = connection.exchanges().start(execution, Results.isQuery(keyword), wantKeys, prefetch());
        stream = s;
        warnings = null;
        warningsRead = false;
        return advance(s, timeout());
    }

    /** Reads the next result's head: a result set, an update count, or the end. */
    private boolean advance(RowStream s, @Nullable Duration timeout) throws SQLException {
        Object item = connection.exchanges().next(s, timeout, text());
        if (item instanceof Results.FirstRow first) {
            current = new JdbcResultSet(this, first.columns(), first.values(), new StreamRows(s), maxRows);
            updateCount = -1;
            return true;
        }
        if (item instanceof Results.Done done) {
            if (done.query()) {
                current = new JdbcResultSet(this, new Column[0], null, new StreamRows(s), maxRows);
                updateCount = -1;
                return true;
            }
            current = null;
            updateCount = done.updateCount();
            if (wantKeys) {
                readKeys(s, done.updateCount());
            }
            return false;
        }
        current = null;
        updateCount = -1;
        return false;
    }

    private void readKeys(RowStream s, long count) throws SQLException {
        Object item = connection.exchanges().next(s, null, text());
        if (!(item instanceof Results.LastId last) || last.id().signum() == 0 || count <= 0) {
            keys = List.of();
            return;
        }
        BigInteger step = BigInteger.valueOf(connection.state().autoIncrementIncrement);
        List<Object[]> generated = new ArrayList<>((int) Math.min(count, 10_000));
        BigInteger id = last.id();
        for (long i = 0; i < count; i++) {
            generated.add(new Object[] {id});
            id = id.add(step);
        }
        keys = generated;
    }

    /** Skips what is left of the current result and closes it. */
    private void finishCurrent() throws SQLException {
        JdbcResultSet rs = current;
        current = null;
        if (rs != null) {
            rs.release();
        }
    }

    final Duration timeout() {
        return queryTimeout.isZero() ? null : queryTimeout;
    }

    final int prefetch() {
        return fetchSize > 0 ? fetchSize : DEFAULT_FETCH;
    }

    private String text() {
        return sql == null ? "" : sql;
    }

    /** The rows of a running execution's current result. */
    private final class StreamRows implements RowSource {

        private final RowStream s;

        StreamRows(RowStream s) {
            this.s = s;
        }

        @Override
        public @Nullable Object @Nullable [] next() throws SQLException {
            Object item = connection.exchanges().next(s, null, text());
            if (item instanceof Object[] row) {
                return row;
            }
            if (item instanceof Results.Done || item == RowStream.END) {
                return null;
            }
            throw new SQLException("unexpected item in a result: " + item.getClass().getSimpleName(), "HY000");
        }

        @Override
        public void close() {
            connection.exchanges().abandon(s);
        }
    }

    // ---- java.sql.Statement ----

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        checkSql(sql);
        String keyword = Sql.firstKeyword(sql);
        checkQuery(sql, keyword);
        if (!execute(sql, keyword, false)) {
            throw new SQLException("not a query: the statement returned an update count, not a result set (use"
                    + " executeUpdate): " + JdbcConnection.abbreviate(sql), "07000");
        }
        return current;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate(sql));
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return update(sql, false);
    }

    private long update(String sql, boolean keys) throws SQLException {
        checkSql(sql);
        String keyword = Sql.firstKeyword(sql);
        checkUpdate(sql, keyword);
        return update(execute(sql, keyword, keys), sql);
    }

    /** Refuses, before anything runs, a statement that cannot answer executeQuery (as Connector/J does). */
    static void checkQuery(String sql, String keyword) throws SQLException {
        switch (keyword) {
            case "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "TRUNCATE", "RENAME", "LOAD" ->
                    throw new SQLException("executeQuery cannot run " + keyword + ": it returns no result set (use"
                            + " executeUpdate or execute): " + JdbcConnection.abbreviate(sql), "07000");
            default -> {
            }
        }
    }

    /** Refuses, before anything runs, a SELECT given to executeUpdate (as Connector/J does). */
    static void checkUpdate(String sql, String keyword) throws SQLException {
        if (!keyword.equals("WITH") && Results.isQuery(keyword)) {
            throw new SQLException("executeUpdate cannot run " + keyword + ": it returns a result set, not an update"
                    + " count (use executeQuery or execute): " + JdbcConnection.abbreviate(sql), "07000");
        }
    }

    final long update(boolean resultSet, String sql) throws SQLException {
        if (resultSet) {
            finishCurrent();
            throw new SQLException("the statement returned a result set, not an update count (use executeQuery): "
                    + JdbcConnection.abbreviate(sql), "07000");
        }
        return Math.max(0, updateCount);
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return execute(sql, false);
    }

    private boolean execute(String sql, boolean keys) throws SQLException {
        checkSql(sql);
        return execute(sql, Sql.firstKeyword(sql), keys);
    }

    private boolean execute(String sql, String keyword, boolean keys) throws SQLException {
        return run(() -> connection.physical().createStatement(sql).execute(), sql, keyword, keys);
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate(sql, autoGeneratedKeys));
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return update(sql, autoGeneratedKeys == RETURN_GENERATED_KEYS);
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return (int) update(sql, columnIndexes != null && columnIndexes.length > 0);
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return update(sql, columnIndexes != null && columnIndexes.length > 0);
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return (int) update(sql, columnNames != null && columnNames.length > 0);
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        return update(sql, columnNames != null && columnNames.length > 0);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return execute(sql, autoGeneratedKeys == RETURN_GENERATED_KEYS);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return execute(sql, columnIndexes != null && columnIndexes.length > 0);
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return execute(sql, columnNames != null && columnNames.length > 0);
    }

    @Override
    public @Nullable ResultSet getResultSet() throws SQLException {
        checkOpen();
        return current;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        checkOpen();
        return current != null ? -1 : (int) Math.min(Integer.MAX_VALUE, updateCount);
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return current != null ? -1 : updateCount;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return getMoreResults(CLOSE_CURRENT_RESULT);
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        checkOpen();
        if (current != CLOSE_CURRENT_RESULT) {
            throw Unsupported.method("Statement.getMoreResults(KEEP_CURRENT_RESULT | CLOSE_ALL_RESULTS)");
        }
        RowStream s = stream;
        if (s == null) {
            updateCount = -1;
            return false;
        }
        JdbcResultSet rs = this.current;
        if (rs != null && !rs.isClosed()) {
            while (rs.next()) {
                // skip the rest of this result, keeping the execution's later results
            }
            rs.release();
        }
        this.current = null;
        if (s.abandoned()) {
            updateCount = -1;
            return false;
        }
        return advance(s, null);
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        return JdbcResultSet.ofRows(this, new Column[] {Column.generatedKey()}, keys);
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        checkSql(sql);
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch.clear();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long[] counts = executeLargeBatch();
        int[] result = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            result[i] = (int) Math.min(Integer.MAX_VALUE, counts[i]);
        }
        return result;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        List<String> sqls = List.copyOf(batch);
        batch.clear();
        if (sqls.isEmpty()) {
            return new long[0];
        }
        return runBatch(() -> Flux.fromIterable(sqls)
                .concatMap(s -> connection.physical().createStatement(s).execute()), sqls.size(), sqls.get(0));
    }

    /** Runs a batch of {@code size} executions, one update count each. */
    final long[] runBatch(Supplier<Flux<? extends MySqlResult>> execution, int size, String text)
            throws SQLException {
        finishCurrent();
        this.sql = text;
        this.wantKeys = false;
        this.keys = List.of();
        RowStream s = connection.exchanges().start(execution, false, false, prefetch());
        stream = s;
        warnings = null;
        warningsRead = false;
        long[] counts = new long[size];
        int done = 0;
        try {
            while (true) {
                Object item = connection.exchanges().next(s, done == 0 ? timeout() : null, text);
                if (item == RowStream.END) {
                    break;
                }
                if (item instanceof Results.FirstRow) {
                    connection.exchanges().abandon(s);
                    throw new SQLException("a statement of the batch returned a result set: batches may hold only"
                            + " updates", "07000");
                }
                if (item instanceof Results.Done d && done < size) {
                    counts[done++] = Math.max(0, d.updateCount());
                }
            }
        } catch (SQLException e) {
            long[] partial = java.util.Arrays.copyOf(counts, done);
            throw new BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), partial, e);
        }
        updateCount = -1;
        return done == size ? counts : java.util.Arrays.copyOf(counts, done);
    }

    @Override
    public void cancel() throws SQLException {
        checkOpen();
        RowStream s = stream;
        if (s != null) {
            connection.exchanges().cancelRunning(s);
        }
    }

    @Override
    public void close() throws SQLException {
        closeQuietly();
    }

    /** Closes the statement and its result set; the connection stays open. */
    final void closeQuietly() {
        if (!closed) {
            closed = true;
            JdbcResultSet rs = current;
            current = null;
            if (rs != null) {
                rs.release();
            }
            connection.closed(this);
        }
    }

    /** A result set of this statement was closed: closes the statement when {@link #closeOnCompletion()} asked. */
    final void resultClosed() {
        if (closeOnCompletion) {
            closeQuietly();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        checkOpen();
        return maxFieldSize;
    }

    /** Kept for getMaxFieldSize; values are not truncated. */
    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw new SQLException("max field size " + max + " is negative", "HY024");
        }
        maxFieldSize = max;
    }

    @Override
    public int getMaxRows() throws SQLException {
        checkOpen();
        return (int) Math.min(Integer.MAX_VALUE, maxRows);
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        setLargeMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        checkOpen();
        return maxRows;
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw new SQLException("max rows " + max + " is negative: expected 0 (no limit) or more", "HY024");
        }
        maxRows = max;
    }

    /** The driver does not rewrite JDBC escape syntax; the SQL goes to the server as it is. */
    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        checkOpen();
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        checkOpen();
        // Rounded up: a sub-second timeout from the data source is not "none" (0).
        long seconds = queryTimeout.toSeconds() + (queryTimeout.getNano() > 0 ? 1 : 0);
        return (int) Math.min(Integer.MAX_VALUE, seconds);
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        checkOpen();
        if (seconds < 0) {
            throw new SQLException("query timeout " + seconds + " is negative: expected 0 (none) or seconds",
                    "HY024");
        }
        queryTimeout = Duration.ofSeconds(seconds);
    }

    /**
     * The warnings MySQL gave for this statement's last execution ({@code SHOW WARNINGS}, one round trip, run when
     * first asked), or null. Only while no other statement has run on the connection since.
     */
    @Override
    public @Nullable SQLWarning getWarnings() throws SQLException {
        checkOpen();
        RowStream s = stream;
        if (!warningsRead && s != null && connection.exchanges().isLast(s)) {
            warnings = connection.exchanges().showWarnings();
            warningsRead = true;
        }
        return warnings;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        warnings = null;
        warningsRead = true;
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        throw Unsupported.method("Statement.setCursorName");
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != ResultSet.FETCH_FORWARD) {
            throw new SQLException("fetch direction " + direction + " is not supported: result sets are"
                    + " forward-only (expected ResultSet.FETCH_FORWARD)", "HY024");
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return ResultSet.FETCH_FORWARD;
    }

    /**
     * Rows read ahead of the reader (default {@value #DEFAULT_FETCH}). Connector/J's streaming hint
     * {@code Integer.MIN_VALUE} is accepted and means the default: results always stream.
     */
    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0 && rows != Integer.MIN_VALUE) {
            throw new SQLException("fetch size " + rows + " is negative", "HY024");
        }
        fetchSize = Math.max(0, rows);
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        checkOpen();
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getResultSetType() throws SQLException {
        checkOpen();
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return connection;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        checkOpen();
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        checkOpen();
        this.poolable = poolable;
    }

    @Override
    public boolean isPoolable() throws SQLException {
        checkOpen();
        return poolable;
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        checkOpen();
        closeOnCompletion = true;
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        checkOpen();
        return closeOnCompletion;
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("this statement does not wrap a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    final void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("the statement is closed", "HY010");
        }
        if (connection.isClosed()) {
            throw new SQLException("the statement's connection is closed", "08003");
        }
    }

    static void checkSql(String sql) throws SQLException {
        if (sql == null || sql.isBlank()) {
            throw new SQLException("the SQL is empty: expected a statement", "42000");
        }
    }
}
