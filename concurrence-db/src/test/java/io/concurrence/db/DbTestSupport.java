package io.concurrence.db;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What the DB tests share: the server's URL ({@code CONCURRENCE_MYSQL_URL}, default
 * {@code jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=}), a check that it is up (a failure when
 * {@code CI=true}, a skip naming the server elsewhere), one set of time bounds, and a bounded retry.
 */
public final class DbTestSupport {

    /** The bound on anything that should happen "soon" (CI runs on 2 shared cores). */
    public static final Duration SOON = Duration.ofSeconds(30);

    private DbTestSupport() {
    }

    /** The test server's JDBC URL, without options. */
    public static String url() {
        String url = System.getenv("CONCURRENCE_MYSQL_URL");
        return url != null && !url.isBlank() ? url : "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=";
    }

    /** {@link #url()} with more options ({@code "poolSize=2&queryTimeout=1s"}). */
    public static String url(String options) {
        String base = url();
        return base + (base.contains("?") ? "&" : "?") + options;
    }

    /** Fails (CI) or skips (elsewhere) unless the test server answers on its port. */
    public static void requireServer() {
        String rest = url().substring("jdbc:concurrence:mysql://".length());
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

    /** A data source on the test server with {@code options}. */
    public static ConcurrenceDataSource dataSource(String options) throws SQLException {
        return ConcurrenceDataSource.fromUrl(options.isEmpty() ? url() : url(options));
    }

    /** Runs each statement on {@code connection}. */
    public static void exec(Connection connection, String... sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        }
    }

    /** Retries {@code condition} until it holds or {@link #SOON} passes; fails naming {@code what}. */
    public static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + SOON.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
