package io.concurrence.db.internal;

/**
 * The word lists of {@link java.sql.DatabaseMetaData}: the MySQL keywords that are not SQL:2003 keywords, and the
 * scalar functions by JDBC category, as MySQL Connector/J 9 reports them (comma-separated, Open Group CLI names).
 */
final class MetaDataKeywords {

    static final String SQL_KEYWORDS = String.join(",",
            "ACCESSIBLE", "ADD", "ANALYZE", "ASC", "BEFORE", "CASCADE", "CHANGE", "CONTINUE", "DATABASE",
            "DATABASES", "DAY_HOUR", "DAY_MICROSECOND", "DAY_MINUTE", "DAY_SECOND", "DELAYED", "DESC",
            "DISTINCTROW", "DIV", "DUAL", "ELSEIF", "EMPTY", "ENCLOSED", "ESCAPED", "EXIT", "EXPLAIN",
            "FIRST_VALUE", "FLOAT4", "FLOAT8", "FORCE", "FULLTEXT", "GENERATED", "GROUPS", "HIGH_PRIORITY",
            "HOUR_MICROSECOND", "HOUR_MINUTE", "HOUR_SECOND", "IF", "IGNORE", "INDEX", "INFILE", "INT1", "INT2",
            "INT3", "INT4", "INT8", "IO_AFTER_GTIDS", "IO_BEFORE_GTIDS", "ITERATE", "JSON_TABLE", "KEY", "KEYS",
            "KILL", "LAG", "LAST_VALUE", "LEAD", "LEAVE", "LIMIT", "LINEAR", "LINES", "LOAD", "LOCK", "LONG",
            "LONGBLOB", "LONGTEXT", "LOOP", "LOW_PRIORITY", "MANUAL", "MASTER_BIND",
            "MASTER_SSL_VERIFY_SERVER_CERT", "MAXVALUE", "MEDIUMBLOB", "MEDIUMINT", "MEDIUMTEXT", "MIDDLEINT",
            "MINUTE_MICROSECOND", "MINUTE_SECOND", "NO_WRITE_TO_BINLOG", "NTH_VALUE", "NTILE", "OPTIMIZE",
            "OPTIMIZER_COSTS", "OPTION", "OPTIONALLY", "OUTFILE", "PARALLEL", "PURGE", "QUALIFY", "READ",
            "READ_WRITE", "REGEXP", "RENAME", "REPEAT", "REPLACE", "REQUIRE", "RESIGNAL", "RESTRICT", "RLIKE",
            "SCHEMA", "SCHEMAS", "SECOND_MICROSECOND", "SEPARATOR", "SHOW", "SIGNAL", "SPATIAL", "SQL_BIG_RESULT",
            "SQL_CALC_FOUND_ROWS", "SQL_SMALL_RESULT", "SSL", "STARTING", "STORED", "STRAIGHT_JOIN", "TERMINATED",
            "TINYBLOB", "TINYINT", "TINYTEXT", "UNDO", "UNLOCK", "UNSIGNED", "USAGE", "USE", "UTC_DATE",
            "UTC_TIME", "UTC_TIMESTAMP", "VARBINARY", "VARCHARACTER", "VIRTUAL", "WHILE", "WRITE", "XOR",
            "YEAR_MONTH", "ZEROFILL");

    static final String NUMERIC_FUNCTIONS = String.join(",",
            "ABS", "ACOS", "ASIN", "ATAN", "ATAN2", "BIT_COUNT", "CEILING", "COS", "COT", "DEGREES", "EXP", "FLOOR",
            "LOG", "LOG10", "MAX", "MIN", "MOD", "PI", "POW", "POWER", "RADIANS", "RAND", "ROUND", "SIN", "SQRT",
            "TAN", "TRUNCATE");

    // Connector/J repeats LOCATE and SUBSTRING (one per overload); the list keeps its exact text.
    static final String STRING_FUNCTIONS = String.join(",",
            "ASCII", "BIN", "BIT_LENGTH", "CHAR", "CHARACTER_LENGTH", "CHAR_LENGTH", "CONCAT", "CONCAT_WS", "CONV",
            "ELT", "EXPORT_SET", "FIELD", "FIND_IN_SET", "HEX", "INSERT", "INSTR", "LCASE", "LEFT", "LENGTH",
            "LOAD_FILE", "LOCATE", "LOCATE", "LOWER", "LPAD", "LTRIM", "MAKE_SET", "MATCH", "MID", "OCT",
            "OCTET_LENGTH", "ORD", "POSITION", "QUOTE", "REPEAT", "REPLACE", "REVERSE", "RIGHT", "RPAD", "RTRIM",
            "SOUNDEX", "SPACE", "STRCMP", "SUBSTRING", "SUBSTRING", "SUBSTRING", "SUBSTRING", "SUBSTRING_INDEX",
            "TRIM", "UCASE", "UPPER");

    static final String SYSTEM_FUNCTIONS = String.join(",",
            "DATABASE", "USER", "SYSTEM_USER", "SESSION_USER", "PASSWORD", "ENCRYPT", "LAST_INSERT_ID", "VERSION");

    static final String TIME_DATE_FUNCTIONS = String.join(",",
            "DAYOFWEEK", "WEEKDAY", "DAYOFMONTH", "DAYOFYEAR", "MONTH", "DAYNAME", "MONTHNAME", "QUARTER", "WEEK",
            "YEAR", "HOUR", "MINUTE", "SECOND", "PERIOD_ADD", "PERIOD_DIFF", "TO_DAYS", "FROM_DAYS", "DATE_FORMAT",
            "TIME_FORMAT", "CURDATE", "CURRENT_DATE", "CURTIME", "CURRENT_TIME", "NOW", "SYSDATE",
            "CURRENT_TIMESTAMP", "UNIX_TIMESTAMP", "FROM_UNIXTIME", "SEC_TO_TIME", "TIME_TO_SEC");

    private MetaDataKeywords() {
    }
}
