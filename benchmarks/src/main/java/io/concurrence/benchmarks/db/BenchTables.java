package io.concurrence.benchmarks.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/**
 * The tables of the database scenarios, created and filled (through Connector/J, before any variant runs)
 * when they do not hold the expected rows. Row {@code i} (ids {@code 1..n}) is
 * {@code (i, name(i), value(i))}, so a reader can check what it got.
 *
 * <ul>
 *   <li>{@value #POINT} {@code (id INT PRIMARY KEY, name VARCHAR(32), value INT)}: {@value #POINT_ROWS}
 *       rows, read one at a time by {@code db-point-select};</li>
 *   <li>{@value #BULK} {@code (id BIGINT PRIMARY KEY, name VARCHAR(32), value INT)}: 1 000 000 rows,
 *       streamed whole by {@code db-bulk-read}; a quick run reads its own {@value #BULK_QUICK} of
 *       10 000 rows, so that a quick run never refills the table under a full one.</li>
 * </ul>
 */
public final class BenchTables {

    /** The table of {@code db-point-select}. */
    public static final String POINT = "bench_point";

    /** The rows of {@link #POINT}: ids {@code 1..POINT_ROWS}. */
    public static final int POINT_ROWS = 10_000;

    /** The table of {@code db-bulk-read}. */
    public static final String BULK = "bench_bulk";

    /** The table of a quick {@code db-bulk-read}. */
    public static final String BULK_QUICK = "bench_bulk_quick";

    private static final int ROWS_PER_INSERT = 1_000;

    /** The tables this JVM has found (or made) complete; checked once per run. */
    private static final Set<String> READY = new HashSet<>();

    private BenchTables() {
    }

    /** The name column of row {@code id}. */
    public static String name(long id) {
        return "name-" + id;
    }

    /** The value column of row {@code id}. */
    public static int value(long id) {
        return (int) (id * 7 % 1_000);
    }

    /** Makes sure {@value #POINT} holds its {@value #POINT_ROWS} rows. */
    public static synchronized void ensurePoint(MysqlTarget target) throws SQLException {
        ensure(target, POINT, "INT", POINT_ROWS);
    }

    /** Makes sure the bulk table {@code table} holds ids {@code 1..rows}. */
    public static synchronized void ensureBulk(MysqlTarget target, String table, int rows) throws SQLException {
        ensure(target, table, "BIGINT", rows);
    }

    private static void ensure(MysqlTarget target, String table, String idType, int rows) throws SQLException {
        if (READY.contains(table)) {
            return;
        }
        Properties credentials = new Properties();
        credentials.setProperty("user", target.user());
        credentials.setProperty("password", target.password());
        try (Connection connection = DriverManager.getConnection(target.connectorJUrl(), credentials);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (id " + idType
                    + " PRIMARY KEY, name VARCHAR(32) NOT NULL, value INT NOT NULL)");
            if (!complete(statement, table, rows)) {
                System.err.printf("filling %s with %,d rows...%n", table, rows);
                statement.execute("TRUNCATE TABLE " + table);
                fill(connection, statement, table, rows);
                if (!complete(statement, table, rows)) {
                    throw new IllegalStateException(table + " does not hold ids 1.." + rows
                            + " after filling it: is someone else writing to it?");
                }
            }
        }
        READY.add(table);
    }

    /** Whether {@code table} holds exactly ids {@code 1..rows}. */
    private static boolean complete(Statement statement, String table, int rows) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT COUNT(*), MIN(id), MAX(id) FROM " + table)) {
            result.next();
            return result.getLong(1) == rows && result.getLong(2) == 1 && result.getLong(3) == rows;
        }
    }

    private static void fill(Connection connection, Statement statement, String table, int rows)
            throws SQLException {
        connection.setAutoCommit(false);
        StringBuilder insert = new StringBuilder();
        for (int first = 1; first <= rows; first += ROWS_PER_INSERT) {
            insert.setLength(0);
            insert.append("INSERT INTO ").append(table).append(" (id, name, value) VALUES ");
            int last = Math.min(rows, first + ROWS_PER_INSERT - 1);
            for (int id = first; id <= last; id++) {
                insert.append(id == first ? "(" : ",(").append(id).append(",'").append(name(id)).append("',")
                        .append(value(id)).append(')');
            }
            statement.executeUpdate(insert.toString());
        }
        connection.commit();
        connection.setAutoCommit(true);
    }
}
