package io.concurrence.db.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;

import io.asyncer.r2dbc.mysql.api.MySqlResult;
import io.asyncer.r2dbc.mysql.api.MySqlStatement;

/**
 * A statement with {@code ?} parameters. Values are bound, never spliced into the SQL by the facade: by default
 * R2DBC MySQL sends them escaped as literals of a text query (as Connector/J does by default); with
 * {@code useServerPrepareStatements=true} the server prepares the statement once per connection (cached) and the
 * values travel in MySQL's binary protocol.
 */
final class JdbcPreparedStatement extends JdbcStatement implements PreparedStatement {

    private final String sql;
    /** The SQL's first keyword, read once: it decides the checks and what the server answers with. */
    private final String keyword;
    private final boolean keys;
    private final int parameterCount;
    private final Object[] parameters;
    private final List<Object[]> batch = new ArrayList<>();

    JdbcPreparedStatement(JdbcConnection connection, String sql, boolean keys) throws SQLException {
        super(connection);
        if (sql == null || sql.isBlank()) {
            throw new SQLException("the SQL is empty: expected a statement", "42000");
        }
        this.sql = sql;
        this.keyword = Sql.firstKeyword(sql);
        this.keys = keys;
        this.parameterCount = Sql.countParameters(sql);
        this.parameters = new Object[parameterCount];
    }

    private Flux<? extends MySqlResult> execution(List<Object[]> sets) {
        MySqlStatement statement = connection.physical().createStatement(sql);
        for (int s = 0; s < sets.size(); s++) {
            if (s > 0) {
                statement.add();
            }
            Object[] values = sets.get(s);
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof Binds.Null n) {
                    statement.bindNull(i, n.type());
                } else {
                    statement.bind(i, values[i]);
                }
            }
        }
        return statement.execute();
    }

    private Object[] bound() throws SQLException {
        for (int i = 0; i < parameterCount; i++) {
            if (parameters[i] == null) {
                throw new SQLException("parameter " + (i + 1) + " is not set: expected a value for each of the "
                        + parameterCount + " '?' in: " + JdbcConnection.abbreviate(sql), "07001");
            }
        }
        return parameters.clone();
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        checkQuery(sql, keyword);
        if (!execute()) {
            throw new SQLException("not a query: the statement returned an update count, not a result set (use"
                    + " executeUpdate): " + JdbcConnection.abbreviate(sql), "07000");
        }
        return getResultSet();
    }

    @Override
    public int executeUpdate() throws SQLException {
        return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate());
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        checkUpdate(sql, keyword);
        return update(execute(), sql);
    }

    @Override
    public boolean execute() throws SQLException {
        checkOpen();
        List<Object[]> sets = List.<Object[]>of(bound());
        return run(() -> execution(sets), sql, keyword, keys);
    }

    @Override
    public void addBatch() throws SQLException {
        checkOpen();
        batch.add(bound());
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch.clear();
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        List<Object[]> sets = List.copyOf(batch);
        batch.clear();
        if (sets.isEmpty()) {
            return new long[0];
        }
        return runBatch(() -> execution(sets), sets.size(), sql);
    }

    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
        Arrays.fill(parameters, null);
    }

    private void set(int index, Object value) throws SQLException {
        checkOpen();
        if (index < 1 || index > parameterCount) {
            throw new SQLException("parameter index " + index + " is out of range: the SQL has " + parameterCount
                    + " '?' parameter(s), numbered from 1", "07009");
        }
        parameters[index - 1] = value;
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        set(index, Binds.nullOf(sqlType));
    }

    @Override
    public void setNull(int index, int sqlType, String typeName) throws SQLException {
        setNull(index, sqlType);
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        set(index, x);
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        set(index, (short) x);
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        set(index, x);
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        set(index, x);
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        set(index, x);
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        set(index, x);
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        set(index, x);
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
        set(index, Binds.value(x));
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        set(index, Binds.value(x));
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        setString(index, x);
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
        set(index, x == null ? new Binds.Null(byte[].class) : x);
    }

    @Override
    public void setDate(int index, Date x) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.DATE) : Binds.withCalendar(x, null));
    }

    @Override
    public void setDate(int index, Date x, Calendar cal) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.DATE) : Binds.withCalendar(x, cal));
    }

    @Override
    public void setTime(int index, Time x) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.TIME) : Binds.withCalendar(x, null));
    }

    @Override
    public void setTime(int index, Time x, Calendar cal) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.TIME) : Binds.withCalendar(x, cal));
    }

    @Override
    public void setTimestamp(int index, Timestamp x) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.TIMESTAMP) : Binds.withCalendar(x, null));
    }

    @Override
    public void setTimestamp(int index, Timestamp x, Calendar cal) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.TIMESTAMP) : Binds.withCalendar(x, cal));
    }

    @Override
    public void setAsciiStream(int index, InputStream x, int length) throws SQLException {
        setAsciiStream(index, x, (long) length);
    }

    @Override
    public void setAsciiStream(int index, InputStream x, long length) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.VARCHAR)
                : new String(Binds.bytes(x, length), java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Override
    public void setAsciiStream(int index, InputStream x) throws SQLException {
        setAsciiStream(index, x, -1L);
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int index, InputStream x, int length) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.VARCHAR)
                : new String(Binds.bytes(x, length), java.nio.charset.StandardCharsets.UTF_16BE));
    }

    @Override
    public void setBinaryStream(int index, InputStream x, int length) throws SQLException {
        setBinaryStream(index, x, (long) length);
    }

    @Override
    public void setBinaryStream(int index, InputStream x, long length) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.BLOB) : Binds.bytes(x, length));
    }

    @Override
    public void setBinaryStream(int index, InputStream x) throws SQLException {
        setBinaryStream(index, x, -1L);
    }

    @Override
    public void setCharacterStream(int index, Reader reader, int length) throws SQLException {
        setCharacterStream(index, reader, (long) length);
    }

    @Override
    public void setCharacterStream(int index, Reader reader, long length) throws SQLException {
        set(index, reader == null ? Binds.nullOf(Types.VARCHAR) : Binds.text(reader, length));
    }

    @Override
    public void setCharacterStream(int index, Reader reader) throws SQLException {
        setCharacterStream(index, reader, -1L);
    }

    @Override
    public void setNCharacterStream(int index, Reader value, long length) throws SQLException {
        setCharacterStream(index, value, length);
    }

    @Override
    public void setNCharacterStream(int index, Reader value) throws SQLException {
        setCharacterStream(index, value, -1L);
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType) throws SQLException {
        set(index, Binds.value(x, targetSqlType));
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        set(index, Binds.value(x));
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        Object value = Binds.value(x, targetSqlType);
        if (value instanceof BigDecimal d && (targetSqlType == Types.DECIMAL || targetSqlType == Types.NUMERIC)) {
            value = d.setScale(scaleOrLength, java.math.RoundingMode.HALF_UP);
        }
        set(index, value);
    }

    @Override
    public void setObject(int index, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        setObject(index, x, vendorType(targetSqlType), scaleOrLength);
    }

    @Override
    public void setObject(int index, Object x, SQLType targetSqlType) throws SQLException {
        setObject(index, x, vendorType(targetSqlType));
    }

    private static int vendorType(SQLType type) throws SQLException {
        Integer code = type == null ? null : type.getVendorTypeNumber();
        if (code == null) {
            throw new SQLException("SQL type " + type + " has no java.sql.Types code", "HY004");
        }
        return code;
    }

    @Override
    public void setBlob(int index, Blob x) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.BLOB) : Binds.value(x));
    }

    @Override
    public void setBlob(int index, InputStream inputStream, long length) throws SQLException {
        setBinaryStream(index, inputStream, length);
    }

    @Override
    public void setBlob(int index, InputStream inputStream) throws SQLException {
        setBinaryStream(index, inputStream, -1L);
    }

    @Override
    public void setClob(int index, Clob x) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.CLOB) : Binds.value(x));
    }

    @Override
    public void setClob(int index, Reader reader, long length) throws SQLException {
        setCharacterStream(index, reader, length);
    }

    @Override
    public void setClob(int index, Reader reader) throws SQLException {
        setCharacterStream(index, reader, -1L);
    }

    @Override
    public void setNClob(int index, NClob value) throws SQLException {
        setClob(index, value);
    }

    @Override
    public void setNClob(int index, Reader reader, long length) throws SQLException {
        setCharacterStream(index, reader, length);
    }

    @Override
    public void setNClob(int index, Reader reader) throws SQLException {
        setCharacterStream(index, reader, -1L);
    }

    @Override
    public void setURL(int index, URL x) throws SQLException {
        set(index, x == null ? Binds.nullOf(Types.VARCHAR) : x.toString());
    }

    @Override
    public void setRef(int index, Ref x) throws SQLException {
        throw Unsupported.method("PreparedStatement.setRef");
    }

    @Override
    public void setArray(int index, Array x) throws SQLException {
        throw Unsupported.method("PreparedStatement.setArray");
    }

    @Override
    public void setRowId(int index, RowId x) throws SQLException {
        throw Unsupported.method("PreparedStatement.setRowId");
    }

    @Override
    public void setSQLXML(int index, SQLXML xmlObject) throws SQLException {
        throw Unsupported.method("PreparedStatement.setSQLXML");
    }

    /** Not known before execution: R2DBC MySQL exposes no prepared-statement metadata. Returns null. */
    @Override
    public @Nullable ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        checkOpen();
        return new Parameters(parameterCount);
    }

    // JDBC forbids the SQL-taking forms on a PreparedStatement.

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        throw sqlForm("executeQuery");
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        throw sqlForm("executeUpdate");
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        throw sqlForm("execute");
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        throw sqlForm("addBatch");
    }

    private static SQLException sqlForm(String method) {
        return new SQLException("PreparedStatement." + method + "(String) is not allowed: the statement has its SQL"
                + " already; call " + method + "()", "HY000");
    }

    /** Parameter metadata: the count is known, the types are not (all reported as VARCHAR, mode IN). */
    private record Parameters(int count) implements ParameterMetaData {

        @Override
        public int getParameterCount() {
            return count;
        }

        private void check(int param) throws SQLException {
            if (param < 1 || param > count) {
                throw new SQLException("parameter index " + param + " is out of range: 1 to " + count, "07009");
            }
        }

        @Override
        public int isNullable(int param) throws SQLException {
            check(param);
            return parameterNullableUnknown;
        }

        @Override
        public boolean isSigned(int param) throws SQLException {
            check(param);
            return true;
        }

        @Override
        public int getPrecision(int param) throws SQLException {
            check(param);
            return 0;
        }

        @Override
        public int getScale(int param) throws SQLException {
            check(param);
            return 0;
        }

        @Override
        public int getParameterType(int param) throws SQLException {
            check(param);
            return Types.VARCHAR;
        }

        @Override
        public String getParameterTypeName(int param) throws SQLException {
            check(param);
            return "VARCHAR";
        }

        @Override
        public String getParameterClassName(int param) throws SQLException {
            check(param);
            return String.class.getName();
        }

        @Override
        public int getParameterMode(int param) throws SQLException {
            check(param);
            return parameterModeIn;
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("does not wrap " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }
    }
}
