package io.concurrence.db.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;

import org.jspecify.annotations.Nullable;

/**
 * A forward-only, read-only {@link ResultSet} over a {@link RowSource}: a statement's running execution (rows
 * arrive as they are read, with bounded memory) or rows in memory (generated keys). Getters convert as
 * Connector/J does (see {@link Values}).
 */
final class JdbcResultSet extends ReadOnlyResultSet {

    private final @Nullable Statement statement;
    private final Column[] columns;
    private final RowSource source;
    private final long maxRows;
    private @Nullable Object @Nullable [] row;
    private @Nullable Object @Nullable [] lookahead;
    private boolean lookedAhead;
    private @Nullable Map<String, Integer> labels;
    private long rowNumber;
    private boolean wasNull;
    private boolean closed;
    private boolean end;
    private int fetchSize;

    /**
     * @param first the first row, already read by the statement (null for an empty result)
     * @param maxRows rows after which {@code next()} answers false (0: no limit)
     */
    JdbcResultSet(@Nullable Statement statement, Column[] columns, @Nullable Object @Nullable [] first,
            RowSource source, long maxRows) {
        this.statement = statement;
        this.columns = columns;
        this.source = source;
        this.maxRows = maxRows;
        this.lookahead = first;
        this.lookedAhead = true;
        if (first == null) {
            end = true;
        }
    }

    /** Rows in memory, e.g. generated keys. */
    static JdbcResultSet ofRows(@Nullable Statement statement, Column[] columns, java.util.List<Object[]> rows) {
        java.util.Iterator<Object[]> it = rows.iterator();
        Object[] first = it.hasNext() ? it.next() : null;
        return new JdbcResultSet(statement, columns, first, new RowSource() {
            @Override
            public @Nullable Object @Nullable [] next() {
                return it.hasNext() ? it.next() : null;
            }

            @Override
            public void close() {
            }
        }, 0);
    }

    @Override
    public boolean next() throws SQLException {
        checkOpen();
        if (end) {
            row = null;
            return false;
        }
        Object[] next = lookedAhead ? lookahead : source.next();
        lookedAhead = false;
        lookahead = null;
        if (next == null || (maxRows > 0 && rowNumber >= maxRows)) {
            end = true;
            row = null;
            if (next != null) {
                source.close();
            }
            return false;
        }
        row = next;
        rowNumber++;
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            release();
            if (statement instanceof JdbcStatement owner) {
                owner.resultClosed();
            }
        }
    }

    /** Closes without telling the statement (the statement itself moves on). */
    void release() {
        if (!closed) {
            closed = true;
            row = null;
            lookahead = null;
            if (!end) {
                end = true;
                source.close();
            }
        }
    }

    /** Whether every row was read (the statement may go on to its next result). */
    boolean exhausted() {
        return end && !lookedAhead;
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return wasNull;
    }

    private @Nullable Object raw(int index) throws SQLException {
        checkOpen();
        Object[] current = row;
        if (current == null) {
            throw new SQLException(rowNumber == 0 && !end ? "no current row: call next() first"
                    : "no current row: the result set is past its last row", "24000");
        }
        if (index < 1 || index > columns.length) {
            throw new SQLException("column index " + index + " is out of range: the result has " + columns.length
                    + " column(s), numbered from 1", "07009");
        }
        Object value = current[index - 1];
        wasNull = value == null;
        return value;
    }

    private Column column(int index) {
        return columns[index - 1];
    }

    @Override
    public String getString(int index) throws SQLException {
        return Values.string(raw(index), column(index));
    }

    @Override
    public boolean getBoolean(int index) throws SQLException {
        return Values.bool(raw(index));
    }

    @Override
    public byte getByte(int index) throws SQLException {
        return (byte) Values.integral(raw(index), "byte", Byte.MIN_VALUE, Byte.MAX_VALUE);
    }

    @Override
    public short getShort(int index) throws SQLException {
        return (short) Values.integral(raw(index), "short", Short.MIN_VALUE, Short.MAX_VALUE);
    }

    @Override
    public int getInt(int index) throws SQLException {
        Object value = raw(index);
        return value instanceof Integer i ? i : (int) Values.integral(value, "int", Integer.MIN_VALUE,
                Integer.MAX_VALUE);
    }

    @Override
    public long getLong(int index) throws SQLException {
        Object value = raw(index);
        return value instanceof Long l ? l : Values.integral(value, "long", Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public float getFloat(int index) throws SQLException {
        return (float) Values.floating(raw(index), "float");
    }

    @Override
    public double getDouble(int index) throws SQLException {
        return Values.floating(raw(index), "double");
    }

    @Override
    public BigDecimal getBigDecimal(int index) throws SQLException {
        return Values.decimal(raw(index));
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int index, int scale) throws SQLException {
        BigDecimal value = getBigDecimal(index);
        return value == null ? null : value.setScale(scale, RoundingMode.HALF_UP);
    }

    @Override
    public byte[] getBytes(int index) throws SQLException {
        return Values.bytes(raw(index), column(index));
    }

    @Override
    public Date getDate(int index) throws SQLException {
        return Values.date(raw(index), null);
    }

    @Override
    public Date getDate(int index, Calendar cal) throws SQLException {
        return Values.date(raw(index), cal);
    }

    @Override
    public Time getTime(int index) throws SQLException {
        return Values.time(raw(index), null);
    }

    @Override
    public Time getTime(int index, Calendar cal) throws SQLException {
        return Values.time(raw(index), cal);
    }

    @Override
    public Timestamp getTimestamp(int index) throws SQLException {
        return Values.timestamp(raw(index), null);
    }

    @Override
    public Timestamp getTimestamp(int index, Calendar cal) throws SQLException {
        return Values.timestamp(raw(index), cal);
    }

    @Override
    public InputStream getAsciiStream(int index) throws SQLException {
        String s = getString(index);
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(int index) throws SQLException {
        String s = getString(index);
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_16BE));
    }

    @Override
    public InputStream getBinaryStream(int index) throws SQLException {
        byte[] b = getBytes(index);
        return b == null ? null : new ByteArrayInputStream(b);
    }

    @Override
    public Object getObject(int index) throws SQLException {
        return Values.object(raw(index), column(index));
    }

    @Override
    public Object getObject(int index, Map<String, Class<?>> map) throws SQLException {
        return getObject(index);
    }

    @Override
    public <T> T getObject(int index, Class<T> type) throws SQLException {
        if (type == null) {
            throw new SQLException("getObject(" + index + ", null): the type must not be null", "HY009");
        }
        return Values.as(raw(index), column(index), type);
    }

    @Override
    public Reader getCharacterStream(int index) throws SQLException {
        String s = getString(index);
        return s == null ? null : new StringReader(s);
    }

    @Override
    public Blob getBlob(int index) throws SQLException {
        byte[] b = getBytes(index);
        return b == null ? null : new SerialBlob(b);
    }

    @Override
    public Clob getClob(int index) throws SQLException {
        String s = getString(index);
        return s == null ? null : new SerialClob(s.toCharArray());
    }

    @Override
    public NClob getNClob(int index) throws SQLException {
        throw Unsupported.method("ResultSet.getNClob");
    }

    @Override
    public String getNString(int index) throws SQLException {
        return getString(index);
    }

    @Override
    public Reader getNCharacterStream(int index) throws SQLException {
        return getCharacterStream(index);
    }

    @Override
    public URL getURL(int index) throws SQLException {
        String s = getString(index);
        if (s == null) {
            return null;
        }
        try {
            return URI.create(s).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new SQLException("'" + s + "' is not a URL", "22018", e);
        }
    }

    @Override
    public int findColumn(String label) throws SQLException {
        checkOpen();
        Map<String, Integer> map = labels;
        if (map == null) {
            map = new HashMap<>();
            for (int i = columns.length - 1; i >= 0; i--) {
                map.put(columns[i].label().toLowerCase(Locale.ROOT), i + 1);
            }
            labels = map;
        }
        Integer index = label == null ? null : map.get(label.toLowerCase(Locale.ROOT));
        if (index == null) {
            throw new SQLException("no column labelled '" + label + "' in this result (its columns: "
                    + java.util.Arrays.stream(columns).map(Column::label).toList() + ")", "S0022");
        }
        return index;
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return new JdbcResultSetMetaData(columns);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
    }

    @Override
    public String getCursorName() throws SQLException {
        throw Unsupported.method("ResultSet.getCursorName");
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkOpen();
        return rowNumber == 0 && !end;
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkOpen();
        return end && rowNumber > 0 && row == null;
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkOpen();
        return rowNumber == 1 && row != null;
    }

    @Override
    public boolean isLast() throws SQLException {
        checkOpen();
        if (row == null) {
            return false;
        }
        if (!lookedAhead) {
            lookahead = end || (maxRows > 0 && rowNumber >= maxRows) ? null : source.next();
            lookedAhead = true;
        }
        return lookahead == null;
    }

    @Override
    public int getRow() throws SQLException {
        checkOpen();
        return row == null ? 0 : (int) Math.min(Integer.MAX_VALUE, rowNumber);
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != FETCH_FORWARD) {
            throw new SQLException("fetch direction " + direction + " is not supported: result sets are forward-only"
                    + " (expected ResultSet.FETCH_FORWARD)", "HY024");
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return FETCH_FORWARD;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw new SQLException("fetch size " + rows + " is negative", "HY024");
        }
        this.fetchSize = rows;
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public int getType() throws SQLException {
        checkOpen();
        return TYPE_FORWARD_ONLY;
    }

    @Override
    public int getConcurrency() throws SQLException {
        checkOpen();
        return CONCUR_READ_ONLY;
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean rowInserted() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public Statement getStatement() throws SQLException {
        checkOpen();
        return statement;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("this result set does not wrap a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("the result set is closed", "24000");
        }
    }

    // By label: each finds the column and delegates to the getter by index.

    @Override
    public String getString(String label) throws SQLException {
        return getString(findColumn(label));
    }

    @Override
    public boolean getBoolean(String label) throws SQLException {
        return getBoolean(findColumn(label));
    }

    @Override
    public byte getByte(String label) throws SQLException {
        return getByte(findColumn(label));
    }

    @Override
    public short getShort(String label) throws SQLException {
        return getShort(findColumn(label));
    }

    @Override
    public int getInt(String label) throws SQLException {
        return getInt(findColumn(label));
    }

    @Override
    public long getLong(String label) throws SQLException {
        return getLong(findColumn(label));
    }

    @Override
    public float getFloat(String label) throws SQLException {
        return getFloat(findColumn(label));
    }

    @Override
    public double getDouble(String label) throws SQLException {
        return getDouble(findColumn(label));
    }

    @Override
    public BigDecimal getBigDecimal(String label) throws SQLException {
        return getBigDecimal(findColumn(label));
    }

    @Override
    public byte[] getBytes(String label) throws SQLException {
        return getBytes(findColumn(label));
    }

    @Override
    public Date getDate(String label) throws SQLException {
        return getDate(findColumn(label));
    }

    @Override
    public Time getTime(String label) throws SQLException {
        return getTime(findColumn(label));
    }

    @Override
    public Timestamp getTimestamp(String label) throws SQLException {
        return getTimestamp(findColumn(label));
    }

    @Override
    public InputStream getAsciiStream(String label) throws SQLException {
        return getAsciiStream(findColumn(label));
    }

    @Override
    public InputStream getBinaryStream(String label) throws SQLException {
        return getBinaryStream(findColumn(label));
    }

    @Override
    public Object getObject(String label) throws SQLException {
        return getObject(findColumn(label));
    }

    @Override
    public Reader getCharacterStream(String label) throws SQLException {
        return getCharacterStream(findColumn(label));
    }

    @Override
    public Blob getBlob(String label) throws SQLException {
        return getBlob(findColumn(label));
    }

    @Override
    public Clob getClob(String label) throws SQLException {
        return getClob(findColumn(label));
    }

    @Override
    public String getNString(String label) throws SQLException {
        return getNString(findColumn(label));
    }

    @Override
    public Reader getNCharacterStream(String label) throws SQLException {
        return getNCharacterStream(findColumn(label));
    }

    @Override
    public NClob getNClob(String label) throws SQLException {
        return getNClob(findColumn(label));
    }

    @Override
    public URL getURL(String label) throws SQLException {
        return getURL(findColumn(label));
    }

    @Override
    public Date getDate(String label, Calendar cal) throws SQLException {
        return getDate(findColumn(label), cal);
    }

    @Override
    public Time getTime(String label, Calendar cal) throws SQLException {
        return getTime(findColumn(label), cal);
    }

    @Override
    public Timestamp getTimestamp(String label, Calendar cal) throws SQLException {
        return getTimestamp(findColumn(label), cal);
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public BigDecimal getBigDecimal(String label, int scale) throws SQLException {
        return getBigDecimal(findColumn(label), scale);
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public InputStream getUnicodeStream(String label) throws SQLException {
        return getUnicodeStream(findColumn(label));
    }

    @Override
    public Object getObject(String label, Map<String, Class<?>> map) throws SQLException {
        return getObject(findColumn(label), map);
    }

    @Override
    public <T> T getObject(String label, Class<T> type) throws SQLException {
        return getObject(findColumn(label), type);
    }
}
