package io.concurrence.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class DbUrlTest {

    private static final String BASE = "jdbc:concurrence:mysql://db.example:3307/shop";

    @Test
    void parseKeepsTheQueryOptionsInTheOrderWritten() throws SQLException {
        List<String> names = List.of("poolSize", "user", "minIdle", "acquireTimeout", "killGrace", "password",
                "tcpNoDelay", "metrics", "poolName", "queryTimeout", "sslMode", "connectTimeout");
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            pairs.add(names.get(i) + "=" + i);
        }

        DbUrl url = DbUrl.parse(BASE + "?" + String.join("&", pairs), new Properties());

        assertThat(List.copyOf(url.options().keySet())).isEqualTo(names);
        assertThat(url.options().get("tcpNoDelay")).isEqualTo("6");
    }

    @Test
    void parsePutsThePropertiesSortedByNameBeforeTheQueryAndLetsTheQueryOverrideThem() throws SQLException {
        Properties info = new Properties();
        info.setProperty("user", "app");
        info.setProperty("password", "secret");
        info.setProperty("poolSize", "4");

        DbUrl url = DbUrl.parse(BASE + "?poolSize=8&metrics=true&poolSize=9", info);

        assertThat(url.options()).containsExactly(Map.entry("password", "secret"), Map.entry("poolSize", "9"),
                Map.entry("user", "app"), Map.entry("metrics", "true"));
    }

    @Test
    void theOptionsCannotBeChanged() throws SQLException {
        DbUrl url = DbUrl.parse(BASE + "?poolSize=8", new Properties());

        assertThatThrownBy(() -> url.options().put("poolSize", "1"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(url.options()).containsExactly(Map.entry("poolSize", "8"));
    }

    @Test
    void errorsShowTheUrlWithoutItsPassword() {
        assertThatThrownBy(() -> DbUrl.parse("jdbc:concurrence:mysql://h:x/db?user=u&password=s3cret", null))
                .isInstanceOf(SQLException.class)
                .hasMessage("bad port 'x' in jdbc:concurrence:mysql://h:x/db?user=u&password=***: expected a number");
        assertThatThrownBy(() -> DbUrl.parse("jdbc:concurrence:mysql://h/db?Password=s3cret%zz&user=u", null))
                .isInstanceOf(SQLException.class)
                .hasMessage("bad percent-encoding in the password in "
                        + "jdbc:concurrence:mysql://h/db?Password=***&user=u");
    }

    @Test
    void redactedReplacesEveryPasswordValueAndLeavesTheRest() {
        assertThat(DbUrl.redacted("jdbc:concurrence:mysql://h/db?password=a&user=u&password=b"))
                .isEqualTo("jdbc:concurrence:mysql://h/db?password=***&user=u&password=***");
        assertThat(DbUrl.redacted("jdbc:concurrence:mysql://h/db?user=u&passwords=kept"))
                .isEqualTo("jdbc:concurrence:mysql://h/db?user=u&passwords=kept");
    }
}
