package io.concurrence.examples;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.concurrence.Concurrence;
import io.concurrence.Tasklet;
import io.concurrence.db.ConcurrenceDataSource;

/**
 * Plain JDBC from tasklets, on concurrence-db: a pooled {@link ConcurrenceDataSource}, a table, inserts through a
 * {@link PreparedStatement} with generated keys, a transaction, ten tasklets querying at once on a smaller pool,
 * and a query timeout. Every call blocks only its own tasklet; the driver does its IO on R2DBC MySQL underneath.
 *
 * <p>The server comes from {@code CONCURRENCE_MYSQL_URL} (default {@value #DEFAULT_URL}). The example recreates
 * the table {@value #TABLE} and leaves it behind for a look. Run it with
 * {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=jdbc}. It quits when done.
 */
public final class Jdbc {

    /** The server used when {@code CONCURRENCE_MYSQL_URL} is not set. */
    static final String DEFAULT_URL = "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=";

    /** The example's table. */
    static final String TABLE = "ex_greetings";

    /** How many tasklets query at once, and how many connections they share. */
    private static final int READERS = 10;
    private static final int POOL_SIZE = 4;

    /** The bound on each reader's join: generous, the machine may be busy. */
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private Jdbc() {
    }

    /** The server's URL: {@code CONCURRENCE_MYSQL_URL}, or {@link #DEFAULT_URL}. */
    static String url() {
        String url = System.getenv("CONCURRENCE_MYSQL_URL");
        return url != null && !url.isBlank() ? url : DEFAULT_URL;
    }

    /** Runs every step against the server at {@code url}, printing to {@code out}. Call it from a tasklet. */
    static void run(String url, PrintStream out) throws SQLException {
        // Options in the URL win over these defaults.
        ConcurrenceDataSource db = ConcurrenceDataSource.builder()
                .poolSize(POOL_SIZE).poolName("jdbc-example")
                .url(url)
                .build();
        try (db) {
            createTable(db, out);
            insertGreetings(db, out);
            transaction(db, out);
            concurrentReads(db, out);
            queryTimeout(db, out);
        }
        out.println("pool closed");
    }

    private static void createTable(ConcurrenceDataSource db, PrintStream out) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("CREATE TABLE " + TABLE + " (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " language VARCHAR(20) NOT NULL, greeting VARCHAR(100) NOT NULL)");
        }
        out.println("created table " + TABLE);
    }

    /** Inserts with a prepared statement and reads back each row's generated id. */
    private static void insertGreetings(ConcurrenceDataSource db, PrintStream out) throws SQLException {
        String[][] rows = {{"English", "Hello World"}, {"Dutch", "Hallo Wereld"}, {"French", "Bonjour le monde"}};
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO " + TABLE + " (language, greeting) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            for (String[] row : rows) {
                insert.setString(1, row[0]);
                insert.setString(2, row[1]);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    out.println("inserted " + row[0] + " with id " + keys.getLong(1));
                }
            }
        }
    }

    /** Two inserts that become visible together on commit; one more that a rollback takes back. */
    private static void transaction(ConcurrenceDataSource db, PrintStream out) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO " + TABLE + " (language, greeting) VALUES (?, ?)")) {
            c.setAutoCommit(false);
            insert.setString(1, "German");
            insert.setString(2, "Hallo Welt");
            insert.executeUpdate();
            insert.setString(1, "Spanish");
            insert.setString(2, "Hola Mundo");
            insert.executeUpdate();
            c.commit();
            out.println("committed German and Spanish: " + count(db) + " greetings");

            insert.setString(1, "Klingon");
            insert.setString(2, "nuqneH");
            insert.executeUpdate();
            c.rollback();
            out.println("rolled back Klingon: " + count(db) + " greetings");
            // Connection.close() would restore auto-commit anyway; saying it keeps the example honest.
            c.setAutoCommit(true);
        }
    }

    /** Counts the rows on another connection, which sees only committed ones. */
    private static long count(ConcurrenceDataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * {@value #READERS} tasklets each borrow a connection and read one greeting, all at once; with
     * {@value #POOL_SIZE} connections the rest wait their turn in {@code getConnection}. Each reader prints what it
     * read; the order of those lines varies from run to run.
     */
    private static void concurrentReads(ConcurrenceDataSource db, PrintStream out) {
        out.println(READERS + " readers on " + POOL_SIZE + " connections");
        List<Tasklet<String>> readers = new ArrayList<>();
        for (int i = 1; i <= READERS; i++) {
            int reader = i;
            readers.add(Tasklet.named("reader-" + reader).spawn(() -> {
                String greeting = read(db, reader);
                out.println("  reader " + reader + " read " + greeting);
                return greeting;
            }));
        }
        for (Tasklet<String> reader : readers) {
            reader.join(LIMIT);
        }
        out.println("all readers done");
    }

    /** Reader {@code n} reads the n-th greeting in id order, cycling over the five rows. */
    private static String read(ConcurrenceDataSource db, int n) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT language, greeting FROM " + TABLE + " ORDER BY id LIMIT 1 OFFSET ?")) {
            select.setInt(1, (n - 1) % 5);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getString("language") + ": " + rs.getString("greeting");
            }
        }
    }

    /**
     * A 5 s query with a 1 s timeout: the driver stops waiting, has the server kill the query, and throws
     * {@link SQLTimeoutException}. The connection stays usable.
     */
    private static void queryTimeout(ConcurrenceDataSource db, PrintStream out) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            try (ResultSet rs = s.executeQuery("SELECT SLEEP(5)")) {
                rs.next();
                out.println("SELECT SLEEP(5) was not timed out");
            } catch (SQLTimeoutException e) {
                out.println("SELECT SLEEP(5) with a 1 s query timeout: " + e.getClass().getSimpleName() + ": "
                        + e.getMessage());
            }
            try (ResultSet rs = s.executeQuery("SELECT 'still usable'")) {
                rs.next();
                out.println("same connection afterwards: " + rs.getString(1));
            }
        }
    }

    /** The example's body: runs inside {@link Concurrence#dispatch}; quits when done. */
    static void main() {
        try {
            run(url(), System.out);
            Concurrence.quit(Concurrence.EXIT_OK);
        } catch (SQLException e) {
            System.err.println("jdbc example failed: " + e + "; is MariaDB/MySQL running? (the server comes from"
                    + " CONCURRENCE_MYSQL_URL, default 127.0.0.1:3306)");
            Concurrence.quit(Concurrence.EXIT_ERROR);
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(Jdbc::main));
    }
}
