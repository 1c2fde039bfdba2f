package io.concurrence.db.internal;

import java.sql.DatabaseMetaData;
import java.util.Arrays;
import java.util.stream.Collectors;

import io.concurrence.db.internal.MetaDataTypes.Source;

import static io.concurrence.db.internal.MetaDataTypes.charOctetLength;
import static io.concurrence.db.internal.MetaDataTypes.columnSize;
import static io.concurrence.db.internal.MetaDataTypes.decimalDigits;
import static io.concurrence.db.internal.MetaDataTypes.jdbcType;
import static io.concurrence.db.internal.MetaDataTypes.typeName;

/**
 * The SQL of {@link JdbcDatabaseMetaData}: for each result-set method, a SELECT over {@code information_schema}
 * whose columns carry the exact labels, in the exact order, of the {@link DatabaseMetaData} Javadoc, ending in a
 * WHERE clause that {@link MetaDataQuery} narrows with parameters; and the constant queries (always-empty results
 * and fixed lists), since the driver has no in-memory result set.
 *
 * <p>Catalogs are databases ({@code TABLE_SCHEMA}); the JDBC schema columns are always null. Numbers are cast to
 * {@code SIGNED} so that every numeric column arrives as a BIGINT whatever unsigned or decimal type
 * {@code information_schema} uses. Stateless; all text here is constant.
 */
final class MetaDataSql {

    private static final String NULL_TEXT = "CAST(NULL AS CHAR)";
    private static final String NULL_INT = "CAST(NULL AS SIGNED)";

    static final String CATALOGS = "SELECT s.SCHEMA_NAME AS TABLE_CAT FROM information_schema.SCHEMATA s WHERE 1=1";

    /** Connector/J's table types: base tables of the system databases are SYSTEM TABLE. */
    static final String TABLE_TYPE = "CASE WHEN t.TABLE_TYPE = 'BASE TABLE' THEN CASE WHEN t.TABLE_SCHEMA IN"
            + " ('mysql', 'performance_schema', 'sys') THEN 'SYSTEM TABLE' ELSE 'TABLE' END"
            + " WHEN t.TABLE_TYPE = 'TEMPORARY' THEN 'LOCAL TEMPORARY' ELSE t.TABLE_TYPE END";

    static final String TABLES = "SELECT t.TABLE_SCHEMA AS TABLE_CAT, " + NULL_TEXT + " AS TABLE_SCHEM,"
            + " t.TABLE_NAME AS TABLE_NAME, " + TABLE_TYPE + " AS TABLE_TYPE,"
            + " CASE WHEN t.TABLE_TYPE = 'VIEW' THEN '' ELSE t.TABLE_COMMENT END AS REMARKS,"
            + " " + NULL_TEXT + " AS TYPE_CAT, " + NULL_TEXT + " AS TYPE_SCHEM, " + NULL_TEXT + " AS TYPE_NAME,"
            + " " + NULL_TEXT + " AS SELF_REFERENCING_COL_NAME, " + NULL_TEXT + " AS REF_GENERATION"
            + " FROM information_schema.TABLES t WHERE 1=1";

    static final String TABLES_ORDER = "TABLE_TYPE, TABLE_CAT, TABLE_NAME";

    static final String PRIMARY_KEYS = "SELECT s.TABLE_SCHEMA AS TABLE_CAT, " + NULL_TEXT + " AS TABLE_SCHEM,"
            + " s.TABLE_NAME AS TABLE_NAME, s.COLUMN_NAME AS COLUMN_NAME, CAST(s.SEQ_IN_INDEX AS SIGNED) AS KEY_SEQ,"
            + " s.INDEX_NAME AS PK_NAME FROM information_schema.STATISTICS s WHERE s.INDEX_NAME = 'PRIMARY'";

    static final String INDEX_INFO = "SELECT s.TABLE_SCHEMA AS TABLE_CAT, " + NULL_TEXT + " AS TABLE_SCHEM,"
            + " s.TABLE_NAME AS TABLE_NAME, CAST(s.NON_UNIQUE AS SIGNED) AS NON_UNIQUE,"
            + " " + NULL_TEXT + " AS INDEX_QUALIFIER, s.INDEX_NAME AS INDEX_NAME,"
            + " CAST(CASE WHEN s.INDEX_TYPE = 'HASH' THEN " + DatabaseMetaData.tableIndexHashed
            + " ELSE " + DatabaseMetaData.tableIndexOther + " END AS SIGNED) AS TYPE,"
            + " CAST(s.SEQ_IN_INDEX AS SIGNED) AS ORDINAL_POSITION, s.COLUMN_NAME AS COLUMN_NAME,"
            + " s.COLLATION AS ASC_OR_DESC, CAST(COALESCE(s.CARDINALITY, 0) AS SIGNED) AS CARDINALITY,"
            + " 0 AS PAGES, " + NULL_TEXT + " AS FILTER_CONDITION FROM information_schema.STATISTICS s WHERE 1=1";

    static final String INDEX_INFO_ORDER = "NON_UNIQUE, TYPE, INDEX_NAME, ORDINAL_POSITION";

    /** Foreign-key columns (k) with their rules (r); narrowed on the k.TABLE_* or k.REFERENCED_TABLE_* side. */
    static final String FOREIGN_KEYS = "SELECT k.REFERENCED_TABLE_SCHEMA AS PKTABLE_CAT,"
            + " " + NULL_TEXT + " AS PKTABLE_SCHEM, k.REFERENCED_TABLE_NAME AS PKTABLE_NAME,"
            + " k.REFERENCED_COLUMN_NAME AS PKCOLUMN_NAME, k.TABLE_SCHEMA AS FKTABLE_CAT,"
            + " " + NULL_TEXT + " AS FKTABLE_SCHEM, k.TABLE_NAME AS FKTABLE_NAME, k.COLUMN_NAME AS FKCOLUMN_NAME,"
            + " CAST(k.ORDINAL_POSITION AS SIGNED) AS KEY_SEQ, " + rule("r.UPDATE_RULE") + " AS UPDATE_RULE,"
            + " " + rule("r.DELETE_RULE") + " AS DELETE_RULE, k.CONSTRAINT_NAME AS FK_NAME,"
            + " r.UNIQUE_CONSTRAINT_NAME AS PK_NAME, " + DatabaseMetaData.importedKeyNotDeferrable + " AS DEFERRABILITY"
            + " FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r"
            + " ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
            + " AND r.TABLE_NAME = k.TABLE_NAME WHERE k.REFERENCED_TABLE_NAME IS NOT NULL";

    /** Imported keys: by primary-key table (the Javadoc order), then constraint, then position in the key. */
    static final String IMPORTED_KEYS_ORDER = "PKTABLE_CAT, PKTABLE_NAME, FK_NAME, KEY_SEQ";

    /** Exported keys and cross references: by foreign-key table, then constraint, then position in the key. */
    static final String EXPORTED_KEYS_ORDER = "FKTABLE_CAT, FKTABLE_NAME, FK_NAME, KEY_SEQ";

    /** The primary key, which Connector/J reports as the best row identifier valid for the session. */
    static final String BEST_ROW_IDENTIFIER = "SELECT " + DatabaseMetaData.bestRowSession + " AS SCOPE,"
            + " c.COLUMN_NAME AS COLUMN_NAME, " + typeColumns(MetaDataTypes.COLUMNS)
            + ", " + DatabaseMetaData.bestRowNotPseudo + " AS PSEUDO_COLUMN"
            + " FROM information_schema.COLUMNS c JOIN information_schema.STATISTICS s"
            + " ON s.TABLE_SCHEMA = c.TABLE_SCHEMA AND s.TABLE_NAME = c.TABLE_NAME AND s.COLUMN_NAME = c.COLUMN_NAME"
            + " AND s.INDEX_NAME = 'PRIMARY' WHERE 1=1";

    static final String BEST_ROW_IDENTIFIER_ORDER = "SCOPE, s.SEQ_IN_INDEX";

    /** The columns the server updates on every row change: {@code ON UPDATE CURRENT_TIMESTAMP}. */
    static final String VERSION_COLUMNS = "SELECT " + NULL_INT + " AS SCOPE, c.COLUMN_NAME AS COLUMN_NAME, "
            + typeColumns(MetaDataTypes.COLUMNS) + ", " + DatabaseMetaData.versionColumnNotPseudo + " AS PSEUDO_COLUMN"
            + " FROM information_schema.COLUMNS c WHERE LOWER(c.EXTRA) LIKE '%on update%'";

    static final String VERSION_COLUMNS_ORDER = "c.ORDINAL_POSITION";

    static final String COLUMN_PRIVILEGES = "SELECT p.TABLE_SCHEMA AS TABLE_CAT, " + NULL_TEXT + " AS TABLE_SCHEM,"
            + " p.TABLE_NAME AS TABLE_NAME, p.COLUMN_NAME AS COLUMN_NAME, " + NULL_TEXT + " AS GRANTOR,"
            + " p.GRANTEE AS GRANTEE, p.PRIVILEGE_TYPE AS PRIVILEGE, p.IS_GRANTABLE AS IS_GRANTABLE"
            + " FROM information_schema.COLUMN_PRIVILEGES p WHERE 1=1";

    static final String COLUMN_PRIVILEGES_ORDER = "COLUMN_NAME, PRIVILEGE";

    static final String TABLE_PRIVILEGES = "SELECT p.TABLE_SCHEMA AS TABLE_CAT, " + NULL_TEXT + " AS TABLE_SCHEM,"
            + " p.TABLE_NAME AS TABLE_NAME, " + NULL_TEXT + " AS GRANTOR, p.GRANTEE AS GRANTEE,"
            + " p.PRIVILEGE_TYPE AS PRIVILEGE, p.IS_GRANTABLE AS IS_GRANTABLE"
            + " FROM information_schema.TABLE_PRIVILEGES p WHERE 1=1";

    static final String TABLE_PRIVILEGES_ORDER = "TABLE_CAT, TABLE_NAME, PRIVILEGE";

    /** Procedures and, as with Connector/J's default, functions (PROCEDURE_TYPE procedureReturnsResult). */
    static final String PROCEDURES = "SELECT r.ROUTINE_SCHEMA AS PROCEDURE_CAT, " + NULL_TEXT + " AS PROCEDURE_SCHEM,"
            + " r.ROUTINE_NAME AS PROCEDURE_NAME, " + NULL_TEXT + " AS reserved1, " + NULL_TEXT + " AS reserved2,"
            + " " + NULL_TEXT + " AS reserved3, r.ROUTINE_COMMENT AS REMARKS,"
            + " CAST(CASE WHEN r.ROUTINE_TYPE = 'PROCEDURE' THEN " + DatabaseMetaData.procedureNoResult
            + " ELSE " + DatabaseMetaData.procedureReturnsResult + " END AS SIGNED) AS PROCEDURE_TYPE,"
            + " r.SPECIFIC_NAME AS SPECIFIC_NAME FROM information_schema.ROUTINES r"
            + " WHERE r.ROUTINE_TYPE IN ('PROCEDURE', 'FUNCTION')";

    static final String PROCEDURES_ORDER = "PROCEDURE_CAT, PROCEDURE_NAME, SPECIFIC_NAME";

    static final String PROCEDURE_COLUMNS = "SELECT p.SPECIFIC_SCHEMA AS PROCEDURE_CAT,"
            + " " + NULL_TEXT + " AS PROCEDURE_SCHEM, p.SPECIFIC_NAME AS PROCEDURE_NAME,"
            + " COALESCE(p.PARAMETER_NAME, '') AS COLUMN_NAME, "
            + parameterMode(DatabaseMetaData.procedureColumnReturn, DatabaseMetaData.procedureColumnIn,
                    DatabaseMetaData.procedureColumnInOut, DatabaseMetaData.procedureColumnOut,
                    DatabaseMetaData.procedureColumnUnknown) + " AS COLUMN_TYPE, "
            + parameterType() + ", " + DatabaseMetaData.procedureNullable + " AS NULLABLE,"
            + " " + NULL_TEXT + " AS REMARKS, " + NULL_TEXT + " AS COLUMN_DEF, " + NULL_INT + " AS SQL_DATA_TYPE,"
            + " " + NULL_INT + " AS SQL_DATETIME_SUB, " + charOctetLength(MetaDataTypes.PARAMETERS)
            + " AS CHAR_OCTET_LENGTH, CAST(p.ORDINAL_POSITION AS SIGNED) AS ORDINAL_POSITION,"
            + " 'YES' AS IS_NULLABLE, p.SPECIFIC_NAME AS SPECIFIC_NAME"
            + " FROM information_schema.PARAMETERS p WHERE p.ROUTINE_TYPE IN ('PROCEDURE', 'FUNCTION')";

    static final String PROCEDURE_COLUMNS_ORDER = "PROCEDURE_CAT, PROCEDURE_NAME, SPECIFIC_NAME, ORDINAL_POSITION";

    static final String FUNCTIONS = "SELECT r.ROUTINE_SCHEMA AS FUNCTION_CAT, " + NULL_TEXT + " AS FUNCTION_SCHEM,"
            + " r.ROUTINE_NAME AS FUNCTION_NAME, r.ROUTINE_COMMENT AS REMARKS,"
            + " " + DatabaseMetaData.functionNoTable + " AS FUNCTION_TYPE, r.SPECIFIC_NAME AS SPECIFIC_NAME"
            + " FROM information_schema.ROUTINES r WHERE r.ROUTINE_TYPE = 'FUNCTION'";

    static final String FUNCTIONS_ORDER = "FUNCTION_CAT, FUNCTION_NAME, SPECIFIC_NAME";

    static final String FUNCTION_COLUMNS = "SELECT p.SPECIFIC_SCHEMA AS FUNCTION_CAT,"
            + " " + NULL_TEXT + " AS FUNCTION_SCHEM, p.SPECIFIC_NAME AS FUNCTION_NAME,"
            + " COALESCE(p.PARAMETER_NAME, '') AS COLUMN_NAME, "
            + parameterMode(DatabaseMetaData.functionReturn, DatabaseMetaData.functionColumnIn,
                    DatabaseMetaData.functionColumnInOut, DatabaseMetaData.functionColumnOut,
                    DatabaseMetaData.functionColumnUnknown) + " AS COLUMN_TYPE, "
            + parameterType() + ", " + DatabaseMetaData.functionNullable + " AS NULLABLE,"
            + " " + NULL_TEXT + " AS REMARKS, " + charOctetLength(MetaDataTypes.PARAMETERS) + " AS CHAR_OCTET_LENGTH,"
            + " CAST(p.ORDINAL_POSITION AS SIGNED) AS ORDINAL_POSITION, 'YES' AS IS_NULLABLE,"
            + " p.SPECIFIC_NAME AS SPECIFIC_NAME FROM information_schema.PARAMETERS p"
            + " WHERE p.ROUTINE_TYPE = 'FUNCTION'";

    static final String FUNCTION_COLUMNS_ORDER = "FUNCTION_CAT, FUNCTION_NAME, SPECIFIC_NAME, ORDINAL_POSITION";

    static final String SCHEMAS = empty(text("TABLE_SCHEM"), text("TABLE_CATALOG"));

    static final String UDTS = empty(text("TYPE_CAT"), text("TYPE_SCHEM"), text("TYPE_NAME"), text("CLASS_NAME"),
            integer("DATA_TYPE"), text("REMARKS"), integer("BASE_TYPE"));

    static final String SUPER_TYPES = empty(text("TYPE_CAT"), text("TYPE_SCHEM"), text("TYPE_NAME"),
            text("SUPERTYPE_CAT"), text("SUPERTYPE_SCHEM"), text("SUPERTYPE_NAME"));

    static final String SUPER_TABLES = empty(text("TABLE_CAT"), text("TABLE_SCHEM"), text("TABLE_NAME"),
            text("SUPERTABLE_NAME"));

    static final String ATTRIBUTES = empty(text("TYPE_CAT"), text("TYPE_SCHEM"), text("TYPE_NAME"),
            text("ATTR_NAME"), integer("DATA_TYPE"), text("ATTR_TYPE_NAME"), integer("ATTR_SIZE"),
            integer("DECIMAL_DIGITS"), integer("NUM_PREC_RADIX"), integer("NULLABLE"), text("REMARKS"),
            text("ATTR_DEF"), integer("SQL_DATA_TYPE"), integer("SQL_DATETIME_SUB"), integer("CHAR_OCTET_LENGTH"),
            integer("ORDINAL_POSITION"), text("IS_NULLABLE"), text("SCOPE_CATALOG"), text("SCOPE_SCHEMA"),
            text("SCOPE_TABLE"), integer("SOURCE_DATA_TYPE"));

    static final String CLIENT_INFO_PROPERTIES = empty(text("NAME"), integer("MAX_LEN"), text("DEFAULT_VALUE"),
            text("DESCRIPTION"));

    static final String PSEUDO_COLUMNS = empty(text("TABLE_CAT"), text("TABLE_SCHEM"), text("TABLE_NAME"),
            text("COLUMN_NAME"), integer("DATA_TYPE"), integer("COLUMN_SIZE"), integer("DECIMAL_DIGITS"),
            integer("NUM_PREC_RADIX"), text("COLUMN_USAGE"), text("REMARKS"), integer("CHAR_OCTET_LENGTH"),
            text("IS_NULLABLE"));

    private MetaDataSql() {
    }

    /**
     * The {@code getColumns} query. MariaDB reports COLUMN_DEFAULT as SQL (string defaults quoted, no default as
     * the word NULL); like Connector/J, this answers the bare value and a real null.
     */
    static String columns(boolean mariaDb) {
        String columnDefault = mariaDb
                ? "CASE WHEN c.COLUMN_DEFAULT IS NULL OR c.COLUMN_DEFAULT = 'NULL' THEN NULL"
                        + " WHEN c.COLUMN_DEFAULT LIKE '''%''' THEN REPLACE(SUBSTRING(c.COLUMN_DEFAULT, 2,"
                        + " CHAR_LENGTH(c.COLUMN_DEFAULT) - 2), '''''', '''') ELSE c.COLUMN_DEFAULT END"
                : "c.COLUMN_DEFAULT";
        Source s = MetaDataTypes.COLUMNS;
        return "SELECT c.TABLE_SCHEMA AS TABLE_CAT, " + NULL_TEXT + " AS TABLE_SCHEM, c.TABLE_NAME AS TABLE_NAME,"
                + " c.COLUMN_NAME AS COLUMN_NAME, " + jdbcType(s) + " AS DATA_TYPE, " + typeName(s) + " AS TYPE_NAME,"
                + " " + columnSize(s) + " AS COLUMN_SIZE, 65535 AS BUFFER_LENGTH, "
                + decimalDigits(s) + " AS DECIMAL_DIGITS, 10 AS NUM_PREC_RADIX,"
                + " CAST(CASE WHEN c.IS_NULLABLE = 'YES' THEN " + DatabaseMetaData.columnNullable
                + " ELSE " + DatabaseMetaData.columnNoNulls + " END AS SIGNED) AS NULLABLE,"
                + " c.COLUMN_COMMENT AS REMARKS, " + columnDefault + " AS COLUMN_DEF,"
                + " 0 AS SQL_DATA_TYPE, 0 AS SQL_DATETIME_SUB, " + charOctetLength(s) + " AS CHAR_OCTET_LENGTH,"
                + " CAST(c.ORDINAL_POSITION AS SIGNED) AS ORDINAL_POSITION, c.IS_NULLABLE AS IS_NULLABLE,"
                + " " + NULL_TEXT + " AS SCOPE_CATALOG, " + NULL_TEXT + " AS SCOPE_SCHEMA,"
                + " " + NULL_TEXT + " AS SCOPE_TABLE, " + NULL_INT + " AS SOURCE_DATA_TYPE,"
                + " CASE WHEN LOWER(c.EXTRA) LIKE '%auto_increment%' THEN 'YES' ELSE 'NO' END AS IS_AUTOINCREMENT,"
                + " CASE WHEN c.EXTRA LIKE '%GENERATED%' AND c.EXTRA NOT LIKE '%DEFAULT_GENERATED%' THEN 'YES'"
                + " ELSE 'NO' END AS IS_GENERATEDCOLUMN FROM information_schema.COLUMNS c WHERE 1=1";
    }

    static final String COLUMNS_ORDER = "c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION";

    /** Connector/J's table types plus, on MariaDB, its SEQUENCE tables. */
    static String tableTypes(boolean mariaDb) {
        String types = "SELECT 'LOCAL TEMPORARY' AS TABLE_TYPE UNION ALL SELECT 'SYSTEM TABLE' UNION ALL"
                + " SELECT 'SYSTEM VIEW' UNION ALL SELECT 'TABLE' UNION ALL SELECT 'VIEW'";
        return (mariaDb ? types + " UNION ALL SELECT 'SEQUENCE'" : types) + " ORDER BY TABLE_TYPE";
    }

    /** DATA_TYPE, TYPE_NAME, COLUMN_SIZE, BUFFER_LENGTH, DECIMAL_DIGITS of getBestRowIdentifier/getVersionColumns. */
    private static String typeColumns(Source s) {
        return jdbcType(s) + " AS DATA_TYPE, " + typeName(s) + " AS TYPE_NAME, " + columnSize(s) + " AS COLUMN_SIZE,"
                + " 65535 AS BUFFER_LENGTH, " + decimalDigits(s) + " AS DECIMAL_DIGITS";
    }

    /** DATA_TYPE, TYPE_NAME, PRECISION, LENGTH, SCALE, RADIX of a routine parameter. */
    private static String parameterType() {
        Source s = MetaDataTypes.PARAMETERS;
        return jdbcType(s) + " AS DATA_TYPE, " + typeName(s) + " AS TYPE_NAME, " + columnSize(s) + " AS `PRECISION`,"
                + " " + columnSize(s) + " AS LENGTH, " + decimalDigits(s) + " AS SCALE, 10 AS RADIX";
    }

    /** The COLUMN_TYPE code of a parameter; position 0 is a function's return value. */
    private static String parameterMode(int result, int in, int inOut, int out, int unknown) {
        return "CAST(CASE WHEN p.ORDINAL_POSITION = 0 THEN " + result + " WHEN p.PARAMETER_MODE = 'IN' THEN " + in
                + " WHEN p.PARAMETER_MODE = 'INOUT' THEN " + inOut + " WHEN p.PARAMETER_MODE = 'OUT' THEN " + out
                + " ELSE " + unknown + " END AS SIGNED)";
    }

    /** The JDBC rule code of a REFERENTIAL_CONSTRAINTS rule. */
    private static String rule(String column) {
        return "CAST(CASE " + column + " WHEN 'CASCADE' THEN " + DatabaseMetaData.importedKeyCascade
                + " WHEN 'SET NULL' THEN " + DatabaseMetaData.importedKeySetNull
                + " WHEN 'SET DEFAULT' THEN " + DatabaseMetaData.importedKeySetDefault
                + " WHEN 'NO ACTION' THEN " + DatabaseMetaData.importedKeyNoAction
                + " ELSE " + DatabaseMetaData.importedKeyRestrict + " END AS SIGNED)";
    }

    private static String text(String label) {
        return NULL_TEXT + " AS " + label;
    }

    private static String integer(String label) {
        return NULL_INT + " AS " + label;
    }

    /** A result with these columns and no rows. */
    private static String empty(String... columns) {
        return Arrays.stream(columns).collect(Collectors.joining(", ", "SELECT ", " FROM DUAL WHERE 1=0"));
    }
}
