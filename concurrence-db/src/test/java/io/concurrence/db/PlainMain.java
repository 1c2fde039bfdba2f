package io.concurrence.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.concurrence.Tasklet;

/**
 * A plain JDBC program: {@code DriverManager} on the main thread, no tasklet, no framework, no explicit shutdown.
 * {@code PoolTest} runs it in a child JVM and checks what it prints, and that the JVM exits when {@code main}
 * returns.
 */
public final class PlainMain {

    private PlainMain() {
    }

    /**
     * Prints {@code plain-main answer=42 tasklet=false virtual=false}.
     *
     * @param args the JDBC URL, optionally (default: the test server's)
     */
    public static void main(String[] args) throws SQLException {
        String url = args.length > 0 ? args[0] : "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT CONCAT('answer=', 6 * 7)")) {
            if (!rs.next()) {
                throw new IllegalStateException("SELECT CONCAT('answer=', 6 * 7) returned no row");
            }
            System.out.println("plain-main " + rs.getString(1) + " tasklet=" + Tasklet.findCurrent().isPresent()
                    + " virtual=" + Thread.currentThread().isVirtual());
        }
    }
}
