package io.concurrence.docs;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.concurrence.db.ConcurrenceDataSource;

/** The snippets of docs/database.md; they need MySQL or MariaDB at 127.0.0.1:3306, database test. */
final class DatabaseSnippets {

    /** The URL of the tests' server (root without a password). */
    static final String URL = "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=";

    private DatabaseSnippets() {
    }

    /** A fresh table docs_users with user 42. */
    private static void createUsers() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS docs_users");
            s.execute("CREATE TABLE docs_users (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL)");
            s.execute("INSERT INTO docs_users VALUES (42, 'alice'), (43, 'bob')");
        }
    }

    @Snippet(mysql = true, output = "alice")
    static void dataSource() throws SQLException {
        createUsers();
        // tag::dataSource[]
        ConcurrenceDataSource db = ConcurrenceDataSource.builder()
                .host("127.0.0.1").port(3306).database("test").user("root").password("")
                .poolSize(10)
                .build();

        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT name FROM docs_users WHERE id = ?")) {
            s.setLong(1, 42);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    System.out.println(rs.getString("name"));   // alice
                }
            }
        }
        db.close();
        // end::dataSource[]
    }

    @Snippet(mysql = true, output = "2 users")
    static void driverManager() throws SQLException {
        createUsers();
        // tag::driverManager[]
        try (Connection c = DriverManager.getConnection(
                "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM docs_users")) {
            rs.next();
            System.out.println(rs.getInt(1) + " users");   // 2 users
        }
        // end::driverManager[]
    }
}
