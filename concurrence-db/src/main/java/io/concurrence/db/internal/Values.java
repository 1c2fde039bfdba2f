package io.concurrence.db.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Calendar;
import java.util.Locale;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Conversions between the values R2DBC MySQL decodes ({@link Column#raw()}) and what JDBC getters return, the
 * way Connector/J converts them. A value that cannot become the asked type throws {@link SQLDataException}
 * (SQLState 22018, or 22003 when a number is out of range) naming the value and the type.
 */
final class Values {

    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    private Values() {
    }

    /** What {@code getObject(i)} returns for a raw value of {@code column}. */
    static @Nullable Object object(@Nullable Object raw, Column column) throws SQLException {
        if (raw == null) {
            return null;
        }
        if (column.bool()) {
            return raw instanceof Boolean b ? b : ((Number) raw).longValue() != 0;
        }
        return switch (column.mysqlType()) {
            case DATE -> java.sql.Date.valueOf((LocalDate) raw);
            case TIME -> time(raw);
            case TIMESTAMP -> Timestamp.valueOf((LocalDateTime) raw);
            case YEAR -> java.sql.Date.valueOf(LocalDate.of(((Number) raw).intValue(), 1, 1));
            default -> raw;
        };
    }

    static @Nullable String string(@Nullable Object raw, Column column) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof String s) {
            return s;
        }
        if (raw instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (raw instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (raw instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (raw instanceof LocalDateTime t) {
            return DATE_TIME.format(t);
        }
        if (raw instanceof Duration d) {
            return durationText(d);
        }
        return raw.toString();
    }

    static boolean bool(@Nullable Object raw) throws SQLException {
        if (raw == null) {
            return false;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof Number n) {
            return n instanceof BigDecimal d ? d.signum() != 0 : n.doubleValue() != 0;
        }
        String s = text(raw).trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("y") || s.equalsIgnoreCase("yes")) {
            return true;
        }
        if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("n") || s.equalsIgnoreCase("no") || s.isEmpty()) {
            return false;
        }
        try {
            return new BigDecimal(s).signum() != 0;
        } catch (NumberFormatException e) {
            throw cannot(raw, "boolean");
        }
    }

    static long integral(@Nullable Object raw, String type, long min, long max) throws SQLException {
        if (raw == null) {
            return 0;
        }
        long value;
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            value = ((Number) raw).longValue();
        } else if (raw instanceof Boolean b) {
            value = b ? 1 : 0;
        } else {
            BigDecimal decimal = decimal(raw);
            if (decimal == null) {
                return 0;
            }
            try {
                value = decimal.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
            } catch (ArithmeticException e) {
                throw outOfRange(raw, type);
            }
        }
        if (value < min || value > max) {
            throw outOfRange(raw, type);
        }
        return value;
    }

    static double floating(@Nullable Object raw, String type) throws SQLException {
        if (raw == null) {
            return 0;
        }
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof Boolean b) {
            return b ? 1 : 0;
        }
        try {
            return Double.parseDouble(text(raw).trim());
        } catch (NumberFormatException e) {
            throw cannot(raw, type);
        }
    }

    static @Nullable BigDecimal decimal(@Nullable Object raw) throws SQLException {
        if (raw == null) {
            return null;
        }
        if (raw instanceof BigDecimal d) {
            return d;
        }
        if (raw instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        if (raw instanceof Number n) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        if (raw instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(text(raw).trim());
        } catch (NumberFormatException e) {
            throw cannot(raw, "BigDecimal");
        }
    }

    static byte @Nullable [] bytes(@Nullable Object raw, Column column) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof byte[] b) {
            return b;
        }
        String s = string(raw, column);
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static @Nullable LocalDate localDate(@Nullable Object raw) throws SQLException {
        if (raw == null) {
            return null;
        }
        if (raw instanceof LocalDate d) {
            return d;
        }
        if (raw instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        if (raw instanceof Short || raw instanceof Integer) {
            return LocalDate.of(((Number) raw).intValue(), 1, 1);
        }
        String s = text(raw).trim();
        try {
            return s.length() > 10 ? LocalDateTime.parse(s, DATE_TIME).toLocalDate() : LocalDate.parse(s);
        } catch (RuntimeException e) {
            throw cannot(raw, "Date");
        }
    }

    static @Nullable LocalTime localTime(@Nullable Object raw) throws SQLException {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Duration d) {
            if (d.isNegative() || d.toDays() > 0) {
                throw cannot(raw, "Time (a TIME outside 00:00:00 to 23:59:59)");
            }
            return LocalTime.MIDNIGHT.plus(d);
        }
        if (raw instanceof LocalDateTime t) {
            return t.toLocalTime();
        }
        if (raw instanceof LocalTime t) {
            return t;
        }
        try {
            return LocalTime.parse(text(raw).trim());
        } catch (RuntimeException e) {
            throw cannot(raw, "Time");
        }
    }

    static @Nullable LocalDateTime localDateTime(@Nullable Object raw) throws SQLException {
        if (raw == null) {
            return null;
        }
        if (raw instanceof LocalDateTime t) {
            return t;
        }
        if (raw instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (raw instanceof Duration) {
            LocalTime time = localTime(raw);
            return time == null ? null : LocalDate.of(1970, 1, 1).atTime(time);
        }
        String s = text(raw).trim();
        try {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay() : LocalDateTime.parse(s, DATE_TIME);
        } catch (RuntimeException e) {
            throw cannot(raw, "Timestamp");
        }
    }

    static java.sql.@Nullable Date date(@Nullable Object raw, @Nullable Calendar calendar) throws SQLException {
        LocalDate d = localDate(raw);
        if (d == null) {
            return null;
        }
        if (calendar == null) {
            return java.sql.Date.valueOf(d);
        }
        return new java.sql.Date(d.atStartOfDay(zone(calendar)).toInstant().toEpochMilli());
    }

    static @Nullable Time time(@Nullable Object raw, @Nullable Calendar calendar) throws SQLException {
        LocalTime t = localTime(raw);
        if (t == null) {
            return null;
        }
        if (calendar == null) {
            return Time.valueOf(t);
        }
        return new Time(t.atDate(LocalDate.of(1970, 1, 1)).atZone(zone(calendar)).toInstant().toEpochMilli());
    }

    static @Nullable Timestamp timestamp(@Nullable Object raw, @Nullable Calendar calendar) throws SQLException {
        LocalDateTime t = localDateTime(raw);
        if (t == null) {
            return null;
        }
        if (calendar == null) {
            return Timestamp.valueOf(t);
        }
        return Timestamp.from(t.atZone(zone(calendar)).toInstant());
    }

    /** {@code getObject(i, type)}. */
    @SuppressWarnings("unchecked")
    static <T> @Nullable T as(@Nullable Object raw, Column column, Class<T> type) throws SQLException {
        if (raw == null) {
            return null;
        }
        Object value;
        if (type == String.class) {
            value = string(raw, column);
        } else if (type == Integer.class || type == int.class) {
            value = (int) integral(raw, "Integer", Integer.MIN_VALUE, Integer.MAX_VALUE);
        } else if (type == Long.class || type == long.class) {
            value = integral(raw, "Long", Long.MIN_VALUE, Long.MAX_VALUE);
        } else if (type == Short.class || type == short.class) {
            value = (short) integral(raw, "Short", Short.MIN_VALUE, Short.MAX_VALUE);
        } else if (type == Byte.class || type == byte.class) {
            value = (byte) integral(raw, "Byte", Byte.MIN_VALUE, Byte.MAX_VALUE);
        } else if (type == Boolean.class || type == boolean.class) {
            value = bool(raw);
        } else if (type == Double.class || type == double.class) {
            value = floating(raw, "Double");
        } else if (type == Float.class || type == float.class) {
            value = (float) floating(raw, "Float");
        } else if (type == BigDecimal.class) {
            value = decimal(raw);
        } else if (type == BigInteger.class) {
            value = raw instanceof BigInteger i ? i : decimal(raw).toBigInteger();
        } else if (type == byte[].class) {
            value = bytes(raw, column);
        } else if (type == LocalDate.class) {
            value = localDate(raw);
        } else if (type == LocalTime.class) {
            value = localTime(raw);
        } else if (type == LocalDateTime.class) {
            value = localDateTime(raw);
        } else if (type == Instant.class) {
            value = localDateTime(raw).atZone(ZoneId.systemDefault()).toInstant();
        } else if (type == OffsetDateTime.class) {
            value = localDateTime(raw).atZone(ZoneId.systemDefault()).toOffsetDateTime();
        } else if (type == ZonedDateTime.class) {
            value = localDateTime(raw).atZone(ZoneId.systemDefault());
        } else if (type == OffsetTime.class) {
            value = localTime(raw).atOffset(ZoneId.systemDefault().getRules().getOffset(Instant.now()));
        } else if (type == Duration.class) {
            value = raw instanceof Duration d ? d : Duration.between(LocalTime.MIDNIGHT, localTime(raw));
        } else if (type == java.sql.Date.class) {
            value = date(raw, null);
        } else if (type == Time.class) {
            value = time(raw, null);
        } else if (type == Timestamp.class || type == java.util.Date.class) {
            value = timestamp(raw, null);
        } else if (type == UUID.class) {
            value = uuid(raw);
        } else if (type == java.sql.Blob.class) {
            value = new javax.sql.rowset.serial.SerialBlob(bytes(raw, column));
        } else if (type == java.sql.Clob.class) {
            value = new javax.sql.rowset.serial.SerialClob(string(raw, column).toCharArray());
        } else if (type == Object.class) {
            value = object(raw, column);
        } else if (type.isInstance(raw)) {
            value = raw;
        } else {
            throw new SQLFeatureNotSupportedException("getObject(column, " + type.getName() + "): a "
                    + column.typeName() + " column cannot be read as " + type.getName());
        }
        return (T) value;
    }

    private static UUID uuid(Object raw) throws SQLException {
        if (raw instanceof byte[] b && b.length == 16) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b);
            return new UUID(buffer.getLong(), buffer.getLong());
        }
        try {
            return UUID.fromString(text(raw).trim());
        } catch (IllegalArgumentException e) {
            throw cannot(raw, "UUID");
        }
    }

    private static Time time(Object raw) throws SQLException {
        return Time.valueOf(localTime(raw));
    }

    private static String durationText(Duration d) {
        long seconds = Math.abs(d.getSeconds());
        String text = String.format(Locale.ROOT, "%s%02d:%02d:%02d", d.isNegative() ? "-" : "", seconds / 3600,
                (seconds % 3600) / 60, seconds % 60);
        int nanos = d.getNano();
        return nanos == 0 ? text : text + "." + String.format(Locale.ROOT, "%06d", nanos / 1000);
    }

    private static String text(Object raw) {
        return raw instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : raw.toString();
    }

    private static ZoneId zone(Calendar calendar) {
        return calendar.getTimeZone().toZoneId();
    }

    private static SQLDataException cannot(Object raw, String type) {
        return new SQLDataException("cannot convert '" + abbreviate(raw) + "' (" + raw.getClass().getSimpleName()
                + ") to " + type, "22018");
    }

    private static SQLDataException outOfRange(Object raw, String type) {
        return new SQLDataException("value '" + abbreviate(raw) + "' is out of range for " + type, "22003");
    }

    private static String abbreviate(Object raw) {
        String s = text(raw);
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
