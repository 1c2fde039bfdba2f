package io.concurrence.db.internal;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link JdbcDatabaseMetaData} against the real MariaDB on 127.0.0.1:3306: its answers about the {@code meta_*}
 * tables, routines and types, and, where it means to agree, the same answers MySQL Connector/J gives.
 *
 * <p>The metadata runs over the Concurrence driver ({@link #connection()}); the reference answers come from
 * Connector/J ({@link #reference()}).
 */
class JdbcDatabaseMetaDataTest {

    private static final String URL = "jdbc:mysql://127.0.0.1:3306/test?user=root&password=";
    private static final String DATABASE = "test";
    private static final String DRIVER_VERSION = "0.1.0-SNAPSHOT";
    /** LIKE pattern of this test's tables and routines ({@code _} escaped so it is literal). */
    private static final String META = "meta\\_%";

    private static Connection connection;
    private static Connection reference;
    private static JdbcDatabaseMetaData ours;
    private static DatabaseMetaData theirs;

    /** Why the tests skip: MariaDB was unreachable off CI; null when it was reached. */
    private static String unreachable;

    /** The connection the metadata under test runs over: the Concurrence driver's. */
    static Connection connection() throws SQLException {
        return DriverManager.getConnection(io.concurrence.db.DbTestSupport.url());
    }

    /** Connector/J itself, whose DatabaseMetaData is the reference, whatever driver {@link #connection()} uses. */
    static Connection reference() throws SQLException {
        Driver connectorJ = new com.mysql.cj.jdbc.Driver();
        return connectorJ.connect(URL, new Properties());
    }

    /** MariaDB unreachable fails the tests on CI ({@code CI=true}) and skips them elsewhere. */
    private static boolean connect() throws SQLException {
        try {
            connection = connection();
            reference = reference();
            return true;
        } catch (SQLException e) {
            String message = "MariaDB is unreachable at " + URL + ": " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                throw new SQLException(message + "; on CI the database must be running", e);
            }
            unreachable = message + "; skipping (start MariaDB to run this test)";
            return false;
        }
    }

    @BeforeEach
    void requireDatabase() {
        Assumptions.assumeTrue(unreachable == null, () -> unreachable);
    }

    @BeforeAll
    static void createSchema() throws SQLException {
        if (!connect()) {
            return;
        }
        dropSchema(connection);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE meta_parent ("
                    + " id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,"
                    + " code VARCHAR(20) NOT NULL,"
                    + " name VARCHAR(100) NULL COMMENT 'display name',"
                    + " note VARCHAR(10) DEFAULT 'it''s',"
                    + " PRIMARY KEY (id), UNIQUE KEY meta_parent_code (code))"
                    + " DEFAULT CHARSET = utf8mb4 COMMENT = 'parents'");
            statement.execute("CREATE TABLE meta_child ("
                    + " parent_id BIGINT UNSIGNED NOT NULL, seq INT NOT NULL,"
                    + " flag TINYINT(1) NOT NULL DEFAULT 0, amount DECIMAL(10,2) NULL, created DATETIME NOT NULL,"
                    + " updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
                    + " doc JSON NULL, body TEXT, data BLOB, day DATE, t TIME(3), small SMALLINT, tiny TINYINT,"
                    + " med MEDIUMINT UNSIGNED, f FLOAT, d DOUBLE, c CHAR(3), vb VARBINARY(16), b BINARY(4),"
                    + " e ENUM('a','b'), s SET('x','y'), y YEAR, bits BIT(5), lt LONGTEXT, dt6 DATETIME(6),"
                    + " tb TINYBLOB, tt TINYTEXT, gen INT AS (seq * 2) VIRTUAL,"
                    + " PRIMARY KEY (parent_id, seq), KEY meta_child_created (created),"
                    + " CONSTRAINT meta_child_parent_fk FOREIGN KEY (parent_id) REFERENCES meta_parent (id)"
                    + " ON DELETE CASCADE)");
            statement.execute("CREATE VIEW meta_view AS SELECT id, code FROM meta_parent");
            statement.execute("CREATE PROCEDURE meta_proc(IN p_in INT, OUT p_out VARCHAR(10), INOUT p_io DECIMAL(5,2))"
                    + " COMMENT 'a proc' BEGIN SET p_out = 'x'; END");
            statement.execute("CREATE FUNCTION meta_func(x INT) RETURNS BIGINT DETERMINISTIC COMMENT 'a func'"
                    + " RETURN x * 2");
        }
        ours = metaData(serverVersion(connection));
        theirs = reference.getMetaData();
    }

    @AfterAll
    static void dropSchemaAndClose() throws SQLException {
        try (Connection c = connection) {
            if (c != null) {
                dropSchema(c);
            }
        } finally {
            if (reference != null) {
                reference.close();
            }
        }
    }

    private static void dropSchema(Connection c) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("DROP VIEW IF EXISTS meta_view");
            statement.execute("DROP TABLE IF EXISTS meta_child");
            statement.execute("DROP TABLE IF EXISTS meta_parent");
            statement.execute("DROP PROCEDURE IF EXISTS meta_proc");
            statement.execute("DROP FUNCTION IF EXISTS meta_func");
        }
    }

    private static String serverVersion(Connection c) throws SQLException {
        try (Statement statement = c.createStatement();
             ResultSet result = statement.executeQuery("SELECT VERSION()")) {
            assertThat(result.next()).as("SELECT VERSION() returns a row").isTrue();
            return result.getString(1);
        }
    }

    private static JdbcDatabaseMetaData metaData(String serverVersion) {
        return new JdbcDatabaseMetaData(connection, URL, "root", serverVersion, DRIVER_VERSION);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Product, driver, versions

    @ParameterizedTest
    @CsvSource({
            "10.11.19-MariaDB-0+deb12u1, MariaDB, 10, 11, 10.11.19-MariaDB-0+deb12u1",
            "5.5.5-10.6.4-MariaDB-log,   MariaDB, 10, 6,  10.6.4-MariaDB-log",
            "11.4.2-MariaDB,             MariaDB, 11, 4,  11.4.2-MariaDB",
            "8.0.36,                     MySQL,   8,  0,  8.0.36",
            "9.1.0-commercial,           MySQL,   9,  1,  9.1.0-commercial",
            "5.5.5-8.0.36,               MySQL,   5,  5,  5.5.5-8.0.36",
            "not a version,              MySQL,   0,  0,  not a version"})
    void productNameAndVersionsAreParsedFromTheServerVersion(String serverVersion, String product, int major,
                                                             int minor, String productVersion)
            throws SQLException {
        DatabaseMetaData metaData = metaData(serverVersion);

        assertThat(metaData.getDatabaseProductName()).isEqualTo(product);
        assertThat(metaData.getDatabaseMajorVersion()).isEqualTo(major);
        assertThat(metaData.getDatabaseMinorVersion()).isEqualTo(minor);
        assertThat(metaData.getDatabaseProductVersion()).isEqualTo(productVersion);
    }

    @Test
    void liveServerIsReportedAsMariaDbWithTheVersionConnectorJSeesBehindItsPrefix() throws SQLException {
        assertThat(ours.getDatabaseProductName()).isEqualTo("MariaDB");
        assertThat(theirs.getDatabaseProductVersion()).endsWith(ours.getDatabaseProductVersion());
        assertThat(ours.getDatabaseProductVersion())
                .startsWith(ours.getDatabaseMajorVersion() + "." + ours.getDatabaseMinorVersion() + ".");
    }

    @Test
    void driverConnectionAndJdbcVersionAreTheGivenOnes() throws SQLException {
        assertThat(ours.getDriverName()).isEqualTo("Concurrence JDBC (R2DBC MySQL)");
        assertThat(ours.getDriverVersion()).isEqualTo(DRIVER_VERSION);
        assertThat(ours.getDriverMajorVersion()).isZero();
        assertThat(ours.getDriverMinorVersion()).isEqualTo(1);
        assertThat(ours.getJDBCMajorVersion()).isEqualTo(4);
        assertThat(ours.getJDBCMinorVersion()).isEqualTo(3);
        assertThat(ours.getURL()).isEqualTo(URL);
        assertThat(ours.getUserName()).isEqualTo("root");
        assertThat(ours.getConnection()).isSameAs(connection);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Capabilities

    /** Where this driver deliberately answers otherwise than Connector/J (each is asserted on its own). */
    private static final Set<String> DELIBERATE_DIFFERENCES = Set.of(
            "getDatabaseProductName", "getDatabaseProductVersion", "getDatabaseMajorVersion",
            "getDatabaseMinorVersion", "getDriverName", "getDriverVersion", "getDriverMajorVersion",
            "getDriverMinorVersion", "getJDBCMinorVersion", "getUserName", "getResultSetHoldability",
            "supportsResultSetType", "supportsResultSetConcurrency", "supportsResultSetHoldability",
            "supportsStoredFunctionsUsingCallSyntax", "supportsMultipleOpenResults");

    @Test
    void answersWhatTheDriverLacks() throws SQLException {
        assertThat(ours.supportsStoredFunctionsUsingCallSyntax()).isFalse();
        assertThat(ours.supportsMultipleOpenResults()).isFalse();
    }

    @Test
    void everyOtherCapabilityAnswerIsConnectorJs() throws Exception {
        Map<String, Object> ourAnswers = new LinkedHashMap<>();
        Map<String, Object> theirAnswers = new LinkedHashMap<>();
        int[] probes = {Connection.TRANSACTION_NONE, Connection.TRANSACTION_READ_UNCOMMITTED,
                Connection.TRANSACTION_READ_COMMITTED, Connection.TRANSACTION_REPEATABLE_READ,
                Connection.TRANSACTION_SERIALIZABLE, ResultSet.TYPE_FORWARD_ONLY, ResultSet.TYPE_SCROLL_INSENSITIVE,
                ResultSet.TYPE_SCROLL_SENSITIVE};
        for (Method method : DatabaseMetaData.class.getMethods()) {
            if (DELIBERATE_DIFFERENCES.contains(method.getName()) || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Class<?> returns = method.getReturnType();
            boolean simple = returns == boolean.class || returns == int.class || returns == long.class
                    || returns == String.class || returns == RowIdLifetime.class;
            if (simple && method.getParameterCount() == 0) {
                ourAnswers.put(method.getName(), invoke(method, ours));
                theirAnswers.put(method.getName(), invoke(method, theirs));
            } else if (simple && Arrays.equals(method.getParameterTypes(), new Class<?>[] {int.class})) {
                for (int probe : probes) {
                    ourAnswers.put(method.getName() + "(" + probe + ")", invoke(method, ours, probe));
                    theirAnswers.put(method.getName() + "(" + probe + ")", invoke(method, theirs, probe));
                }
            }
        }

        assertThat(ourAnswers).hasSizeGreaterThan(150).isEqualTo(theirAnswers);
    }

    private static Object invoke(Method method, DatabaseMetaData target, Object... arguments) throws Exception {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            return "throws " + e.getCause();
        }
    }

    @Test
    void supportsConvertMatrixIsConnectorJs() throws Exception {
        List<Integer> types = new ArrayList<>();
        for (Field field : Types.class.getFields()) {
            types.add(field.getInt(null));
        }
        for (int from : types) {
            for (int to : types) {
                assertThat(ours.supportsConvert(from, to))
                        .as("supportsConvert(%d, %d)", from, to)
                        .isEqualTo(theirs.supportsConvert(from, to));
            }
        }
        assertThat(ours.supportsConvert(Types.INTEGER, Types.VARCHAR)).isTrue();
        assertThat(ours.supportsConvert(Types.DATE, Types.INTEGER)).isFalse();
    }

    @Test
    void resultSetsAreForwardOnlyReadOnlyAndClosedAtCommit() throws SQLException {
        assertThat(ours.supportsResultSetType(ResultSet.TYPE_FORWARD_ONLY)).isTrue();
        assertThat(ours.supportsResultSetType(ResultSet.TYPE_SCROLL_INSENSITIVE)).isFalse();
        assertThat(ours.supportsResultSetType(ResultSet.TYPE_SCROLL_SENSITIVE)).isFalse();
        assertThat(ours.supportsResultSetConcurrency(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY))
                .isTrue();
        assertThat(ours.supportsResultSetConcurrency(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE))
                .isFalse();
        assertThat(ours.supportsResultSetConcurrency(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY))
                .isFalse();
        assertThat(ours.getResultSetHoldability()).isEqualTo(ResultSet.CLOSE_CURSORS_AT_COMMIT);
        assertThat(ours.supportsResultSetHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT)).isTrue();
        assertThat(ours.supportsResultSetHoldability(ResultSet.HOLD_CURSORS_OVER_COMMIT)).isFalse();
    }

    @Test
    void dialectAnswersAreThoseOfMySql() throws SQLException {
        assertThat(ours.getIdentifierQuoteString()).isEqualTo("`");
        assertThat(ours.getCatalogTerm()).isEqualTo("database");
        assertThat(ours.getSchemaTerm()).isEmpty();
        assertThat(ours.supportsCatalogsInDataManipulation()).isTrue();
        assertThat(ours.supportsSchemasInDataManipulation()).isFalse();
        assertThat(ours.supportsTransactions()).isTrue();
        assertThat(ours.getDefaultTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
        assertThat(ours.supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE)).isTrue();
        assertThat(ours.supportsTransactionIsolationLevel(Connection.TRANSACTION_NONE)).isFalse();
        assertThat(ours.supportsSavepoints()).isTrue();
        assertThat(ours.supportsBatchUpdates()).isTrue();
        assertThat(ours.supportsGetGeneratedKeys()).isTrue();
        assertThat(ours.nullsAreSortedLow()).isTrue();
        assertThat(ours.getRowIdLifetime()).isEqualTo(RowIdLifetime.ROWID_UNSUPPORTED);
        assertThat(ours.getSQLKeywords()).contains("ZEROFILL", "STRAIGHT_JOIN").doesNotContain(" ");
    }

    @Test
    void unwrapsToItselfOnlyAndOtherwiseSaysWhy() throws SQLException {
        assertThat(ours.isWrapperFor(DatabaseMetaData.class)).isTrue();
        assertThat(ours.unwrap(DatabaseMetaData.class)).isSameAs(ours);
        assertThat(ours.unwrap(JdbcDatabaseMetaData.class)).isSameAs(ours);
        assertThat(ours.isWrapperFor(Connection.class)).isFalse();
        assertThatThrownBy(() -> ours.unwrap(Connection.class))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("is not a wrapper for interface java.sql.Connection")
                .hasNoCause();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Catalogs and tables

    @Test
    void getCatalogsListsTheDatabasesInOrder() throws SQLException {
        List<String> catalogs = column(ours.getCatalogs(), "TABLE_CAT", ResultSet::getString);

        assertThat(catalogs).contains(DATABASE, "information_schema").isSorted()
                .isEqualTo(column(theirs.getCatalogs(), "TABLE_CAT", ResultSet::getString));
    }

    @Test
    void getTablesFindsTheMetaTablesByPatternWithTheirTypesAndRemarks() throws SQLException {
        List<List<Object>> tables = rows(ours.getTables(DATABASE, null, META, null),
                "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS");

        assertThat(tables).containsExactly(
                List.of(DATABASE, "null", "meta_child", "TABLE", ""),
                List.of(DATABASE, "null", "meta_parent", "TABLE", "parents"),
                List.of(DATABASE, "null", "meta_view", "VIEW", ""));
    }

    @Test
    void getTablesNarrowsByTypeAndMatchesConnectorJ() throws SQLException {
        String[] types = {"TABLE"};
        List<List<Object>> tables = rows(ours.getTables(DATABASE, null, META, types), "TABLE_NAME", "TABLE_TYPE");

        assertThat(tables).containsExactly(List.of("meta_child", "TABLE"), List.of("meta_parent", "TABLE"))
                .isEqualTo(rows(theirs.getTables(DATABASE, null, META, types), "TABLE_NAME", "TABLE_TYPE"));
        assertThat(rows(ours.getTables(DATABASE, null, "meta\\_v%", new String[] {"VIEW", "SYSTEM VIEW"}),
                "TABLE_NAME")).containsExactly(List.of("meta_view"));
        assertThat(rows(ours.getTables("mysql", null, "db", null), "TABLE_TYPE"))
                .isEqualTo(rows(theirs.getTables("mysql", null, "db", null), "TABLE_TYPE"));
    }

    @Test
    void emptyCatalogMeansTheCurrentDatabaseAndNullCatalogMeansAll() throws SQLException {
        assertThat(column(ours.getTables("", null, META, null), "TABLE_NAME", ResultSet::getString))
                .containsExactly("meta_child", "meta_parent", "meta_view");
        assertThat(column(ours.getTables(null, null, META, null), "TABLE_CAT", ResultSet::getString))
                .containsOnly(DATABASE).hasSize(3);
        assertThat(column(ours.getTables("meta_no_such_database", null, META, null), "TABLE_NAME",
                ResultSet::getString)).isEmpty();
    }

    @Test
    void patternsAreBoundAsParametersNotSplicedIntoTheSql() throws SQLException {
        assertThat(column(ours.getTables(DATABASE, null, "x' OR '1'='1", null), "TABLE_NAME", ResultSet::getString))
                .isEmpty();
        assertThat(column(ours.getColumns(DATABASE, null, "meta\\_parent", "id' OR 'a'='a"), "COLUMN_NAME",
                ResultSet::getString)).isEmpty();
    }

    @Test
    void getTableTypesListsConnectorJsTypesAndMariaDbSequences() throws SQLException {
        assertThat(column(ours.getTableTypes(), "TABLE_TYPE", ResultSet::getString))
                .containsExactly("LOCAL TEMPORARY", "SEQUENCE", "SYSTEM TABLE", "SYSTEM VIEW", "TABLE", "VIEW");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Columns

    @Test
    void getColumnsDescribesEveryColumnInOrder() throws SQLException {
        List<List<Object>> columns = rows(ours.getColumns(DATABASE, null, "meta\\_child", null),
                "ORDINAL_POSITION", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS",
                "NULLABLE", "IS_NULLABLE", "IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN");

        assertThat(columns).containsExactly(
                List.of("1", "parent_id", "-5", "BIGINT UNSIGNED", "20", "null", "0", "NO", "NO", "NO"),
                List.of("2", "seq", "4", "INT", "10", "null", "0", "NO", "NO", "NO"),
                List.of("3", "flag", "-7", "BIT", "1", "null", "0", "NO", "NO", "NO"),
                List.of("4", "amount", "3", "DECIMAL", "10", "2", "1", "YES", "NO", "NO"),
                List.of("5", "created", "93", "DATETIME", "19", "0", "0", "NO", "NO", "NO"),
                List.of("6", "updated", "93", "TIMESTAMP", "19", "0", "0", "NO", "NO", "NO"),
                List.of("7", "doc", "-1", "LONGTEXT", "2147483647", "null", "1", "YES", "NO", "NO"),
                List.of("8", "body", "-1", "TEXT", "65535", "null", "1", "YES", "NO", "NO"),
                List.of("9", "data", "-4", "BLOB", "65535", "null", "1", "YES", "NO", "NO"),
                List.of("10", "day", "91", "DATE", "10", "null", "1", "YES", "NO", "NO"),
                List.of("11", "t", "92", "TIME", "12", "3", "1", "YES", "NO", "NO"),
                List.of("12", "small", "5", "SMALLINT", "5", "null", "1", "YES", "NO", "NO"),
                List.of("13", "tiny", "-6", "TINYINT", "3", "null", "1", "YES", "NO", "NO"),
                List.of("14", "med", "4", "MEDIUMINT UNSIGNED", "8", "null", "1", "YES", "NO", "NO"),
                List.of("15", "f", "7", "FLOAT", "12", "0", "1", "YES", "NO", "NO"),
                List.of("16", "d", "8", "DOUBLE", "22", "0", "1", "YES", "NO", "NO"),
                List.of("17", "c", "1", "CHAR", "3", "null", "1", "YES", "NO", "NO"),
                List.of("18", "vb", "-3", "VARBINARY", "16", "null", "1", "YES", "NO", "NO"),
                List.of("19", "b", "-2", "BINARY", "4", "null", "1", "YES", "NO", "NO"),
                List.of("20", "e", "1", "ENUM", "1", "null", "1", "YES", "NO", "NO"),
                List.of("21", "s", "1", "SET", "3", "null", "1", "YES", "NO", "NO"),
                List.of("22", "y", "91", "YEAR", "4", "null", "1", "YES", "NO", "NO"),
                List.of("23", "bits", "-7", "BIT", "5", "null", "1", "YES", "NO", "NO"),
                List.of("24", "lt", "-1", "LONGTEXT", "2147483647", "null", "1", "YES", "NO", "NO"),
                List.of("25", "dt6", "93", "DATETIME", "26", "6", "1", "YES", "NO", "NO"),
                List.of("26", "tb", "-3", "TINYBLOB", "255", "null", "1", "YES", "NO", "NO"),
                List.of("27", "tt", "12", "TINYTEXT", "255", "null", "1", "YES", "NO", "NO"),
                List.of("28", "gen", "4", "INT", "10", "null", "1", "YES", "NO", "YES"));
    }

    @Test
    void getColumnsReportsAutoIncrementDefaultsRemarksAndOctetLengths() throws SQLException {
        List<List<Object>> columns = rows(ours.getColumns(DATABASE, null, "meta\\_parent", null),
                "COLUMN_NAME", "IS_AUTOINCREMENT", "COLUMN_DEF", "REMARKS", "CHAR_OCTET_LENGTH");

        assertThat(columns).containsExactly(
                List.of("id", "YES", "null", "", "null"),
                List.of("code", "NO", "null", "", "80"),
                List.of("name", "NO", "null", "display name", "400"),
                List.of("note", "NO", "it's", "", "40"));
        assertThat(column(ours.getColumns(DATABASE, null, "meta\\_child", "updated"), "COLUMN_DEF",
                ResultSet::getString)).singleElement().asString().containsIgnoringCase("current_timestamp");
        assertThat(column(ours.getColumns(DATABASE, null, "meta\\_child", "f%"), "COLUMN_NAME",
                ResultSet::getString)).containsExactly("flag", "f");
    }

    @Test
    void getColumnsAgreesWithConnectorJOnTypesSizesNullabilityAndDefaults() throws SQLException {
        String[] labels = {"TABLE_CAT", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE",
                "BUFFER_LENGTH", "NUM_PREC_RADIX", "NULLABLE", "COLUMN_DEF", "SQL_DATA_TYPE", "SQL_DATETIME_SUB",
                "ORDINAL_POSITION", "IS_NULLABLE", "SCOPE_CATALOG", "SCOPE_SCHEMA", "SCOPE_TABLE",
                "SOURCE_DATA_TYPE", "IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN"};

        List<List<Object>> columns = rows(ours.getColumns(DATABASE, null, "meta\\_child", null), labels);

        assertThat(columns).hasSize(28)
                .isEqualTo(rows(theirs.getColumns(DATABASE, null, "meta\\_child", null), labels));
        assertThat(rows(ours.getColumns(DATABASE, null, "meta\\_parent", null), labels))
                .isEqualTo(rows(theirs.getColumns(DATABASE, null, "meta\\_parent", null), labels));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Keys and indexes

    @Test
    void getPrimaryKeysListsTheKeyColumnsByName() throws SQLException {
        String[] labels = {"TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME"};

        List<List<Object>> keys = rows(ours.getPrimaryKeys(DATABASE, null, "meta_child"), labels);

        assertThat(keys).containsExactly(
                List.of(DATABASE, "null", "meta_child", "parent_id", "1", "PRIMARY"),
                List.of(DATABASE, "null", "meta_child", "seq", "2", "PRIMARY"))
                .isEqualTo(rows(theirs.getPrimaryKeys(DATABASE, null, "meta_child"), labels));
        assertThat(rows(ours.getPrimaryKeys(DATABASE, null, "meta_view"), labels)).isEmpty();
    }

    @Test
    void getIndexInfoReportsEveryIndexColumnAndNarrowsToUniqueIndexes() throws SQLException {
        String[] labels = {"TABLE_NAME", "NON_UNIQUE", "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME",
                "ASC_OR_DESC"};

        List<List<Object>> all = rows(ours.getIndexInfo(DATABASE, null, "meta_child", false, true), labels);
        List<List<Object>> unique = rows(ours.getIndexInfo(DATABASE, null, "meta_child", true, true), labels);

        assertThat(all).containsExactly(
                List.of("meta_child", "false", "PRIMARY", "3", "1", "parent_id", "A"),
                List.of("meta_child", "false", "PRIMARY", "3", "2", "seq", "A"),
                List.of("meta_child", "true", "meta_child_created", "3", "1", "created", "A"))
                .isEqualTo(rows(theirs.getIndexInfo(DATABASE, null, "meta_child", false, true), labels));
        assertThat(unique).containsExactlyElementsOf(all.subList(0, 2));
        assertThat(rows(ours.getIndexInfo(DATABASE, null, "meta_parent", true, false), "INDEX_NAME", "NON_UNIQUE"))
                .containsExactly(List.of("meta_parent_code", "false"), List.of("PRIMARY", "false"));
    }

    private static final String[] KEY_LABELS = {"PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME",
        "FKTABLE_CAT", "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME", "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE",
        "FK_NAME", "DEFERRABILITY"};

    private static final List<Object> CHILD_TO_PARENT = List.of(DATABASE, "null", "meta_parent", "id", DATABASE,
            "null", "meta_child", "parent_id", "1", String.valueOf(DatabaseMetaData.importedKeyRestrict),
            String.valueOf(DatabaseMetaData.importedKeyCascade), "meta_child_parent_fk",
            String.valueOf(DatabaseMetaData.importedKeyNotDeferrable));

    @Test
    void getImportedKeysFindsTheForeignKeyOfTheChild() throws SQLException {
        assertThat(rows(ours.getImportedKeys(DATABASE, null, "meta_child"), KEY_LABELS))
                .containsExactly(CHILD_TO_PARENT)
                .isEqualTo(rows(theirs.getImportedKeys(DATABASE, null, "meta_child"), KEY_LABELS));
        assertThat(column(ours.getImportedKeys(DATABASE, null, "meta_child"), "PK_NAME", ResultSet::getString))
                .containsExactly("PRIMARY");
        assertThat(rows(ours.getImportedKeys(DATABASE, null, "meta_parent"), KEY_LABELS)).isEmpty();
    }

    @Test
    void getExportedKeysAndCrossReferenceFindTheForeignKeyFromTheParent() throws SQLException {
        assertThat(rows(ours.getExportedKeys(DATABASE, null, "meta_parent"), KEY_LABELS))
                .containsExactly(CHILD_TO_PARENT)
                .isEqualTo(rows(theirs.getExportedKeys(DATABASE, null, "meta_parent"), KEY_LABELS));
        assertThat(rows(ours.getCrossReference(DATABASE, null, "meta_parent", DATABASE, null, "meta_child"),
                KEY_LABELS)).containsExactly(CHILD_TO_PARENT);
        assertThat(rows(ours.getCrossReference(DATABASE, null, "meta_child", DATABASE, null, "meta_parent"),
                KEY_LABELS)).isEmpty();
    }

    @Test
    void getBestRowIdentifierIsThePrimaryKeyAndVersionColumnsAreOnUpdateTimestamps() throws SQLException {
        String[] labels = {"SCOPE", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "PSEUDO_COLUMN"};

        assertThat(rows(ours.getBestRowIdentifier(DATABASE, null, "meta_child", DatabaseMetaData.bestRowSession,
                false), labels))
                .containsExactly(List.of("2", "parent_id", "-5", "BIGINT UNSIGNED", "20", "1"),
                        List.of("2", "seq", "4", "INT", "10", "1"))
                .isEqualTo(rows(theirs.getBestRowIdentifier(DATABASE, null, "meta_child",
                        DatabaseMetaData.bestRowSession, false), labels));
        assertThat(rows(ours.getVersionColumns(DATABASE, null, "meta_child"), labels))
                .containsExactly(List.of("null", "updated", "93", "TIMESTAMP", "19", "1"))
                .isEqualTo(rows(theirs.getVersionColumns(DATABASE, null, "meta_child"), labels));
    }

    @Test
    void methodsThatNeedATableNameSayWhichAndWhy() {
        assertThatThrownBy(() -> ours.getPrimaryKeys(DATABASE, null, null))
                .isInstanceOf(SQLException.class)
                .hasMessage("getPrimaryKeys: table name is null; pass the table's name as stored in the database")
                .hasNoCause();
        assertThatThrownBy(() -> ours.getIndexInfo(DATABASE, null, null, false, false))
                .isInstanceOf(SQLException.class).hasMessageStartingWith("getIndexInfo: table name is null");
        assertThatThrownBy(() -> ours.getTables(DATABASE, null, META, new String[] {"TABLE", null}))
                .isInstanceOf(SQLException.class)
                .hasMessage("getTables: types[1] is null; pass table types from getTableTypes(), or a null array"
                        + " for all types");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routines and types

    @Test
    void getProceduresListsProceduresAndFunctionsAsConnectorJDoes() throws SQLException {
        String[] labels = {"PROCEDURE_CAT", "PROCEDURE_NAME", "REMARKS", "PROCEDURE_TYPE", "SPECIFIC_NAME"};

        assertThat(rows(ours.getProcedures(DATABASE, null, META), labels))
                .containsExactly(List.of(DATABASE, "meta_func", "a func", "2", "meta_func"),
                        List.of(DATABASE, "meta_proc", "a proc", "1", "meta_proc"))
                .isEqualTo(rows(theirs.getProcedures(DATABASE, null, META), labels));
    }

    @Test
    void getProcedureColumnsListsTheReturnValueThenTheParametersInOrder() throws SQLException {
        String[] labels = {"PROCEDURE_NAME", "COLUMN_NAME", "COLUMN_TYPE", "DATA_TYPE", "TYPE_NAME", "PRECISION",
                "NULLABLE", "ORDINAL_POSITION", "IS_NULLABLE", "SPECIFIC_NAME"};

        assertThat(rows(ours.getProcedureColumns(DATABASE, null, META, null), labels))
                .containsExactly(
                        List.of("meta_func", "", "5", "-5", "BIGINT", "19", "1", "0", "YES", "meta_func"),
                        List.of("meta_func", "x", "1", "4", "INT", "10", "1", "1", "YES", "meta_func"),
                        List.of("meta_proc", "p_in", "1", "4", "INT", "10", "1", "1", "YES", "meta_proc"),
                        List.of("meta_proc", "p_out", "4", "12", "VARCHAR", "10", "1", "2", "YES", "meta_proc"),
                        List.of("meta_proc", "p_io", "2", "3", "DECIMAL", "5", "1", "3", "YES", "meta_proc"))
                .isEqualTo(rows(theirs.getProcedureColumns(DATABASE, null, META, "%"), labels));
        assertThat(column(ours.getProcedureColumns(DATABASE, null, "meta\\_proc", "p\\_o%"), "COLUMN_NAME",
                ResultSet::getString)).containsExactly("p_out");
    }

    @Test
    void getFunctionsAndFunctionColumnsDescribeTheFunction() throws SQLException {
        String[] labels = {"FUNCTION_CAT", "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE", "SPECIFIC_NAME"};
        String[] columnLabels = {"FUNCTION_NAME", "COLUMN_NAME", "COLUMN_TYPE", "DATA_TYPE", "TYPE_NAME",
                "PRECISION", "NULLABLE", "ORDINAL_POSITION", "IS_NULLABLE"};

        assertThat(rows(ours.getFunctions(DATABASE, null, META), labels))
                .containsExactly(List.of(DATABASE, "meta_func", "a func", "1", "meta_func"))
                .isEqualTo(rows(theirs.getFunctions(DATABASE, null, META), labels));
        assertThat(rows(ours.getFunctionColumns(DATABASE, null, META, null), columnLabels))
                .containsExactly(List.of("meta_func", "", "4", "-5", "BIGINT", "19", "1", "0", "YES"),
                        List.of("meta_func", "x", "1", "4", "INT", "10", "1", "1", "YES"))
                .isEqualTo(rows(theirs.getFunctionColumns(DATABASE, null, META, "%"), columnLabels));
    }

    @Test
    void getTypeInfoIsConnectorJsTypeTable() throws SQLException {
        String[] labels = {"TYPE_NAME", "DATA_TYPE", "PRECISION", "LITERAL_PREFIX", "LITERAL_SUFFIX",
                "CREATE_PARAMS", "NULLABLE", "CASE_SENSITIVE", "SEARCHABLE", "UNSIGNED_ATTRIBUTE",
                "FIXED_PREC_SCALE", "AUTO_INCREMENT", "LOCAL_TYPE_NAME", "MINIMUM_SCALE", "MAXIMUM_SCALE",
                "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "NUM_PREC_RADIX"};

        List<List<Object>> types = rows(ours.getTypeInfo(), labels);

        assertThat(types).hasSizeGreaterThan(40).isEqualTo(rows(theirs.getTypeInfo(), labels));
        assertThat(types).extracting(row -> row.get(0), row -> row.get(1))
                .contains(tuple("BIT", "-7"), tuple("BIGINT UNSIGNED", "-5"), tuple("VARCHAR", "12"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Result-set shape

    /** Each result-set method's column labels, in order, are Connector/J's (which are the Javadoc's). */
    @Test
    void everyResultSetHasTheColumnLabelsOfConnectorJ() throws SQLException {
        Map<String, MetaDataCall> calls = new LinkedHashMap<>();
        calls.put("getCatalogs", DatabaseMetaData::getCatalogs);
        calls.put("getSchemas", DatabaseMetaData::getSchemas);
        calls.put("getSchemas(catalog)", m -> m.getSchemas(DATABASE, null));
        calls.put("getTableTypes", DatabaseMetaData::getTableTypes);
        calls.put("getTables", m -> m.getTables(DATABASE, null, META, null));
        calls.put("getColumns", m -> m.getColumns(DATABASE, null, META, null));
        calls.put("getPrimaryKeys", m -> m.getPrimaryKeys(DATABASE, null, "meta_child"));
        calls.put("getIndexInfo", m -> m.getIndexInfo(DATABASE, null, "meta_child", false, true));
        calls.put("getImportedKeys", m -> m.getImportedKeys(DATABASE, null, "meta_child"));
        calls.put("getExportedKeys", m -> m.getExportedKeys(DATABASE, null, "meta_parent"));
        calls.put("getCrossReference", m -> m.getCrossReference(DATABASE, null, "meta_parent", DATABASE, null,
                "meta_child"));
        calls.put("getBestRowIdentifier", m -> m.getBestRowIdentifier(DATABASE, null, "meta_child",
                DatabaseMetaData.bestRowSession, true));
        calls.put("getVersionColumns", m -> m.getVersionColumns(DATABASE, null, "meta_child"));
        calls.put("getColumnPrivileges", m -> m.getColumnPrivileges(DATABASE, null, "meta_child", "%"));
        calls.put("getTablePrivileges", m -> m.getTablePrivileges(DATABASE, null, META));
        calls.put("getTypeInfo", DatabaseMetaData::getTypeInfo);
        calls.put("getProcedures", m -> m.getProcedures(DATABASE, null, META));
        calls.put("getProcedureColumns", m -> m.getProcedureColumns(DATABASE, null, META, "%"));
        calls.put("getFunctions", m -> m.getFunctions(DATABASE, null, META));
        calls.put("getFunctionColumns", m -> m.getFunctionColumns(DATABASE, null, META, "%"));
        calls.put("getUDTs", m -> m.getUDTs(null, null, "%", null));
        calls.put("getSuperTypes", m -> m.getSuperTypes(null, null, "%"));
        calls.put("getSuperTables", m -> m.getSuperTables(null, null, "%"));
        calls.put("getAttributes", m -> m.getAttributes(null, null, "%", "%"));
        calls.put("getClientInfoProperties", DatabaseMetaData::getClientInfoProperties);
        calls.put("getPseudoColumns", m -> m.getPseudoColumns(null, null, "%", "%"));

        for (Map.Entry<String, MetaDataCall> call : calls.entrySet()) {
            try (ResultSet our = call.getValue().call(ours); ResultSet their = call.getValue().call(theirs)) {
                // The Concurrence driver reports no columns for a result without rows (an upstream limitation);
                // then there is nothing to compare, and callers cannot read columns of rows that do not exist.
                if (our.getMetaData().getColumnCount() == 0) {
                    assertThat(our.next()).as("%s: a result without columns has no rows", call.getKey()).isFalse();
                    continue;
                }
                assertThat(labels(our)).as("%s column labels", call.getKey()).isEqualTo(labels(their));
            }
        }
    }

    @Test
    void closingTheResultClosesItsStatement() throws SQLException {
        ResultSet result = ours.getTables(DATABASE, null, META, null);
        Statement statement = result.getStatement();

        result.close();

        assertThat(statement.isClosed()).as("statement closed with its result").isTrue();
    }

    @Test
    void alwaysEmptyResultsHaveNoRows() throws SQLException {
        assertThat(column(ours.getSchemas(), "TABLE_SCHEM", ResultSet::getString)).isEmpty();
        assertThat(column(ours.getUDTs(null, null, "%", null), "TYPE_NAME", ResultSet::getString)).isEmpty();
        assertThat(column(ours.getClientInfoProperties(), "NAME", ResultSet::getString)).isEmpty();
        assertThat(column(ours.getPseudoColumns(null, null, "%", "%"), "COLUMN_NAME", ResultSet::getString))
                .isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    @FunctionalInterface
    private interface MetaDataCall {
        ResultSet call(DatabaseMetaData metaData) throws SQLException;
    }

    @FunctionalInterface
    private interface Getter<T> {
        T get(ResultSet result, String label) throws SQLException;
    }

    private static List<String> labels(ResultSet result) throws SQLException {
        ResultSetMetaData metaData = result.getMetaData();
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            labels.add(metaData.getColumnLabel(i).strip()); // Connector/J's getAttributes says "NULLABLE "
        }
        return labels;
    }

    private static <T> List<T> column(ResultSet result, String label, Getter<T> getter) throws SQLException {
        try (result) {
            List<T> values = new ArrayList<>();
            while (result.next()) {
                values.add(getter.get(result, label));
            }
            return values;
        }
    }

    /**
     * The rows of a result as text, read by label so that both drivers compare alike: whole numbers as their
     * decimal text, booleans (NON_UNIQUE and getTypeInfo's flags) as {@code true}/{@code false}, null as "null".
     */
    private static List<List<Object>> rows(ResultSet result, String... labels) throws SQLException {
        Set<String> booleans = Set.of("NON_UNIQUE", "CASE_SENSITIVE", "UNSIGNED_ATTRIBUTE", "FIXED_PREC_SCALE",
                "AUTO_INCREMENT");
        try (result) {
            List<List<Object>> rows = new ArrayList<>();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (String label : labels) {
                    Object value = booleans.contains(label) ? (Object) result.getBoolean(label)
                            : result.getString(label);
                    row.add(result.wasNull() ? "null" : String.valueOf(value));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
