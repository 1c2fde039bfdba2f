package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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

        assertBadUrl(() -> DriverManager.getConnection(BASE + "&" + option), name, "expected")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectWithAnOptionOutOfRangeInThePropertiesThrowsSqlException08001() {
        Properties info = new Properties();
        info.setProperty("poolSize", "-3");

        assertBadUrl(() -> new ConcurrenceDriver().connect("jdbc:concurrence:mysql://127.0.0.1:3306/test", info),
                "poolSize -3")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectWithConnectionTimeZoneInThePropertiesAndADifferentServerTimezoneInTheUrlThrowsSqlException() {
        Properties info = new Properties();
        info.setProperty("connectionTimeZone", "UTC");

        assertBadUrl(() -> new ConcurrenceDriver().connect(BASE + "&serverTimezone=Europe/Paris", info),
                "connectionTimeZone=UTC", "serverTimezone=Europe/Paris");
    }

    /** The call fails as JDBC reports a bad URL: exactly {@link SQLException}, SQLState 08001, naming each of these. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertBadUrl(ThrowingCallable call,
            String... named) {
        return assertThatThrownBy(call)
                .isExactlyInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(named))
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("SQLState").isEqualTo("08001"));
    }
}
