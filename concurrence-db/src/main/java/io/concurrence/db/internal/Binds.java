package io.concurrence.db.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Turns what JDBC setters receive into values R2DBC MySQL binds: {@code java.sql} dates become {@code java.time}
 * ones, streams and readers are read, and SQL {@code NULL} keeps a type ({@link Null}).
 */
final class Binds {

    /** SQL NULL, bound with the class R2DBC MySQL needs for its type. */
    record Null(Class<?> type) {
    }

    private Binds() {
    }

    static Null nullOf(int sqlType) {
        return new Null(switch (sqlType) {
            case Types.BIT, Types.BOOLEAN -> Boolean.class;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> Integer.class;
            case Types.BIGINT -> Long.class;
            case Types.REAL, Types.FLOAT -> Float.class;
            case Types.DOUBLE -> Double.class;
            case Types.DECIMAL, Types.NUMERIC -> BigDecimal.class;
            case Types.DATE -> LocalDate.class;
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> LocalTime.class;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> LocalDateTime.class;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> byte[].class;
            default -> String.class;
        });
    }

    /** The value to bind for {@code setObject(i, x)} (and every typed setter). */
    static Object value(@Nullable Object x) throws SQLException {
        if (x == null) {
            return new Null(String.class);
        }
        if (x instanceof String || x instanceof Integer || x instanceof Long || x instanceof BigDecimal
                || x instanceof byte[] || x instanceof Boolean || x instanceof Double || x instanceof Float
                || x instanceof Short || x instanceof Byte || x instanceof BigInteger || x instanceof LocalDate
                || x instanceof LocalTime || x instanceof LocalDateTime || x instanceof Duration
                || x instanceof Year || x instanceof Null) {
            return x;
        }
        if (x instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (x instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (x instanceof Time t) {
            return t.toLocalTime();
        }
        if (x instanceof java.util.Date d) {
            return LocalDateTime.ofInstant(d.toInstant(), ZoneId.systemDefault());
        }
        if (x instanceof Instant i) {
            return LocalDateTime.ofInstant(i, ZoneId.systemDefault());
        }
        if (x instanceof OffsetDateTime t) {
            return t.atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
        }
        if (x instanceof ZonedDateTime t) {
            return t.withZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
        }
        if (x instanceof OffsetTime t) {
            return t.toLocalTime();
        }
        if (x instanceof Character c) {
            return c.toString();
        }
        if (x instanceof Enum<?> e) {
            return e.name();
        }
        if (x instanceof UUID u) {
            return u.toString();
        }
        if (x instanceof InputStream in) {
            return bytes(in, -1);
        }
        if (x instanceof Reader r) {
            return text(r, -1);
        }
        if (x instanceof Blob b) {
            return b.getBytes(1, (int) b.length());
        }
        if (x instanceof Clob c) {
            return c.getSubString(1, (int) c.length());
        }
        if (x instanceof java.nio.ByteBuffer b) {
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            return copy;
        }
        throw new SQLFeatureNotSupportedException("cannot bind a " + x.getClass().getName() + ": expected a String,"
                + " number, Boolean, byte[], java.time or java.sql date/time, InputStream, Reader, Blob, Clob, UUID"
                + " or enum", "0A000");
    }

    /** {@code setObject(i, x, targetSqlType)}: converts {@code x} towards the SQL type first. */
    static Object value(@Nullable Object x, int sqlType) throws SQLException {
        if (x == null) {
            return nullOf(sqlType);
        }
        Object v = value(x);
        try {
            return switch (sqlType) {
                case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.NCHAR, Types.LONGNVARCHAR,
                        Types.CLOB -> v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
                case Types.BIT, Types.BOOLEAN -> v instanceof Boolean ? v : Values.bool(v);
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> v instanceof Integer ? v
                        : (int) Values.integral(v, "int", Integer.MIN_VALUE, Integer.MAX_VALUE);
                case Types.BIGINT -> v instanceof Long || v instanceof BigInteger ? v
                        : Values.integral(v, "long", Long.MIN_VALUE, Long.MAX_VALUE);
                case Types.DECIMAL, Types.NUMERIC -> Values.decimal(v);
                case Types.REAL, Types.FLOAT, Types.DOUBLE -> Values.floating(v, "double");
                case Types.DATE -> Values.localDate(v);
                case Types.TIME -> Values.localTime(v);
                case Types.TIMESTAMP -> Values.localDateTime(v);
                default -> v;
            };
        } catch (SQLException e) {
            throw new SQLException("cannot bind " + x.getClass().getSimpleName() + " as SQL type " + sqlType + ": "
                    + e.getMessage(), "22018", e);
        }
    }

    static LocalDateTime withCalendar(Timestamp t, @Nullable Calendar calendar) {
        return calendar == null ? t.toLocalDateTime()
                : LocalDateTime.ofInstant(t.toInstant(), calendar.getTimeZone().toZoneId());
    }

    static LocalDate withCalendar(java.sql.Date d, @Nullable Calendar calendar) {
        return calendar == null ? d.toLocalDate()
                : Instant.ofEpochMilli(d.getTime()).atZone(calendar.getTimeZone().toZoneId()).toLocalDate();
    }

    static LocalTime withCalendar(Time t, @Nullable Calendar calendar) {
        return calendar == null ? t.toLocalTime()
                : Instant.ofEpochMilli(t.getTime()).atZone(calendar.getTimeZone().toZoneId()).toLocalTime();
    }

    static byte[] bytes(InputStream in, long length) throws SQLException {
        try {
            return length < 0 ? in.readAllBytes() : in.readNBytes((int) Math.min(Integer.MAX_VALUE, length));
        } catch (IOException e) {
            throw new SQLException("reading the stream to bind failed: " + e.getMessage(), "HY000", e);
        }
    }

    static String text(Reader reader, long length) throws SQLException {
        try {
            StringBuilder sb = new StringBuilder();
            char[] buffer = new char[8192];
            long left = length < 0 ? Long.MAX_VALUE : length;
            int n;
            while (left > 0 && (n = reader.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                sb.append(buffer, 0, n);
                left -= n;
            }
            return sb.toString();
        } catch (IOException e) {
            throw new SQLException("reading the reader to bind failed: " + e.getMessage(), "HY000", e);
        }
    }
}
