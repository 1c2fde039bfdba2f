package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @BeforeAll
    static void server() {
        DbTestSupport.requireServer();
    }

    @Test
    void driverManagerCrud() throws Exception {
        try (Connection c = DriverManager.getConnection(DbTestSupport.url())) {
            DbTestSupport.exec(c, "DROP TABLE IF EXISTS smoke_t",
                    "CREATE TABLE smoke_t (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20), flag TINYINT(1))");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO smoke_t (name, flag) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, "a");
                p.setBoolean(2, true);
                assertThat(p.executeUpdate()).isEqualTo(1);
                try (ResultSet keys = p.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong(1)).isPositive();
                }
            }
            try (Statement s = c.createStatement()) {
                assertThat(s.execute("SELECT * FROM smoke_t WHERE id < 0")).isTrue();
                assertThat(s.getResultSet().next()).isFalse();
                assertThat(s.execute("UPDATE smoke_t SET name = 'b' WHERE id < 0")).isFalse();
                assertThat(s.getUpdateCount()).isZero();
                try (ResultSet rs = s.executeQuery("SELECT id, name, flag, 1 FROM smoke_t")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("name")).isEqualTo("a");
                    assertThat(rs.getObject("flag")).isEqualTo(Boolean.TRUE);
                    assertThat(((Number) rs.getObject(4)).intValue()).isEqualTo(1);
                    assertThat(rs.next()).isFalse();
                }
            }
        }
    }

    @Test
    void warningsOfTheLastStatementAreFetchedWhenAskedFor() throws Exception {
        try (Connection c = DriverManager.getConnection(DbTestSupport.url()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT CAST('12abc' AS SIGNED)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(12);
            }
            java.sql.SQLWarning warning = s.getWarnings();
            assertThat((Object) warning).isNotNull();
            assertThat(warning.getMessage()).contains("Truncated incorrect INTEGER value");
            assertThat(warning.getErrorCode()).isEqualTo(1292);
            s.clearWarnings();
            assertThat((Object) s.getWarnings()).isNull();
            // MySQL keeps an earlier statement's warnings across statements that use no table; this one uses one.
            DbTestSupport.exec(c, "CREATE TABLE IF NOT EXISTS smoke_w (id INT)");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM smoke_w")) {
                rs.next();
            }
            assertThat((Object) s.getWarnings()).isNull();
        }
    }
}
