package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One-value queries the DB tests share. */
final class Queries {

    private Queries() {
    }

    /** The first column of the one row of {@code sql}, as an int; fails the test when there is no row. */
    static int selectInt(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from " + sql).isTrue();
            return rs.getInt(1);
        }
    }

    /** The server's id of the connection behind {@code c} ({@code SELECT CONNECTION_ID()}). */
    static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            assertThat(rs.next()).as("a row from SELECT CONNECTION_ID()").isTrue();
            return rs.getLong(1);
        }
    }
}
