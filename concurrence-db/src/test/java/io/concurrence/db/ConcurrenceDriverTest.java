package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link ConcurrenceDriver} does with bad options; none of these tests reaches a server. */
class ConcurrenceDriverTest {

    private static final String BASE = "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=";

    @ParameterizedTest
    @ValueSource(strings = {"poolSize=0", "poolSize=2&minIdle=3", "maxIdleTime=-1s", "connectionTimeZone=Nowhere/Else"})
    void getConnectionWithAnOptionOutOfRangeThrowsSqlException08001(String option) {
        String name = option.substring(option.lastIndexOf('&') + 1, option.lastIndexOf('='));

        assertThatThrownBy(() -> DriverManager.getConnection(BASE + "&" + option))
                .isExactlyInstanceOf(SQLException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("expected")
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("SQLState").isEqualTo("08001"));
    }

    @Test
    void connectWithAnOptionOutOfRangeInThePropertiesThrowsSqlException08001() {
        Properties info = new Properties();
        info.setProperty("poolSize", "-3");

        assertThatThrownBy(() -> new ConcurrenceDriver().connect("jdbc:concurrence:mysql://127.0.0.1:3306/test", info))
                .isExactlyInstanceOf(SQLException.class)
                .hasMessageContaining("poolSize -3")
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("SQLState").isEqualTo("08001"));
    }

    @Test
    void connectWithConnectionTimeZoneInThePropertiesAndADifferentServerTimezoneInTheUrlThrowsSqlException() {
        Properties info = new Properties();
        info.setProperty("connectionTimeZone", "UTC");

        assertThatThrownBy(() -> new ConcurrenceDriver().connect(BASE + "&serverTimezone=Europe/Paris", info))
                .isExactlyInstanceOf(SQLException.class)
                .hasMessageContaining("connectionTimeZone=UTC")
                .hasMessageContaining("serverTimezone=Europe/Paris")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("SQLState").isEqualTo("08001"));
    }
}
