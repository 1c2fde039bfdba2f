package io.concurrence.db.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The driver's {@link DatabaseMetaData} for MySQL and MariaDB servers.
 *
 * <p>Capability methods answer as MySQL Connector/J 9 does with its default properties, except where this driver
 * does less: result sets are {@link ResultSet#TYPE_FORWARD_ONLY}, {@link ResultSet#CONCUR_READ_ONLY} and
 * {@link ResultSet#CLOSE_CURSORS_AT_COMMIT} only. The product name is {@code MariaDB} or {@code MySQL}, read from
 * the server version, whose major and minor numbers are the real ones (Connector/J reports MariaDB as 5.5).
 *
 * <p>Result-set methods run one {@code information_schema} query through the connection's
 * {@link Connection#prepareStatement PreparedStatement}; arguments travel as parameters, never as SQL text. Their
 * columns carry the labels and order of the {@link DatabaseMetaData} Javadoc (see {@link MetaDataSql}).
 * Catalogs are databases and schemas are not used ({@code databaseTerm=CATALOG}): schema arguments are ignored
 * and schema columns are null. A {@code null} catalog does not narrow the search, {@code ""} means the current
 * database ({@code DATABASE()}). Name patterns are SQL LIKE patterns with {@code \} as escape; a {@code null}
 * pattern matches everything.
 *
 * <p>Thread-safe as far as the connection is: the object holds only immutable state.
 */
// DatabaseMetaData has 180 methods, so this file is long by necessity; the SQL lives in MetaDataSql.
public final class JdbcDatabaseMetaData implements DatabaseMetaData {

    /** The driver's name, as {@link #getDriverName()} reports it. */
    public static final String DRIVER_NAME = "Concurrence JDBC (R2DBC MySQL)";

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** MySQL protocol servers that are MariaDB may prefix their version with this (a replication quirk). */
    private static final String MARIADB_PREFIX = "5.5.5-";

    private final Connection connection;
    private final String url;
    private final @Nullable String user;
    private final String serverVersion;
    private final boolean mariaDb;
    private final int[] databaseVersion;
    private final String driverVersion;
    private final int[] driverVersionNumbers;

    /**
     * Creates the metadata of one connection.
     *
     * @param connection    the driver's connection; the result-set methods run their queries through it
     * @param url           the JDBC URL the connection was opened with
     * @param user          the user name, or null if none was given
     * @param serverVersion the server's {@code SELECT VERSION()}, e.g. {@code 10.11.19-MariaDB-0+deb12u1}
     * @param driverVersion the driver's version, e.g. {@code 0.1.0-SNAPSHOT}
     */
    public JdbcDatabaseMetaData(Connection connection, String url, @Nullable String user, String serverVersion,
                                String driverVersion) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.url = Objects.requireNonNull(url, "url");
        this.user = user;
        String version = Objects.requireNonNull(serverVersion, "serverVersion");
        this.mariaDb = version.toLowerCase(Locale.ROOT).contains("mariadb");
        this.serverVersion = mariaDb && version.startsWith(MARIADB_PREFIX)
                ? version.substring(MARIADB_PREFIX.length()) : version;
        this.databaseVersion = majorMinor(this.serverVersion);
        this.driverVersion = Objects.requireNonNull(driverVersion, "driverVersion");
        this.driverVersionNumbers = majorMinor(driverVersion);
    }

    /** {@code [major, minor]} from the leading {@code major.minor} of a version, {@code [0, 0]} if there is none. */
    private static int[] majorMinor(String version) {
        Matcher matcher = VERSION.matcher(version.strip());
        if (!matcher.find()) {
            return new int[] {0, 0};
        }
        try {
            return new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))};
        } catch (NumberFormatException tooLong) {
            return new int[] {0, 0};
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Product, driver and connection

    @Override
    public String getDatabaseProductName() {
        return mariaDb ? "MariaDB" : "MySQL";
    }

    @Override
    public String getDatabaseProductVersion() {
        return serverVersion;
    }

    @Override
    public int getDatabaseMajorVersion() {
        return databaseVersion[0];
    }

    @Override
    public int getDatabaseMinorVersion() {
        return databaseVersion[1];
    }

    @Override
    public String getDriverName() {
        return DRIVER_NAME;
    }

    @Override
    public String getDriverVersion() {
        return driverVersion;
    }

    @Override
    public int getDriverMajorVersion() {
        return driverVersionNumbers[0];
    }

    @Override
    public int getDriverMinorVersion() {
        return driverVersionNumbers[1];
    }

    @Override
    public int getJDBCMajorVersion() {
        return 4;
    }

    @Override
    public int getJDBCMinorVersion() {
        return 3;
    }

    @Override
    public String getURL() {
        return url;
    }

    @Override
    public @Nullable String getUserName() {
        return user;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // SQL dialect

    @Override
    public String getIdentifierQuoteString() {
        return "`";
    }

    @Override
    public String getSQLKeywords() {
        return MetaDataKeywords.SQL_KEYWORDS;
    }

    @Override
    public String getNumericFunctions() {
        return MetaDataKeywords.NUMERIC_FUNCTIONS;
    }

    @Override
    public String getStringFunctions() {
        return MetaDataKeywords.STRING_FUNCTIONS;
    }

    @Override
    public String getSystemFunctions() {
        return MetaDataKeywords.SYSTEM_FUNCTIONS;
    }

    @Override
    public String getTimeDateFunctions() {
        return MetaDataKeywords.TIME_DATE_FUNCTIONS;
    }

    @Override
    public String getSearchStringEscape() {
        return "\\";
    }

    @Override
    public String getExtraNameCharacters() {
        return "$";
    }

    @Override
    public String getSchemaTerm() {
        return "";
    }

    @Override
    public String getProcedureTerm() {
        return "PROCEDURE";
    }

    @Override
    public String getCatalogTerm() {
        return "database";
    }

    @Override
    public boolean isCatalogAtStart() {
        return true;
    }

    @Override
    public String getCatalogSeparator() {
        return ".";
    }

    @Override
    public int getSQLStateType() {
        return sqlStateSQL;
    }

    @Override
    public boolean nullPlusNonNullIsNull() {
        return true;
    }

    @Override
    public boolean nullsAreSortedHigh() {
        return false;
    }

    @Override
    public boolean nullsAreSortedLow() {
        return true;
    }

    @Override
    public boolean nullsAreSortedAtStart() {
        return false;
    }

    @Override
    public boolean nullsAreSortedAtEnd() {
        return false;
    }

    @Override
    public boolean usesLocalFiles() {
        return false;
    }

    @Override
    public boolean usesLocalFilePerTable() {
        return false;
    }

    // Identifier case: Connector/J's answers for lower_case_table_names=0 (the Linux default).

    @Override
    public boolean supportsMixedCaseIdentifiers() {
        return true;
    }

    @Override
    public boolean storesUpperCaseIdentifiers() {
        return false;
    }

    @Override
    public boolean storesLowerCaseIdentifiers() {
        return false;
    }

    @Override
    public boolean storesMixedCaseIdentifiers() {
        return true;
    }

    @Override
    public boolean supportsMixedCaseQuotedIdentifiers() {
        return true;
    }

    @Override
    public boolean storesUpperCaseQuotedIdentifiers() {
        return false;
    }

    @Override
    public boolean storesLowerCaseQuotedIdentifiers() {
        return false;
    }

    @Override
    public boolean storesMixedCaseQuotedIdentifiers() {
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // SQL support

    @Override
    public boolean allProceduresAreCallable() {
        return false;
    }

    @Override
    public boolean allTablesAreSelectable() {
        return false;
    }

    @Override
    public boolean supportsAlterTableWithAddColumn() {
        return true;
    }

    @Override
    public boolean supportsAlterTableWithDropColumn() {
        return true;
    }

    @Override
    public boolean supportsColumnAliasing() {
        return true;
    }

    @Override
    public boolean supportsConvert() {
        return false;
    }

    @Override
    public boolean supportsConvert(int fromType, int toType) {
        return MetaDataTypes.supportsConvert(fromType, toType);
    }

    @Override
    public boolean supportsTableCorrelationNames() {
        return true;
    }

    @Override
    public boolean supportsDifferentTableCorrelationNames() {
        return true;
    }

    @Override
    public boolean supportsExpressionsInOrderBy() {
        return true;
    }

    @Override
    public boolean supportsOrderByUnrelated() {
        return false;
    }

    @Override
    public boolean supportsGroupBy() {
        return true;
    }

    @Override
    public boolean supportsGroupByUnrelated() {
        return true;
    }

    @Override
    public boolean supportsGroupByBeyondSelect() {
        return true;
    }

    @Override
    public boolean supportsLikeEscapeClause() {
        return true;
    }

    @Override
    public boolean supportsMultipleResultSets() {
        return true;
    }

    @Override
    public boolean supportsMultipleTransactions() {
        return true;
    }

    @Override
    public boolean supportsNonNullableColumns() {
        return true;
    }

    @Override
    public boolean supportsMinimumSQLGrammar() {
        return true;
    }

    @Override
    public boolean supportsCoreSQLGrammar() {
        return true;
    }

    @Override
    public boolean supportsExtendedSQLGrammar() {
        return false;
    }

    @Override
    public boolean supportsANSI92EntryLevelSQL() {
        return true;
    }

    @Override
    public boolean supportsANSI92IntermediateSQL() {
        return false;
    }

    @Override
    public boolean supportsANSI92FullSQL() {
        return false;
    }

    @Override
    public boolean supportsIntegrityEnhancementFacility() {
        return false;
    }

    @Override
    public boolean supportsOuterJoins() {
        return true;
    }

    @Override
    public boolean supportsFullOuterJoins() {
        return false;
    }

    @Override
    public boolean supportsLimitedOuterJoins() {
        return true;
    }

    @Override
    public boolean supportsSchemasInDataManipulation() {
        return false;
    }

    @Override
    public boolean supportsSchemasInProcedureCalls() {
        return false;
    }

    @Override
    public boolean supportsSchemasInTableDefinitions() {
        return false;
    }

    @Override
    public boolean supportsSchemasInIndexDefinitions() {
        return false;
    }

    @Override
    public boolean supportsSchemasInPrivilegeDefinitions() {
        return false;
    }

    @Override
    public boolean supportsCatalogsInDataManipulation() {
        return true;
    }

    @Override
    public boolean supportsCatalogsInProcedureCalls() {
        return true;
    }

    @Override
    public boolean supportsCatalogsInTableDefinitions() {
        return true;
    }

    @Override
    public boolean supportsCatalogsInIndexDefinitions() {
        return true;
    }

    @Override
    public boolean supportsCatalogsInPrivilegeDefinitions() {
        return true;
    }

    @Override
    public boolean supportsPositionedDelete() {
        return false;
    }

    @Override
    public boolean supportsPositionedUpdate() {
        return false;
    }

    @Override
    public boolean supportsSelectForUpdate() {
        return true;
    }

    @Override
    public boolean supportsStoredProcedures() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInComparisons() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInExists() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInIns() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInQuantifieds() {
        return true;
    }

    @Override
    public boolean supportsCorrelatedSubqueries() {
        return true;
    }

    @Override
    public boolean supportsUnion() {
        return true;
    }

    @Override
    public boolean supportsUnionAll() {
        return true;
    }

    @Override
    public boolean supportsOpenCursorsAcrossCommit() {
        return false;
    }

    @Override
    public boolean supportsOpenCursorsAcrossRollback() {
        return false;
    }

    @Override
    public boolean supportsOpenStatementsAcrossCommit() {
        return false;
    }

    @Override
    public boolean supportsOpenStatementsAcrossRollback() {
        return false;
    }

    /** False: the driver has no CallableStatement ({@code prepareCall} is not supported). */
    @Override
    public boolean supportsStoredFunctionsUsingCallSyntax() {
        return false;
    }

    @Override
    public boolean supportsNamedParameters() {
        return false;
    }

    /** False: {@code getMoreResults} closes the current result set (KEEP_CURRENT_RESULT is not supported). */
    @Override
    public boolean supportsMultipleOpenResults() {
        return false;
    }

    @Override
    public boolean supportsGetGeneratedKeys() {
        return true;
    }

    @Override
    public boolean generatedKeyAlwaysReturned() {
        return true;
    }

    @Override
    public boolean supportsBatchUpdates() {
        return true;
    }

    @Override
    public boolean supportsSavepoints() {
        return true;
    }

    @Override
    public boolean supportsStatementPooling() {
        return false;
    }

    @Override
    public boolean supportsRefCursors() {
        return false;
    }

    @Override
    public boolean supportsSharding() {
        return false;
    }

    @Override
    public boolean locatorsUpdateCopy() {
        return true;
    }

    @Override
    public boolean autoCommitFailureClosesAllResultSets() {
        return false;
    }

    @Override
    public RowIdLifetime getRowIdLifetime() {
        return RowIdLifetime.ROWID_UNSUPPORTED;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Transactions

    @Override
    public boolean supportsTransactions() {
        return true;
    }

    @Override
    public int getDefaultTransactionIsolation() {
        return Connection.TRANSACTION_REPEATABLE_READ;
    }

    @Override
    public boolean supportsTransactionIsolationLevel(int level) {
        return switch (level) {
            case Connection.TRANSACTION_READ_UNCOMMITTED, Connection.TRANSACTION_READ_COMMITTED,
                 Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE -> true;
            default -> false;
        };
    }

    @Override
    public boolean supportsDataDefinitionAndDataManipulationTransactions() {
        return false;
    }

    @Override
    public boolean supportsDataManipulationTransactionsOnly() {
        return false;
    }

    @Override
    public boolean dataDefinitionCausesTransactionCommit() {
        return true;
    }

    @Override
    public boolean dataDefinitionIgnoredInTransactions() {
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Result sets: forward-only, read-only, closed at commit

    @Override
    public boolean supportsResultSetType(int type) {
        return type == ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public boolean supportsResultSetConcurrency(int type, int concurrency) {
        return type == ResultSet.TYPE_FORWARD_ONLY && concurrency == ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public boolean supportsResultSetHoldability(int holdability) {
        return holdability == ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public int getResultSetHoldability() {
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public boolean ownUpdatesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean ownDeletesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean ownInsertsAreVisible(int type) {
        return false;
    }

    @Override
    public boolean othersUpdatesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean othersDeletesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean othersInsertsAreVisible(int type) {
        return false;
    }

    @Override
    public boolean updatesAreDetected(int type) {
        return false;
    }

    @Override
    public boolean deletesAreDetected(int type) {
        return false;
    }

    @Override
    public boolean insertsAreDetected(int type) {
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Limits (0 = no limit or unknown), as Connector/J reports them

    @Override
    public int getMaxBinaryLiteralLength() {
        return 16777208;
    }

    @Override
    public int getMaxCharLiteralLength() {
        return 16777208;
    }

    @Override
    public int getMaxColumnNameLength() {
        return 64;
    }

    @Override
    public int getMaxColumnsInGroupBy() {
        return 64;
    }

    @Override
    public int getMaxColumnsInIndex() {
        return 16;
    }

    @Override
    public int getMaxColumnsInOrderBy() {
        return 64;
    }

    @Override
    public int getMaxColumnsInSelect() {
        return 256;
    }

    @Override
    public int getMaxColumnsInTable() {
        return 512;
    }

    @Override
    public int getMaxConnections() {
        return 0;
    }

    @Override
    public int getMaxCursorNameLength() {
        return 64;
    }

    @Override
    public int getMaxIndexLength() {
        return 256;
    }

    @Override
    public int getMaxSchemaNameLength() {
        return 0;
    }

    @Override
    public int getMaxProcedureNameLength() {
        return 0;
    }

    @Override
    public int getMaxCatalogNameLength() {
        return 32;
    }

    @Override
    public int getMaxRowSize() {
        return Integer.MAX_VALUE - 8;
    }

    @Override
    public boolean doesMaxRowSizeIncludeBlobs() {
        return true;
    }

    @Override
    public int getMaxStatementLength() {
        return 65531;
    }

    @Override
    public int getMaxStatements() {
        return 0;
    }

    @Override
    public int getMaxTableNameLength() {
        return 64;
    }

    @Override
    public int getMaxTablesInSelect() {
        return 256;
    }

    @Override
    public int getMaxUserNameLength() {
        return 16;
    }

    @Override
    public long getMaxLogicalLobSize() {
        return 0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Catalogs, schemas, tables and columns

    @Override
    public ResultSet getCatalogs() throws SQLException {
        return MetaDataQuery.select(MetaDataSql.CATALOGS).execute(connection, "TABLE_CAT");
    }

    @Override
    public ResultSet getSchemas() throws SQLException {
        return MetaDataQuery.constant(connection, MetaDataSql.SCHEMAS);
    }

    @Override
    public ResultSet getSchemas(@Nullable String catalog, @Nullable String schemaPattern) throws SQLException {
        return getSchemas();
    }

    @Override
    public ResultSet getTableTypes() throws SQLException {
        return MetaDataQuery.constant(connection, MetaDataSql.tableTypes(mariaDb));
    }

    @Override
    public ResultSet getTables(@Nullable String catalog, @Nullable String schemaPattern,
                               @Nullable String tableNamePattern, String @Nullable [] types) throws SQLException {
        if (types != null) {
            for (int i = 0; i < types.length; i++) {
                if (types[i] == null) {
                    throw new SQLException("getTables: types[" + i + "] is null; pass table types from"
                            + " getTableTypes(), or a null array for all types", "HY009");
                }
            }
        }
        return MetaDataQuery.select(MetaDataSql.TABLES)
                .catalog("t.TABLE_SCHEMA", catalog)
                .like("t.TABLE_NAME", tableNamePattern)
                .in(MetaDataSql.TABLE_TYPE, types)
                .execute(connection, MetaDataSql.TABLES_ORDER);
    }

    @Override
    public ResultSet getColumns(@Nullable String catalog, @Nullable String schemaPattern,
                                @Nullable String tableNamePattern, @Nullable String columnNamePattern)
            throws SQLException {
        return MetaDataQuery.select(MetaDataSql.columns(mariaDb))
                .catalog("c.TABLE_SCHEMA", catalog)
                .like("c.TABLE_NAME", tableNamePattern)
                .like("c.COLUMN_NAME", columnNamePattern)
                .execute(connection, MetaDataSql.COLUMNS_ORDER);
    }

    @Override
    public ResultSet getPseudoColumns(@Nullable String catalog, @Nullable String schemaPattern,
                                      @Nullable String tableNamePattern, @Nullable String columnNamePattern)
            throws SQLException {
        return MetaDataQuery.constant(connection, MetaDataSql.PSEUDO_COLUMNS);
    }

    @Override
    public ResultSet getColumnPrivileges(@Nullable String catalog, @Nullable String schema,
                                         @Nullable String table, @Nullable String columnNamePattern)
            throws SQLException {
        return MetaDataQuery.select(MetaDataSql.COLUMN_PRIVILEGES)
                .catalog("p.TABLE_SCHEMA", catalog)
                .equal("p.TABLE_NAME", requireTable("getColumnPrivileges", table))
                .like("p.COLUMN_NAME", columnNamePattern)
                .execute(connection, MetaDataSql.COLUMN_PRIVILEGES_ORDER);
    }

    @Override
    public ResultSet getTablePrivileges(@Nullable String catalog, @Nullable String schemaPattern,
                                        @Nullable String tableNamePattern) throws SQLException {
        return MetaDataQuery.select(MetaDataSql.TABLE_PRIVILEGES)
                .catalog("p.TABLE_SCHEMA", catalog)
                .like("p.TABLE_NAME", tableNamePattern)
                .execute(connection, MetaDataSql.TABLE_PRIVILEGES_ORDER);
    }

    @Override
    public ResultSet getBestRowIdentifier(@Nullable String catalog, @Nullable String schema,
                                          @Nullable String table, int scope, boolean nullable) throws SQLException {
        MetaDataQuery query = MetaDataQuery.select(MetaDataSql.BEST_ROW_IDENTIFIER)
                .catalog("c.TABLE_SCHEMA", catalog)
                .equal("c.TABLE_NAME", requireTable("getBestRowIdentifier", table));
        if (!nullable) {
            query.and("c.IS_NULLABLE = 'NO'");
        }
        return query.execute(connection, MetaDataSql.BEST_ROW_IDENTIFIER_ORDER);
    }

    @Override
    public ResultSet getVersionColumns(@Nullable String catalog, @Nullable String schema, @Nullable String table)
            throws SQLException {
        return MetaDataQuery.select(MetaDataSql.VERSION_COLUMNS)
                .catalog("c.TABLE_SCHEMA", catalog)
                .equal("c.TABLE_NAME", requireTable("getVersionColumns", table))
                .execute(connection, MetaDataSql.VERSION_COLUMNS_ORDER);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Keys and indexes

    @Override
    public ResultSet getPrimaryKeys(@Nullable String catalog, @Nullable String schema, @Nullable String table)
            throws SQLException {
        return MetaDataQuery.select(MetaDataSql.PRIMARY_KEYS)
                .catalog("s.TABLE_SCHEMA", catalog)
                .equal("s.TABLE_NAME", requireTable("getPrimaryKeys", table))
                .execute(connection, "COLUMN_NAME, TABLE_CAT, TABLE_NAME");
    }

    @Override
    public ResultSet getImportedKeys(@Nullable String catalog, @Nullable String schema, @Nullable String table)
            throws SQLException {
        return MetaDataQuery.select(MetaDataSql.FOREIGN_KEYS)
                .catalog("k.TABLE_SCHEMA", catalog)
                .equal("k.TABLE_NAME", requireTable("getImportedKeys", table))
                .execute(connection, MetaDataSql.IMPORTED_KEYS_ORDER);
    }

    @Override
    public ResultSet getExportedKeys(@Nullable String catalog, @Nullable String schema, @Nullable String table)
            throws SQLException {
        return MetaDataQuery.select(MetaDataSql.FOREIGN_KEYS)
                .catalog("k.REFERENCED_TABLE_SCHEMA", catalog)
                .equal("k.REFERENCED_TABLE_NAME", requireTable("getExportedKeys", table))
                .execute(connection, MetaDataSql.EXPORTED_KEYS_ORDER);
    }

    @Override
    public ResultSet getCrossReference(@Nullable String parentCatalog, @Nullable String parentSchema,
                                       @Nullable String parentTable, @Nullable String foreignCatalog,
                                       @Nullable String foreignSchema, @Nullable String foreignTable)
            throws SQLException {
        return MetaDataQuery.select(MetaDataSql.FOREIGN_KEYS)
                .catalog("k.REFERENCED_TABLE_SCHEMA", parentCatalog)
                .equal("k.REFERENCED_TABLE_NAME", requireTable("getCrossReference (parentTable)", parentTable))
                .catalog("k.TABLE_SCHEMA", foreignCatalog)
                .equal("k.TABLE_NAME", requireTable("getCrossReference (foreignTable)", foreignTable))
                .execute(connection, MetaDataSql.EXPORTED_KEYS_ORDER);
    }

    @Override
    public ResultSet getIndexInfo(@Nullable String catalog, @Nullable String schema, @Nullable String table,
                                  boolean unique, boolean approximate) throws SQLException {
        MetaDataQuery query = MetaDataQuery.select(MetaDataSql.INDEX_INFO)
                .catalog("s.TABLE_SCHEMA", catalog)
                .equal("s.TABLE_NAME", requireTable("getIndexInfo", table));
        if (unique) {
            query.and("s.NON_UNIQUE = 0");
        }
        return query.execute(connection, MetaDataSql.INDEX_INFO_ORDER);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Types

    @Override
    public ResultSet getTypeInfo() throws SQLException {
        return MetaDataQuery.constant(connection, MetaDataTypeInfo.SQL);
    }

    @Override
    public ResultSet getUDTs(@Nullable String catalog, @Nullable String schemaPattern,
                             @Nullable String typeNamePattern, int @Nullable [] types) throws SQLException {
        return MetaDataQuery.constant(connection, MetaDataSql.UDTS);
    }

    @Override
    public ResultSet getSuperTypes(@Nullable String catalog, @Nullable String schemaPattern,
                                   @Nullable String typeNamePattern) throws SQLException {
        return MetaDataQuery.constant(connection, MetaDataSql.SUPER_TYPES);
    }

    @Override
    public ResultSet getSuperTables(@Nullable String catalog, @Nullable String schemaPattern,
                                    @Nullable String tableNamePattern) throws SQLException {
        return MetaDataQuery.constant(connection, MetaDataSql.SUPER_TABLES);
    }

    @Override
    public ResultSet getAttributes(@Nullable String catalog, @Nullable String schemaPattern,
                                   @Nullable String typeNamePattern, @Nullable String attributeNamePattern)
            throws SQLException {
        return MetaDataQuery.constant(connection, MetaDataSql.ATTRIBUTES);
    }

    @Override
    public ResultSet getClientInfoProperties() throws SQLException {
        return MetaDataQuery.constant(connection, MetaDataSql.CLIENT_INFO_PROPERTIES);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Procedures and functions

    @Override
    public ResultSet getProcedures(@Nullable String catalog, @Nullable String schemaPattern,
                                   @Nullable String procedureNamePattern) throws SQLException {
        return MetaDataQuery.select(MetaDataSql.PROCEDURES)
                .catalog("r.ROUTINE_SCHEMA", catalog)
                .like("r.ROUTINE_NAME", procedureNamePattern)
                .execute(connection, MetaDataSql.PROCEDURES_ORDER);
    }

    @Override
    public ResultSet getProcedureColumns(@Nullable String catalog, @Nullable String schemaPattern,
                                         @Nullable String procedureNamePattern, @Nullable String columnNamePattern)
            throws SQLException {
        return MetaDataQuery.select(MetaDataSql.PROCEDURE_COLUMNS)
                .catalog("p.SPECIFIC_SCHEMA", catalog)
                .like("p.SPECIFIC_NAME", procedureNamePattern)
                .like("COALESCE(p.PARAMETER_NAME, '')", columnNamePattern)
                .execute(connection, MetaDataSql.PROCEDURE_COLUMNS_ORDER);
    }

    @Override
    public ResultSet getFunctions(@Nullable String catalog, @Nullable String schemaPattern,
                                  @Nullable String functionNamePattern) throws SQLException {
        return MetaDataQuery.select(MetaDataSql.FUNCTIONS)
                .catalog("r.ROUTINE_SCHEMA", catalog)
                .like("r.ROUTINE_NAME", functionNamePattern)
                .execute(connection, MetaDataSql.FUNCTIONS_ORDER);
    }

    @Override
    public ResultSet getFunctionColumns(@Nullable String catalog, @Nullable String schemaPattern,
                                        @Nullable String functionNamePattern, @Nullable String columnNamePattern)
            throws SQLException {
        return MetaDataQuery.select(MetaDataSql.FUNCTION_COLUMNS)
                .catalog("p.SPECIFIC_SCHEMA", catalog)
                .like("p.SPECIFIC_NAME", functionNamePattern)
                .like("COALESCE(p.PARAMETER_NAME, '')", columnNamePattern)
                .execute(connection, MetaDataSql.FUNCTION_COLUMNS_ORDER);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Wrapper

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface != null && iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException(getClass().getName() + " is not a wrapper for " + iface
                + "; check isWrapperFor first", "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface != null && iface.isInstance(this);
    }

    /** The table argument of a method whose Javadoc requires a table name, as Connector/J insists too. */
    private static String requireTable(String method, @Nullable String table) throws SQLException {
        if (table == null) {
            throw new SQLException(method + ": table name is null; pass the table's name as stored in the database",
                    "HY009");
        }
        return table;
    }
}
