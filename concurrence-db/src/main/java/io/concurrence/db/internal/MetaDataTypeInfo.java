package io.concurrence.db.internal;

import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The rows of {@link DatabaseMetaData#getTypeInfo()}: the MySQL/MariaDB types with the answers MySQL Connector/J 9
 * gives for them, in its order (by DATA_TYPE, then by how closely the type matches the JDBC type), and the SQL
 * that produces them as a result set (the driver has no in-memory result set).
 *
 * <p>Stateless; the SQL is built once from the constants below.
 */
final class MetaDataTypeInfo {

    private static final String QUOTE = "'";
    private static final String NONE = "";
    private static final String INTEGER_PARAMS = "[(M)] [UNSIGNED] [ZEROFILL]";
    private static final String REAL_PARAMS = "[(M,D)] [UNSIGNED] [ZEROFILL]";
    private static final String CHARSET = " [CHARACTER SET charset_name] [COLLATE collation_name]";
    private static final String ENUM_PARAMS = "('value1','value2',...)" + CHARSET;
    private static final String FSP = "[(fsp)]";

    /**
     * One type. {@code literalQuote} is both LITERAL_PREFIX and LITERAL_SUFFIX; {@code autoIncrement} is the
     * AUTO_INCREMENT column; the scales are MINIMUM_SCALE and MAXIMUM_SCALE.
     */
    private record Row(String name, int jdbcType, long precision, String literalQuote, String createParams,
                       boolean unsigned, boolean autoIncrement, String localName, int minScale, int maxScale) {
    }

    private static final List<Row> ROWS = List.of(
            other("BIT", Types.BIT, 1, NONE, "[(M)]", "BIT"),
            integer("TINYINT", Types.TINYINT, 3, false),
            integer("TINYINT UNSIGNED", Types.TINYINT, 3, true),
            integer("BIGINT", Types.BIGINT, 19, false),
            integer("BIGINT UNSIGNED", Types.BIGINT, 20, true),
            other("LONG VARBINARY", Types.LONGVARBINARY, 16777215, QUOTE, NONE, "MEDIUMBLOB"),
            other("MEDIUMBLOB", Types.LONGVARBINARY, 16777215, QUOTE, NONE, "MEDIUMBLOB"),
            other("LONGBLOB", Types.LONGVARBINARY, Integer.MAX_VALUE, QUOTE, NONE, "LONGBLOB"),
            other("BLOB", Types.LONGVARBINARY, 65535, QUOTE, "[(M)]", "BLOB"),
            other("VECTOR", Types.LONGVARBINARY, 65532, QUOTE, "[(M)]", "VECTOR"),
            other("VARBINARY", Types.VARBINARY, 65535, QUOTE, "(M)", "VARBINARY"),
            other("TINYBLOB", Types.VARBINARY, 255, QUOTE, NONE, "TINYBLOB"),
            other("BINARY", Types.BINARY, 255, QUOTE, "(M)", "BINARY"),
            other("LONG VARCHAR", Types.LONGVARCHAR, 16777215, QUOTE, CHARSET, "MEDIUMTEXT"),
            other("MEDIUMTEXT", Types.LONGVARCHAR, 16777215, QUOTE, CHARSET, "MEDIUMTEXT"),
            other("LONGTEXT", Types.LONGVARCHAR, Integer.MAX_VALUE, QUOTE, CHARSET, "LONGTEXT"),
            other("TEXT", Types.LONGVARCHAR, 65535, QUOTE, "[(M)]" + CHARSET, "TEXT"),
            other("CHAR", Types.CHAR, 255, QUOTE, "[(M)]" + CHARSET, "CHAR"),
            other("ENUM", Types.CHAR, 65535, QUOTE, ENUM_PARAMS, "ENUM"),
            other("SET", Types.CHAR, 64, QUOTE, ENUM_PARAMS, "SET"),
            decimal("DECIMAL"),
            decimal("NUMERIC"),
            integer("INTEGER", Types.INTEGER, 10, false, "INT"),
            integer("INT", Types.INTEGER, 10, false),
            integer("MEDIUMINT", Types.INTEGER, 7, false),
            integer("INTEGER UNSIGNED", Types.INTEGER, 10, true, "INT UNSIGNED"),
            integer("INT UNSIGNED", Types.INTEGER, 10, true),
            integer("MEDIUMINT UNSIGNED", Types.INTEGER, 8, true),
            integer("SMALLINT", Types.SMALLINT, 5, false),
            integer("SMALLINT UNSIGNED", Types.SMALLINT, 5, true),
            new Row("FLOAT", Types.REAL, 12, NONE, REAL_PARAMS, false, true, "FLOAT", -38, 38),
            real("DOUBLE", false, "DOUBLE"),
            real("DOUBLE PRECISION", false, "DOUBLE"),
            real("REAL", false, "DOUBLE"),
            real("DOUBLE UNSIGNED", true, "DOUBLE UNSIGNED"),
            real("DOUBLE PRECISION UNSIGNED", true, "DOUBLE UNSIGNED"),
            other("VARCHAR", Types.VARCHAR, 65535, QUOTE, "(M)" + CHARSET, "VARCHAR"),
            other("TINYTEXT", Types.VARCHAR, 255, QUOTE, CHARSET, "TINYTEXT"),
            new Row("BOOL", Types.BOOLEAN, 3, NONE, NONE, false, true, "BOOLEAN", 0, 0),
            other("DATE", Types.DATE, 10, QUOTE, NONE, "DATE"),
            other("YEAR", Types.DATE, 4, NONE, "[(4)]", "YEAR"),
            other("TIME", Types.TIME, 16, QUOTE, FSP, "TIME"),
            other("DATETIME", Types.TIMESTAMP, 26, QUOTE, FSP, "DATETIME"),
            other("TIMESTAMP", Types.TIMESTAMP, 26, QUOTE, FSP, "TIMESTAMP"));

    /** The {@code getTypeInfo} query: one constant SELECT per row, kept in order by a hidden ordinal. */
    static final String SQL = sql();

    private MetaDataTypeInfo() {
    }

    private static Row integer(String name, int jdbcType, long precision, boolean unsigned) {
        return integer(name, jdbcType, precision, unsigned, name);
    }

    private static Row integer(String name, int jdbcType, long precision, boolean unsigned, String localName) {
        return new Row(name, jdbcType, precision, NONE, INTEGER_PARAMS, unsigned, true, localName, 0, 0);
    }

    private static Row decimal(String name) {
        return new Row(name, Types.DECIMAL, 65, NONE, "[(M[,D])] [UNSIGNED] [ZEROFILL]", false, false, "DECIMAL",
                -308, 308);
    }

    private static Row real(String name, boolean unsigned, String localName) {
        return new Row(name, Types.DOUBLE, 22, NONE, REAL_PARAMS, unsigned, true, localName, -308, 308);
    }

    private static Row other(String name, int jdbcType, long precision, String literalQuote, String createParams,
                             String localName) {
        return new Row(name, jdbcType, precision, literalQuote, createParams, false, false, localName, 0, 0);
    }

    private static String sql() {
        String rows = IntStream.range(0, ROWS.size())
                .mapToObj(i -> select(ROWS.get(i), i))
                .collect(Collectors.joining(" UNION ALL "));
        return "SELECT t.TYPE_NAME, t.DATA_TYPE, t.PRECISION, t.LITERAL_PREFIX, t.LITERAL_SUFFIX, t.CREATE_PARAMS,"
                + " t.NULLABLE, t.CASE_SENSITIVE, t.SEARCHABLE, t.UNSIGNED_ATTRIBUTE, t.FIXED_PREC_SCALE,"
                + " t.AUTO_INCREMENT, t.LOCAL_TYPE_NAME, t.MINIMUM_SCALE, t.MAXIMUM_SCALE, t.SQL_DATA_TYPE,"
                + " t.SQL_DATETIME_SUB, t.NUM_PREC_RADIX FROM (" + rows + ") t ORDER BY t.ORDINAL";
    }

    private static String select(Row row, int ordinal) {
        return "SELECT " + literal(row.name()) + " AS TYPE_NAME, "
                + row.jdbcType() + " AS DATA_TYPE, "
                + row.precision() + " AS `PRECISION`, "
                + literal(row.literalQuote()) + " AS LITERAL_PREFIX, "
                + literal(row.literalQuote()) + " AS LITERAL_SUFFIX, "
                + literal(row.createParams()) + " AS CREATE_PARAMS, "
                + DatabaseMetaData.typeNullable + " AS NULLABLE, "
                + "TRUE AS CASE_SENSITIVE, "
                + DatabaseMetaData.typeSearchable + " AS SEARCHABLE, "
                + row.unsigned() + " AS UNSIGNED_ATTRIBUTE, "
                + "FALSE AS FIXED_PREC_SCALE, "
                + row.autoIncrement() + " AS AUTO_INCREMENT, "
                + literal(row.localName()) + " AS LOCAL_TYPE_NAME, "
                + row.minScale() + " AS MINIMUM_SCALE, "
                + row.maxScale() + " AS MAXIMUM_SCALE, "
                + "0 AS SQL_DATA_TYPE, 0 AS SQL_DATETIME_SUB, 10 AS NUM_PREC_RADIX, "
                + ordinal + " AS ORDINAL";
    }

    /** A SQL string literal of a constant above (none holds a backslash; quotes are doubled anyway). */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
