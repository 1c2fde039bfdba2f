package io.concurrence.db.internal;

import java.sql.Types;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The MySQL/MariaDB type system as {@link java.sql.DatabaseMetaData} reports it: SQL expressions that turn the
 * type columns of {@code information_schema} into JDBC type codes, names and sizes, the {@code getTypeInfo} rows,
 * and the {@code supportsConvert} matrix. The mapping is the one MySQL Connector/J applies with its default
 * properties ({@code tinyInt1isBit=true}, {@code transformedBitIsBoolean=false}, {@code yearIsDateType=true}).
 *
 * <p>Stateless; the SQL text is built from constants only, never from caller input.
 */
final class MetaDataTypes {

    /**
     * Where the type facts of one column or routine parameter live: the qualified {@code information_schema}
     * column names (for example {@code c.DATA_TYPE}) that the expressions read.
     */
    record Source(String dataType, String columnType, String numericPrecision, String numericScale,
                  String charLength, String octetLength, String datetimePrecision) {
    }

    /** A table column, read from {@code information_schema.COLUMNS c}. */
    static final Source COLUMNS = new Source("c.DATA_TYPE", "c.COLUMN_TYPE", "c.NUMERIC_PRECISION",
            "c.NUMERIC_SCALE", "c.CHARACTER_MAXIMUM_LENGTH", "c.CHARACTER_OCTET_LENGTH", "c.DATETIME_PRECISION");

    /** A routine parameter or return value, read from {@code information_schema.PARAMETERS p}. */
    static final Source PARAMETERS = new Source("p.DATA_TYPE", "p.DTD_IDENTIFIER", "p.NUMERIC_PRECISION",
            "p.NUMERIC_SCALE", "p.CHARACTER_MAXIMUM_LENGTH", "p.CHARACTER_OCTET_LENGTH", "p.DATETIME_PRECISION");

    private static final Set<String> SPATIAL = Set.of("geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geometrycollection", "geomcollection");

    /** JDBC codes by lower-case {@code information_schema} DATA_TYPE; tinyint is special-cased (tinyint(1)). */
    private static final Map<String, Integer> JDBC_TYPES = jdbcTypes();

    private static final Set<Integer> NUMBERS = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER,
            Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL);

    private static final Set<Integer> CHARS_AND_BYTES = Set.of(Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR,
            Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY);

    private MetaDataTypes() {
    }

    private static Map<String, Integer> jdbcTypes() {
        Map<String, Integer> types = new LinkedHashMap<>();
        types.put("bit", Types.BIT);
        types.put("bool", Types.BOOLEAN);
        types.put("boolean", Types.BOOLEAN);
        types.put("smallint", Types.SMALLINT);
        types.put("mediumint", Types.INTEGER);
        types.put("int", Types.INTEGER);
        types.put("integer", Types.INTEGER);
        types.put("bigint", Types.BIGINT);
        types.put("decimal", Types.DECIMAL);
        types.put("numeric", Types.DECIMAL);
        types.put("float", Types.REAL);
        types.put("double", Types.DOUBLE);
        types.put("double precision", Types.DOUBLE);
        types.put("real", Types.DOUBLE);
        types.put("date", Types.DATE);
        types.put("year", Types.DATE);
        types.put("time", Types.TIME);
        types.put("datetime", Types.TIMESTAMP);
        types.put("timestamp", Types.TIMESTAMP);
        types.put("char", Types.CHAR);
        types.put("enum", Types.CHAR);
        types.put("set", Types.CHAR);
        types.put("varchar", Types.VARCHAR);
        types.put("tinytext", Types.VARCHAR);
        types.put("text", Types.LONGVARCHAR);
        types.put("mediumtext", Types.LONGVARCHAR);
        types.put("longtext", Types.LONGVARCHAR);
        types.put("json", Types.LONGVARCHAR);
        types.put("binary", Types.BINARY);
        types.put("varbinary", Types.VARBINARY);
        types.put("tinyblob", Types.VARBINARY);
        types.put("blob", Types.LONGVARBINARY);
        types.put("mediumblob", Types.LONGVARBINARY);
        types.put("longblob", Types.LONGVARBINARY);
        types.put("vector", Types.LONGVARBINARY);
        SPATIAL.stream().sorted().forEach(spatial -> types.put(spatial, Types.BINARY));
        return Collections.unmodifiableMap(types);
    }

    /** True for {@code tinyint(1)}, which Connector/J reports as {@link Types#BIT}. */
    private static String isTinyintOne(Source s) {
        return "(LOWER(" + s.dataType() + ") = 'tinyint' AND LOWER(" + s.columnType() + ") LIKE 'tinyint(1)%')";
    }

    /** The {@link Types} code of the source's type; {@link Types#OTHER} for types JDBC has no code for. */
    static String jdbcType(Source s) {
        StringBuilder sql = new StringBuilder("CAST(CASE WHEN ").append(isTinyintOne(s))
                .append(" THEN ").append(Types.BIT)
                .append(" WHEN LOWER(").append(s.dataType()).append(") = 'tinyint' THEN ").append(Types.TINYINT)
                .append(" ELSE CASE LOWER(").append(s.dataType()).append(')');
        JDBC_TYPES.forEach((name, code) -> sql.append(" WHEN '").append(name).append("' THEN ").append(code));
        return sql.append(" ELSE ").append(Types.OTHER).append(" END END AS SIGNED)").toString();
    }

    /** The type name as Connector/J spells it: upper case, {@code " UNSIGNED"} appended, tinyint(1) as BIT. */
    static String typeName(Source s) {
        return "CASE WHEN " + isTinyintOne(s) + " THEN 'BIT' ELSE CONCAT(UPPER(" + s.dataType() + "), CASE WHEN LOWER("
                + s.columnType() + ") LIKE '% unsigned%' THEN ' UNSIGNED' ELSE '' END) END";
    }

    /**
     * COLUMN_SIZE per the {@code getColumns} Javadoc: precision for numbers (1 for tinyint(1), bits for BIT),
     * characters for text, bytes for binaries, the length of the string form for temporal types, capped at
     * {@link Integer#MAX_VALUE} because the column is an {@code int}.
     */
    static String columnSize(Source s) {
        String type = "LOWER(" + s.dataType() + ")";
        String fraction = "CASE WHEN COALESCE(" + s.datetimePrecision() + ", 0) > 0 THEN " + s.datetimePrecision()
                + " + 1 ELSE 0 END";
        return "CAST(CASE WHEN " + isTinyintOne(s) + " THEN 1"
                + " WHEN " + type + " = 'date' THEN 10"
                + " WHEN " + type + " = 'year' THEN 4"
                + " WHEN " + type + " = 'time' THEN 8 + " + fraction
                + " WHEN " + type + " IN ('datetime', 'timestamp') THEN 19 + " + fraction
                + " WHEN " + s.numericPrecision() + " IS NOT NULL THEN " + s.numericPrecision()
                + " WHEN " + s.charLength() + " IS NOT NULL THEN LEAST(" + s.charLength() + ", 2147483647)"
                + " WHEN " + type + " IN (" + quotedList(SPATIAL) + ") THEN 65535"
                + " WHEN " + type + " = 'uuid' THEN 36"
                + " WHEN " + type + " = 'inet4' THEN 15"
                + " WHEN " + type + " = 'inet6' THEN 39"
                + " ELSE NULL END AS SIGNED)";
    }

    /**
     * DECIMAL_DIGITS: the scale of exact and approximate numbers (0 when the server has none, as Connector/J says),
     * the fractional-second digits of temporal types, null for the rest.
     */
    static String decimalDigits(Source s) {
        String type = "LOWER(" + s.dataType() + ")";
        return "CAST(CASE WHEN " + type + " IN ('decimal', 'numeric', 'float', 'double', 'real')"
                + " THEN COALESCE(" + s.numericScale() + ", 0)"
                + " WHEN " + type + " IN ('time', 'datetime', 'timestamp') THEN " + s.datetimePrecision()
                + " ELSE NULL END AS SIGNED)";
    }

    /** CHAR_OCTET_LENGTH: the maximum bytes of a text or binary value, null for other types. */
    static String charOctetLength(Source s) {
        return "CAST(LEAST(" + s.octetLength() + ", 2147483647) AS SIGNED)";
    }

    /** The {@code supportsConvert(fromType, toType)} matrix of Connector/J (for {@code CONVERT} in SQL). */
    static boolean supportsConvert(int fromType, int toType) {
        if (NUMBERS.contains(fromType)) {
            return NUMBERS.contains(toType) || CHARS_AND_BYTES.contains(toType);
        }
        if (CHARS_AND_BYTES.contains(fromType)) {
            return NUMBERS.contains(toType) || CHARS_AND_BYTES.contains(toType) || toType == Types.DATE
                    || toType == Types.TIME || toType == Types.TIMESTAMP || toType == Types.OTHER;
        }
        return switch (fromType) {
            case Types.DATE, Types.TIME, Types.OTHER -> CHARS_AND_BYTES.contains(toType);
            case Types.TIMESTAMP -> CHARS_AND_BYTES.contains(toType) || toType == Types.DATE || toType == Types.TIME;
            default -> false;
        };
    }

    private static String quotedList(Set<String> names) {
        return names.stream().sorted().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
    }
}
