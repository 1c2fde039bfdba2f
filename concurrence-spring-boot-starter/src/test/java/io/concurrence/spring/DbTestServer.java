package io.concurrence.spring;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The test database: {@code CONCURRENCE_MYSQL_URL}, default {@code jdbc:concurrence:mysql://127.0.0.1:3306/test}
 * as root with no password. {@link #require()} fails when {@code CI=true} and the server is down, and skips
 * elsewhere.
 */
final class DbTestServer {

    private DbTestServer() {
    }

    /** The test server's URL. */
    static String url() {
        String url = System.getenv("CONCURRENCE_MYSQL_URL");
        return url != null && !url.isBlank() ? url : "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=";
    }

    /** Fails (CI) or skips (elsewhere) unless the test server answers on its port. */
    static void require() {
        String rest = url().substring("jdbc:concurrence:mysql://".length());
        String authority = rest.split("[/?]", 2)[0];
        int colon = authority.lastIndexOf(':');
        String host = colon >= 0 ? authority.substring(0, colon) : authority;
        int port = colon >= 0 ? Integer.parseInt(authority.substring(colon + 1)) : 3306;
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
}
