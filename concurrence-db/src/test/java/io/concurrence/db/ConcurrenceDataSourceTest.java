package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link ConcurrenceDataSource#fromUrl} and the builder do with options that parse but are out of range. None
 * of these tests connects: every bad option must fail before the pool would open a connection.
 */
class ConcurrenceDataSourceTest {

    private static final String BASE = "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=";

    /** A bad option as a URL, the option the message must name, and what it must say was expected. */
    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of(BASE + "&poolSize=0", "poolSize", "expected at least 1"),
                Arguments.of(BASE + "&poolSize=2&minIdle=5", "minIdle", "expected 0 to poolSize"),
                Arguments.of(BASE + "&queryTimeout=-5s", "queryTimeout", "expected 0 (none) or more"),
                Arguments.of(BASE + "&acquireTimeout=0", "acquireTimeout", "expected a duration > 0"),
                Arguments.of("jdbc:concurrence:mysql://127.0.0.1:0/test", "port", "expected 1 to 65535"),
                Arguments.of(BASE + "&connectionTimeZone=Nowhere/Else", "connectionTimeZone", "Nowhere/Else"),
                Arguments.of(BASE + "&sslCert=/tmp/client.pem", "sslKey", "expected both"));
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void fromUrlWithAnOptionOutOfRangeThrowsSqlException08001NamingTheOption(String url, String option,
            String expected) {
        assertThatThrownBy(() -> ConcurrenceDataSource.fromUrl(url))
                .isExactlyInstanceOf(SQLException.class)
                .hasMessageContaining(option)
                .hasMessageContaining(expected)
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("SQLState").isEqualTo("08001"));
    }

    @Test
    void aBadOptionsMessageShowsTheUrlWithoutItsPassword() {
        assertThatThrownBy(() -> ConcurrenceDataSource.fromUrl(
                "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=s3cret&poolSize=0"))
                .isExactlyInstanceOf(SQLException.class)
                .hasMessageContaining("(in jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=***"
                        + "&poolSize=0)")
                .message().doesNotContain("s3cret");
    }

    @Test
    void builderWithAnUnknownZoneIdThrowsIllegalArgumentExceptionAtBuild() throws SQLException {
        ConcurrenceDataSource.Builder builder = ConcurrenceDataSource.builder().connectionTimeZone("Nowhere/Else");

        assertThatThrownBy(builder::build)
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectionTimeZone 'Nowhere/Else'")
                .hasMessageContaining("expected LOCAL, SERVER or a zone id")
                .hasCauseInstanceOf(java.time.DateTimeException.class);
    }

    @Test
    void builderAcceptsLocalServerAndKnownZoneIds() throws SQLException {
        for (String zone : new String[] {"LOCAL", "server", "UTC", "+02:00", "Europe/Paris"}) {
            try (ConcurrenceDataSource db = ConcurrenceDataSource.builder().connectionTimeZone(zone).build()) {
                assertThat(db.isClosed()).as(zone).isFalse();
            }
        }
    }

    @Test
    void fromUrlWithConnectionTimeZoneAndServerTimezoneDisagreeingThrowsSqlException08001NamingBoth() {
        // Connector/J silently takes connectionTimeZone; a last-one-wins rule would take serverTimezone here.
        // Either way one driver would shift every DATETIME the other reads, so the URL is refused instead.
        String url = BASE + "&connectionTimeZone=UTC&serverTimezone=Europe/Paris";

        assertThatThrownBy(() -> ConcurrenceDataSource.fromUrl(url))
                .isExactlyInstanceOf(SQLException.class)
                .hasMessageContaining("connectionTimeZone=UTC")
                .hasMessageContaining("serverTimezone=Europe/Paris")
                .hasMessageContaining("expected one of them")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("SQLState").isEqualTo("08001"));
    }

    @Test
    void fromUrlAcceptsServerTimezoneAloneOrAgreeingWithConnectionTimeZone() throws SQLException {
        for (String zones : new String[] {"serverTimezone=UTC", "connectionTimeZone=UTC&serverTimezone=UTC"}) {
            try (ConcurrenceDataSource db = ConcurrenceDataSource.fromUrl(BASE + "&" + zones)) {
                assertThat(db.isClosed()).as(zones).isFalse();
            }
        }
    }

    @Test
    void fromUrlTrimsTheItemsOfTlsVersionAndDropsEmptyOnes() throws SQLException {
        // "+" and "%20" both decode to a space.
        try (ConcurrenceDataSource db = ConcurrenceDataSource.fromUrl(BASE + "&tlsVersion=TLSv1.2,+TLSv1.3,%20,")) {
            assertThat(db.pool().config().tlsVersions()).containsExactly("TLSv1.2", "TLSv1.3");
        }
        try (ConcurrenceDataSource db = ConcurrenceDataSource.fromUrl(BASE + "&tlsVersion=")) {
            assertThat(db.pool().config().tlsVersions()).as("empty: the JDK's").isEmpty();
        }
    }

    @Test
    void fromUrlSplitsSessionVariablesOnlyOnCommasOutsideQuotesAndParentheses() throws SQLException {
        String variables = "sql_mode='STRICT_ALL_TABLES,ANSI_QUOTES',%20time_zone=%22%2B00:00%22,"
                + "@x=CONCAT('a,', 'it''s,b'),@y=`a,b`";
        try (ConcurrenceDataSource db = ConcurrenceDataSource.fromUrl(BASE + "&sessionVariables=" + variables)) {
            assertThat(db.pool().config().sessionVariables()).containsExactly(
                    "sql_mode='STRICT_ALL_TABLES,ANSI_QUOTES'", "time_zone=\"+00:00\"",
                    "@x=CONCAT('a,', 'it''s,b')", "@y=`a,b`");
        }
    }

    @Test
    void fromUrlWithAnUnterminatedQuoteInSessionVariablesThrowsSqlException08001() {
        assertThatThrownBy(() -> ConcurrenceDataSource.fromUrl(BASE + "&sessionVariables=sql_mode='A,B"))
                .isExactlyInstanceOf(SQLException.class)
                .hasMessageContaining("sessionVariables")
                .hasMessageContaining("unterminated")
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("SQLState").isEqualTo("08001"));
    }

    @Test
    void aSessionVariableWithACommaInsideQuotesReachesTheServerWhole() throws Exception {
        DbTestSupport.requireServer();
        String url = DbTestSupport.url("poolSize=1&sessionVariables=sql_mode='STRICT_ALL_TABLES,ANSI_QUOTES'");

        try (ConcurrenceDataSource db = ConcurrenceDataSource.fromUrl(url); Connection c = db.getConnection();
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@session.sql_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getString(1).split(","))).containsExactlyInAnyOrder("STRICT_ALL_TABLES",
                    "ANSI_QUOTES");
        }
    }
}
