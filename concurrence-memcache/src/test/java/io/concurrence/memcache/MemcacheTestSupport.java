package io.concurrence.memcache;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;

/**
 * What the memcache tests share: the two servers ({@code 127.0.0.1:11211} and {@code :11212}, started by
 * {@code .ci/run}), a check that they are up (a failure when {@code CI=true}, a skip naming them elsewhere),
 * and time bounds.
 */
final class MemcacheTestSupport {

    static final String SERVER_A = "127.0.0.1:11211";
    static final String SERVER_B = "127.0.0.1:11212";
    /** The bound on anything that should happen "soon" (CI runs on 2 shared cores). */
    static final Duration SOON = Duration.ofSeconds(30);

    private MemcacheTestSupport() {
    }

    /** Fails (CI) or skips (elsewhere) unless both test servers answer. */
    static void requireServers() {
        for (String server : new String[] {SERVER_A, SERVER_B}) {
            int colon = server.lastIndexOf(':');
            boolean up = isUp(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
            String message = "memcached is not reachable at " + server + " (start it with"
                    + " `memcached -d -u nobody -l 127.0.0.1 -p " + server.substring(colon + 1) + " -m 64`,"
                    + " or run .ci/run)";
            if ("true".equals(System.getenv("CI"))) {
                if (!up) {
                    fail(message);
                }
            } else {
                assumeTrue(up, message);
            }
        }
    }

    static boolean isUp(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A key no other test (or earlier run) uses. */
    static String key(String name) {
        return name + ":" + UUID.randomUUID();
    }
}
