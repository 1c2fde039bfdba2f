package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.sun.management.UnixOperatingSystemMXBean;

import io.concurrence.http.StreamTestSupport.Conn;
import io.concurrence.http.StreamTestSupport.RawResponse;

/**
 * Five thousand keep-alive connections open at once on one server: a request on each, every response read,
 * then a second request on each of the same connections, all answered, each over the connection it was
 * sent on. A handful of platform threads drive the raw sockets; the JVM needs some 10 000 file descriptors
 * (both ends of each connection), so the test fails, naming the limit, where {@code ulimit -n} is lower. And
 * {@code maxConnections} counts connections, not the requests on a kept-alive one.
 */
@org.junit.jupiter.api.Timeout(120)
class ManyConnectionsTest {

    private static final int CONNECTIONS = 5_000;
    private static final int DRIVERS = 8;
    /** Both ends of every connection, plus the JVM's own files and some slack. */
    private static final long FILE_DESCRIPTORS_NEEDED = 12_000;

    @Test
    void fiveThousandConcurrentKeepAliveConnectionsAreEachServedTwice() throws Exception {
        requireFileDescriptors();
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        AtomicInteger handled = new AtomicInteger();
        Conn[] conns = new Conn[CONNECTIONS];
        ExecutorService drivers = Executors.newFixedThreadPool(DRIVERS);
        try (HttpServer server = server((request, response) -> {
            int port = request.remoteAddress().getPort();
            clientPorts.add(port);
            handled.incrementAndGet();
            response.send(request.path() + " from " + port);
        }).build().start()) {
            int ok = inParallel(drivers, driver -> {
                for (int i = driver; i < CONNECTIONS; i += DRIVERS) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress(HOST, server.port()), (int) SAFETY.toMillis());
                    conns[i] = new Conn(socket, 1024);
                    conns[i].get("/first");
                }
                return readAll(driver, conns, "/first");
            });
            assertThat(ok).as("first responses").isEqualTo(CONNECTIONS);
            assertThat(clientPorts).as("connections the server saw").hasSize(CONNECTIONS);

            ok = inParallel(drivers, driver -> {
                for (int i = driver; i < CONNECTIONS; i += DRIVERS) {
                    conns[i].get("/second");
                }
                return readAll(driver, conns, "/second");
            });
            assertThat(ok).as("second responses, on the same connections").isEqualTo(CONNECTIONS);
            assertThat(handled.get()).isEqualTo(2 * CONNECTIONS);
            assertThat(clientPorts).as("connections the server saw").hasSize(CONNECTIONS);
        } finally {
            drivers.shutdownNow();
            closeAll(conns);
        }
    }

    @Test
    void maxConnectionsCountsConnectionsNotTheRequestsOnAKeptAliveOne() throws Exception {
        try (HttpServer server = server((request, response) -> response.send("ok")).maxConnections(2).build().start();
             Conn first = Conn.open(server); Conn second = Conn.open(server)) {
            for (int i = 0; i < 5; i++) {
                assertThat(first.get("/" + i).readResponse().bodyText()).as("request %d on one connection", i)
                        .isEqualTo("ok");
            }
            assertThat(second.get("/").readResponse().bodyText()).isEqualTo("ok");

            try (Conn third = Conn.open(server)) {
                third.get("/");
                assertThat(third.isClosedByPeer()).as("a connection beyond the limit is closed").isTrue();
            }
            assertThat(first.get("/again").readResponse().bodyText()).isEqualTo("ok");
        }
    }

    /** Reads the response to {@code path} on every connection of {@code driver}; returns how many were right. */
    private static int readAll(int driver, Conn[] conns, String path) throws IOException {
        int ok = 0;
        for (int i = driver; i < CONNECTIONS; i += DRIVERS) {
            RawResponse response = conns[i].readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).as("keep-alive").isNotEqualToIgnoringCase("close");
            assertThat(response.bodyText()).isEqualTo(path + " from " + conns[i].socket.getLocalPort());
            ok++;
        }
        return ok;
    }

    /** Runs {@code work} for each driver on its own thread; the sum of their results. */
    private static int inParallel(ExecutorService drivers, DriverWork work) throws Exception {
        List<Future<Integer>> results = new ArrayList<>();
        for (int d = 0; d < DRIVERS; d++) {
            int driver = d;
            results.add(drivers.submit(() -> work.run(driver)));
        }
        int sum = 0;
        for (Future<Integer> result : results) {
            sum += result.get(SAFETY.toMillis() * 2, TimeUnit.MILLISECONDS);
        }
        return sum;
    }

    @FunctionalInterface
    private interface DriverWork {
        int run(int driver) throws Exception;
    }

    /** Closes with a reset (linger 0): no TIME_WAIT left behind for 5 000 ports. */
    private static void closeAll(Conn[] conns) throws IOException {
        for (Conn conn : conns) {
            if (conn != null) {
                conn.socket.setSoLinger(true, 0);
                conn.close();
            }
        }
    }

    private static void requireFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            if (max < FILE_DESCRIPTORS_NEEDED) {
                fail("This test opens " + CONNECTIONS + " connections to a server in the same JVM and needs "
                        + FILE_DESCRIPTORS_NEEDED + " file descriptors, but the limit is " + max
                        + " (ulimit -n); raise it (e.g. ulimit -n 20000 before running Maven)");
            }
        }
    }
}
