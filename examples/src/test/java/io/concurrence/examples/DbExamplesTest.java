package io.concurrence.examples;

import static io.concurrence.examples.ExampleRun.capture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.concurrence.Concurrence;

/**
 * Runs the database examples ({@code jdbc}, {@code queryblaster}) as their commands do and checks what they print.
 * They need MariaDB/MySQL at {@code CONCURRENCE_MYSQL_URL} (default 127.0.0.1:3306): without it these tests are
 * skipped, or fail when {@code CI=true}, as concurrence-db's own tests do. Option parsing needs no server.
 */
@org.junit.jupiter.api.Timeout(120)
class DbExamplesTest {

    /**
     * Fails (CI) or skips (elsewhere) unless the server of {@link Jdbc#url()} answers on its port. A copy of
     * concurrence-db's {@code DbTestSupport.requireServer}, whose test classes are not on this module's class path.
     */
    static void requireServer() {
        String rest = Jdbc.url().substring("jdbc:concurrence:mysql://".length());
        String authority = rest.split("[/?]", 2)[0];
        String host = authority.contains(":") ? authority.substring(0, authority.lastIndexOf(':')) : authority;
        int port = authority.contains(":") ? Integer.parseInt(authority.substring(authority.lastIndexOf(':') + 1))
                : 3306;
        boolean up;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            up = true;
        } catch (Exception e) {
            up = false;
        }
        String message = "MySQL/MariaDB is not reachable at " + host + ":" + port + " (start it as in"
                + " ../shared/design/BUILD.md, or set CONCURRENCE_MYSQL_URL)";
        if ("true".equals(System.getenv("CI"))) {
            if (!up) {
                fail(message);
            }
        } else {
            assumeTrue(up, message);
        }
    }

    @Test
    void jdbcInsertsCommitsReadsConcurrentlyTimesOutAndClosesThePool() {
        requireServer();

        ExampleRun run = capture(() -> Examples.run("jdbc"));

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(Concurrence.EXIT_OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).startsWith("created table ex_greetings");
        assertThat(run.out())
                .containsPattern("(?m)^inserted English with id \\d+$")
                .containsPattern("(?m)^inserted Dutch with id \\d+$")
                .containsPattern("(?m)^inserted French with id \\d+$")
                .contains("committed German and Spanish: 5 greetings")
                .contains("rolled back Klingon: 5 greetings")
                .contains("10 readers on 4 connections");
        // The readers print in the order they finish; reader n reads row (n - 1) % 5.
        assertThat(lines).contains(
                "  reader 1 read English: Hello World", "  reader 6 read English: Hello World",
                "  reader 2 read Dutch: Hallo Wereld", "  reader 7 read Dutch: Hallo Wereld",
                "  reader 3 read French: Bonjour le monde", "  reader 8 read French: Bonjour le monde",
                "  reader 4 read German: Hallo Welt", "  reader 9 read German: Hallo Welt",
                "  reader 5 read Spanish: Hola Mundo", "  reader 10 read Spanish: Hola Mundo");
        assertThat(lines.stream().filter(l -> l.startsWith("  reader "))).hasSize(10);
        assertThat(lines).hasSizeGreaterThan(4);
        List<String> last = lines.subList(lines.size() - 4, lines.size());
        assertThat(last.get(0)).isEqualTo("all readers done");
        String timedOut = "SELECT SLEEP(5) with a 1 s query timeout: SQLTimeoutException: ";
        assertThat(last.get(1)).startsWith(timedOut);
        assertThat(last.get(1).substring(timedOut.length())).as("the exception's message")
                .contains("timed out", "SLEEP(5)");
        assertThat(last.subList(2, 4)).containsExactly("same connection afterwards: still usable", "pool closed");
    }

    @Test
    void queryblasterRunsTheTotalOnAllSessionsWithoutErrorsAndPrintsTheRate() {
        requireServer();

        ExampleRun run = capture(() -> Examples.run("queryblaster", "--sessions", "8", "--queries-per-connection", "50",
                "--total", "2000", "--url", Jdbc.url()));

        assertThat(run.exitCode()).as("exit code; stdout: %s; stderr: %s", run.out(), run.err())
                .isEqualTo(Concurrence.EXIT_OK);
        assertThat(run.out())
                .contains("queryblaster: 2000 x 'SELECT 1', 8 sessions, 50 queries per connection, pool of 8 on ")
                .containsPattern("(?m)^queries: 2000$")
                .containsPattern("(?m)^seconds: \\d+\\.\\d\\d$")
                .containsPattern("(?m)^queries/s: [1-9]\\d*$")
                .containsPattern("(?m)^errors: 0$");
    }

    @Test
    void queryblasterCountsFailedQueriesByExceptionClassAndExitsWithOne() {
        requireServer();

        ExampleRun run = capture(() -> Examples.run("queryblaster", "--sessions=4", "--total=40", "--pool-size=2",
                "--query=SELECT * FROM ex_no_such_table"));

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(Concurrence.EXIT_ERROR);
        assertThat(run.out())
                .contains("pool of 2 on ")
                .containsPattern("(?m)^queries: 40$")
                .containsPattern("(?m)^errors: 40$")
                .containsPattern("(?m)^  SQLSyntaxErrorException: 40 \\(first: .*ex_no_such_table.*\\)$");
    }

    @Test
    void queryblasterRefusesAnUnknownOptionWithTheUsage() {
        ExampleRun run = capture(() -> Examples.run("queryblaster", "--sessions", "8", "--bogus", "1"));

        assertThat(run.exitCode()).isEqualTo(Examples.EXIT_USAGE);
        assertThat(run.err())
                .startsWith("queryblaster: unknown option '--bogus'")
                .contains("usage: queryblaster [options]", "--queries-per-connection Q");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void queryblasterHelpPrintsTheUsageAndSucceeds() {
        ExampleRun run = capture(() -> Examples.run("queryblaster", "--help"));

        assertThat(run.exitCode()).isEqualTo(Concurrence.EXIT_OK);
        assertThat(run.out()).startsWith("usage: queryblaster [options]");
    }

    @Test
    void queryblasterOptionsAreParsedInBothFormsOverTheDefaults() {
        QueryBlaster.Options defaults = QueryBlaster.Options.parse(List.of(), "jdbc:concurrence:mysql://h/db");
        assertThat(defaults).isEqualTo(new QueryBlaster.Options(32, 100, 100_000, "SELECT 1", 32,
                "jdbc:concurrence:mysql://h/db"));

        QueryBlaster.Options given = QueryBlaster.Options.parse(List.of("--sessions", "64", "--total=20_000",
                "--query", "SELECT NOW()", "--queries-per-connection=1", "--url", "jdbc:concurrence:mysql://x/y"),
                "unused");
        assertThat(given).isEqualTo(new QueryBlaster.Options(64, 1, 20_000, "SELECT NOW()", 64,
                "jdbc:concurrence:mysql://x/y"));
        assertThat(QueryBlaster.Options.parse(List.of("--sessions", "4", "--pool-size", "2"), "u").poolSize())
                .isEqualTo(2);
    }

    @Test
    void queryblasterOptionsNameTheOptionThatIsMalformed() {
        assertThatThrownBy(() -> QueryBlaster.Options.parse(List.of("--total", "lots"), "u"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option --total 'lots' is not a whole number");
        assertThatThrownBy(() -> QueryBlaster.Options.parse(List.of("--sessions", "0"), "u"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option --sessions 0 is out of range: expected at least 1");
        assertThatThrownBy(() -> QueryBlaster.Options.parse(List.of("--sessions", "3000000000"), "u"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option --sessions 3000000000 is too large");
        assertThatThrownBy(() -> QueryBlaster.Options.parse(List.of("--pool-size"), "u"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option --pool-size needs a value");
        assertThatThrownBy(() -> QueryBlaster.Options.parse(List.of("sessions=3"), "u"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option 'sessions=3'");
    }

    @Test
    void anExampleWithoutArgumentsRefusesSome() {
        ExampleRun run = capture(() -> Examples.run("hello", "extra"));

        assertThat(run.exitCode()).isEqualTo(Examples.EXIT_USAGE);
        assertThat(run.err()).contains("The example 'hello' takes no arguments; got [extra]");
        assertThat(run.out()).isEmpty();
    }
}
