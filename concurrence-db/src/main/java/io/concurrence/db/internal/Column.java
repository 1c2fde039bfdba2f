package io.concurrence.db.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSetMetaData;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;

import org.jspecify.annotations.Nullable;

import io.asyncer.r2dbc.mysql.api.MySqlColumnMetadata;
import io.asyncer.r2dbc.mysql.api.MySqlNativeTypeMetadata;
import io.asyncer.r2dbc.mysql.constant.MySqlType;

/**
 * One column of a result: its name, its MySQL type, how it is decoded ({@link #raw()}, the class asked of R2DBC
 * MySQL for each value) and how {@code getObject} presents it ({@link #jdbcType()} and {@link #className()}, as
 * Connector/J does).
 *
 * @param label the column's name or alias
 * @param mysqlType the MySQL type as R2DBC MySQL reports it
 * @param raw the class each value is decoded to
 * @param jdbcType the {@link Types} code
 * @param typeName the SQL type name, e.g. {@code BIGINT UNSIGNED}
 * @param className the class {@code getObject} returns
 * @param bool whether {@code getObject} presents the value as a Boolean (TINYINT(1), BIT(1))
 * @param precision the column's precision or length
 * @param scale the column's scale
 * @param nullable a {@link ResultSetMetaData} nullability code
 * @param signed whether numbers are signed
 */
public record Column(String label, MySqlType mysqlType, Class<?> raw, int jdbcType, String typeName,
        String className, boolean bool, int precision, int scale, int nullable, boolean signed) {

    /** The protocol's type id of CHAR and BINARY columns (VARCHAR and VARBINARY are 253). */
    private static final int MYSQL_TYPE_STRING = 254;

    /** Describes a column from its R2DBC MySQL metadata. */
    static Column of(MySqlColumnMetadata metadata, boolean tinyInt1isBit) {
        MySqlType type = metadata.getType();
        Integer p = metadata.getPrecision();
        Integer s = metadata.getScale();
        int precision = p == null ? 0 : p;
        int scale = s == null ? 0 : s;
        MySqlNativeTypeMetadata nativeType = metadata.getNativeTypeMetadata();
        int nullable = switch (metadata.getNullability()) {
            case NON_NULL -> ResultSetMetaData.columnNoNulls;
            case NULLABLE -> ResultSetMetaData.columnNullable;
            default -> ResultSetMetaData.columnNullableUnknown;
        };
        boolean signed = nativeType == null || !nativeType.isUnsigned();
        String label = metadata.getName();
        return switch (type) {
            case TINYINT -> precision == 1 && tinyInt1isBit
                    ? new Column(label, type, Integer.class, Types.BIT, "BIT", Boolean.class.getName(), true,
                            precision, scale, nullable, signed)
                    : integer(label, type, Types.TINYINT, "TINYINT", precision, nullable);
            case TINYINT_UNSIGNED -> integer(label, type, Types.TINYINT, "TINYINT UNSIGNED", precision, nullable);
            case SMALLINT -> integer(label, type, Types.SMALLINT, "SMALLINT", precision, nullable);
            case SMALLINT_UNSIGNED -> integer(label, type, Types.SMALLINT, "SMALLINT UNSIGNED", precision, nullable);
            case MEDIUMINT -> integer(label, type, Types.INTEGER, "MEDIUMINT", precision, nullable);
            case MEDIUMINT_UNSIGNED -> integer(label, type, Types.INTEGER, "MEDIUMINT UNSIGNED", precision, nullable);
            case INT -> integer(label, type, Types.INTEGER, "INT", precision, nullable);
            case INT_UNSIGNED -> new Column(label, type, Long.class, Types.INTEGER, "INT UNSIGNED",
                    Long.class.getName(), false, precision, 0, nullable, false);
            case BIGINT -> new Column(label, type, Long.class, Types.BIGINT, "BIGINT", Long.class.getName(), false,
                    precision, 0, nullable, true);
            case BIGINT_UNSIGNED -> new Column(label, type, BigInteger.class, Types.BIGINT, "BIGINT UNSIGNED",
                    BigInteger.class.getName(), false, precision, 0, nullable, false);
            case DECIMAL -> new Column(label, type, BigDecimal.class, Types.DECIMAL, "DECIMAL",
                    BigDecimal.class.getName(), false, precision, scale, nullable, signed);
            case FLOAT -> new Column(label, type, Float.class, Types.REAL, "FLOAT", Float.class.getName(), false,
                    precision, scale, nullable, signed);
            case DOUBLE -> new Column(label, type, Double.class, Types.DOUBLE, "DOUBLE", Double.class.getName(),
                    false, precision, scale, nullable, signed);
            case BIT -> precision <= 1
                    ? new Column(label, type, Boolean.class, Types.BIT, "BIT", Boolean.class.getName(), true,
                            precision, 0, nullable, false)
                    : bytes(label, type, Types.BIT, "BIT", precision, nullable);
            case DATE -> new Column(label, type, LocalDate.class, Types.DATE, "DATE", java.sql.Date.class.getName(),
                    false, 10, 0, nullable, false);
            case TIME -> new Column(label, type, Duration.class, Types.TIME, "TIME", java.sql.Time.class.getName(),
                    false, precision, scale, nullable, false);
            case DATETIME -> new Column(label, type, LocalDateTime.class, Types.TIMESTAMP, "DATETIME",
                    LocalDateTime.class.getName(), false, precision, scale, nullable, false);
            case TIMESTAMP -> new Column(label, type, LocalDateTime.class, Types.TIMESTAMP, "TIMESTAMP",
                    java.sql.Timestamp.class.getName(), false, precision, scale, nullable, false);
            case YEAR -> new Column(label, type, Short.class, Types.DATE, "YEAR", java.sql.Date.class.getName(),
                    false, 4, 0, nullable, false);
            // R2DBC MySQL reports CHAR and BINARY as VARCHAR and VARBINARY; the protocol's type id tells them apart.
            case VARCHAR -> fixedLength(nativeType) ? text(label, type, Types.CHAR, "CHAR", precision, nullable)
                    : text(label, type, Types.VARCHAR, "VARCHAR", precision, nullable);
            case TINYTEXT -> text(label, type, Types.VARCHAR, "TINYTEXT", precision, nullable);
            case TEXT, MEDIUMTEXT, LONGTEXT -> text(label, type, Types.LONGVARCHAR, type.name(), precision, nullable);
            case JSON -> text(label, type, Types.LONGVARCHAR, "JSON", precision, nullable);
            case ENUM -> text(label, type, Types.CHAR, "ENUM", precision, nullable);
            case SET -> text(label, type, Types.CHAR, "SET", precision, nullable);
            case VARBINARY -> fixedLength(nativeType) ? bytes(label, type, Types.BINARY, "BINARY", precision, nullable)
                    : bytes(label, type, Types.VARBINARY, "VARBINARY", precision, nullable);
            case TINYBLOB -> bytes(label, type, Types.VARBINARY, "TINYBLOB", precision, nullable);
            case BLOB, MEDIUMBLOB, LONGBLOB -> bytes(label, type, Types.LONGVARBINARY, type.name(), precision,
                    nullable);
            case GEOMETRY -> bytes(label, type, Types.BINARY, "GEOMETRY", precision, nullable);
            case NULL -> new Column(label, type, Object.class, Types.NULL, "NULL", Object.class.getName(), false, 0,
                    0, ResultSetMetaData.columnNullable, false);
            default -> text(label, type, Types.VARCHAR, "UNKNOWN", precision, nullable);
        };
    }

    /** A column of {@code BIGINT UNSIGNED} values: the generated keys of an insert. */
    static Column generatedKey() {
        return new Column("GENERATED_KEY", MySqlType.BIGINT_UNSIGNED, BigInteger.class, Types.BIGINT,
                "BIGINT UNSIGNED", BigInteger.class.getName(), false, 20, 0, ResultSetMetaData.columnNoNulls, false);
    }

    /** Whether the column is CHAR or BINARY: the protocol's MYSQL_TYPE_STRING (254), not VAR_STRING (253). */
    private static boolean fixedLength(@Nullable MySqlNativeTypeMetadata nativeType) {
        return nativeType != null && nativeType.getTypeId() == MYSQL_TYPE_STRING;
    }

    /** Whether values of this column are text ({@code getString} needs no conversion). */
    boolean textual() {
        return raw == String.class;
    }

    private static Column integer(String label, MySqlType type, int jdbcType, String name, int precision,
            int nullable) {
        return new Column(label, type, Integer.class, jdbcType, name, Integer.class.getName(), false, precision, 0,
                nullable, !name.endsWith("UNSIGNED"));
    }

    private static Column text(String label, MySqlType type, int jdbcType, String name, int precision,
            int nullable) {
        return new Column(label, type, String.class, jdbcType, name, String.class.getName(), false, precision, 0,
                nullable, false);
    }

    private static Column bytes(String label, MySqlType type, int jdbcType, String name, int precision,
            int nullable) {
        return new Column(label, type, byte[].class, jdbcType, name, "[B", false, precision, 0, nullable, false);
    }
}
