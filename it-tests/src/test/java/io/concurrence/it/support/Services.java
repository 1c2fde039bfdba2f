package io.concurrence.it.support;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The services the suite talks to: MariaDB at {@code CONCURRENCE_MYSQL_URL} (default 127.0.0.1:3306, root with
 * an empty password, database {@code test}). A missing server fails the test when {@code CI=true} and skips it,
 * naming the server, elsewhere.
 */
public final class Services {

    private static final String DEFAULT_URL = "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=";
    private static final int CONNECT_MILLIS = 2000;

    private Services() {
    }

    /** The MariaDB JDBC URL, without options. */
    public static String mysqlUrl() {
        String url = System.getenv("CONCURRENCE_MYSQL_URL");
        return url != null && !url.isBlank() ? url : DEFAULT_URL;
    }

    /** {@link #mysqlUrl()} with more options ({@code "poolSize=2&queryTimeout=1s"}). */
    public static String mysqlUrl(String options) {
        String base = mysqlUrl();
        return base + (base.contains("?") ? "&" : "?") + options;
    }

    /** Fails (CI) or skips (elsewhere) unless MariaDB answers on its port. */
    public static void requireMysql() {
        String rest = mysqlUrl().substring("jdbc:concurrence:mysql://".length());
        String authority = rest.split("[/?]", 2)[0];
        int colon = authority.lastIndexOf(':');
        String host = colon >= 0 ? authority.substring(0, colon) : authority;
        int port = colon >= 0 ? Integer.parseInt(authority.substring(colon + 1)) : 3306;
        boolean up;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
            up = true;
        } catch (IOException e) {
            up = false;
        }
        String message = "MySQL/MariaDB is not reachable at " + host + ":" + port
                + " (start it as in ../shared/design/BUILD.md, or set CONCURRENCE_MYSQL_URL)";
        if ("true".equals(System.getenv("CI"))) {
            if (!up) {
                fail(message);
            }
        } else {
            assumeTrue(up, message);
        }
    }
}
