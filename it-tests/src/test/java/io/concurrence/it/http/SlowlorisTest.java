package io.concurrence.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.http.HttpServer;
import io.concurrence.it.support.Figures;
import io.concurrence.it.support.Leaks;
import io.concurrence.it.support.Soak;

/**
 * Slow clients cannot exhaust the server: many connections trickling a request head a byte at a time (500 at
 * once, one round, a byte every 200 ms; 2 000 at once for 30 s under {@code -Psoak}, a byte a second) are each
 * answered {@code 408} (or closed) once {@code requestTimeout} has passed since their first byte, while valid
 * clients measured meanwhile keep their p99 latency under a second; and a keep-alive connection left idle is closed
 * after {@code idleTimeout}.
 */
class SlowlorisTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** A trickling connection must be ended within this of its first byte (the timeout and generous slack). */
    private static final Duration CLOSED_WITHIN = REQUEST_TIMEOUT.plusSeconds(15);
    /**
     * The pace of the trickle: one byte, then this long (a byte a second in the 30 s soak attack, as slow as a
     * real slowloris and still far inside any idle timeout: what holds the connection is the head timeout).
     */
    private static final Duration TRICKLE = Soak.duration(Duration.ofMillis(200), Duration.ofSeconds(1));
    private static final Duration LATENCY_BOUND = Duration.ofSeconds(1);
    private static final Duration ALL = Duration.ofMinutes(10);
    /**
     * How long the attack lasts: one round of connections in the quick form; in the soak form each connection is
     * replaced by a new one as soon as the server ends it, for this long.
     */
    private static final Duration ATTACK = Duration.ofSeconds(30);
    private static final byte[] HEAD = ("GET /slow HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slowloris\r\n"
            + "X-Padding: " + "p".repeat(1000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tricklingConnectionsAreEndedByTheHeadTimeoutWhileValidClientsStayFast() throws Exception {
        server = HttpServer.builder().host("127.0.0.1").port(0).requestTimeout(REQUEST_TIMEOUT)
                .handler((request, response) -> response.send(CorpusTest.echo(request.method(), request.path(),
                        request.bodyBytes().length)))
                .build().start();
        int connections = Soak.count(500, 2_000);
        Duration attack = Soak.duration(Duration.ZERO, ATTACK);
        long attackEnds = System.nanoTime() + attack.toNanos();
        AtomicInteger opened = new AtomicInteger();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger answered408 = new AtomicInteger();
        AtomicInteger closedSilently = new AtomicInteger();
        AtomicLong slowestEndMillis = new AtomicLong();
        ValidTraffic valid = new ValidTraffic(server.port(), 2, path -> CorpusTest.echo("GET", path, 0));
        try {
            List<Tasklet<Void>> slow = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int id = i;
                slow.add(Tasklet.spawn(() -> {
                    do {
                        opened.incrementAndGet();
                        try {
                            long start = System.nanoTime();
                            int status = trickle();
                            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                            slowestEndMillis.accumulateAndGet(millis, Math::max);
                            if (status == 408) {
                                answered408.incrementAndGet();
                            } else if (status == RawExchange.CLOSED) {
                                closedSilently.incrementAndGet();
                            } else {
                                problems.add("connection " + id + ": answered " + status);
                            }
                        } catch (IOException e) {
                            problems.add("connection " + id + ": " + e);
                        }
                    } while (System.nanoTime() - attackEnds < 0);
                }));
            }
            Tasklet.joinAll(slow, ALL).forEach(result -> assertThat(result.isSuccess())
                    .as("slow client: %s", result.exception()).isTrue());
        } finally {
            valid.close();
        }

        List<Double> latencies = valid.latenciesMillis();
        double max = latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1);
        double p99 = latencies.isEmpty() ? 0 : latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
        String test = "http.SlowlorisTest";
        Figures.record(test, "trickling connections at once", connections);
        Figures.record(test, "attack (s)", attack.toSeconds());
        Figures.record(test, "trickling connections in all", opened.get());
        Figures.record(test, "answered 408", answered408.get());
        Figures.record(test, "closed without response", closedSilently.get());
        Figures.record(test, "slowest end of a trickling connection (ms)", slowestEndMillis.get());
        Figures.record(test, "valid requests served meanwhile", valid.succeeded());
        Figures.record(test, "valid request latency p99 (ms)", String.format("%.1f", p99));
        Figures.record(test, "valid request latency max (ms)", String.format("%.1f", max));
        assertThat(problems).as("trickling connections not ended by the head timeout").isEmpty();
        assertThat(answered408.get() + closedSilently.get()).isEqualTo(opened.get());
        assertThat(valid.failures()).as("valid requests that failed meanwhile").isEmpty();
        assertThat(valid.succeeded()).as("valid requests served meanwhile").isPositive();
        assertThat(p99).as("p99 latency of valid requests (ms) during the attack").isLessThan(LATENCY_BOUND.toMillis());
        Leaks.assertNoneReported();
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        Duration idle = Duration.ofSeconds(1);
        server = HttpServer.builder().host("127.0.0.1").port(0).idleTimeout(idle)
                .handler((request, response) -> response.send("ok"))
                .build().start();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            socket.setSoTimeout((int) CLOSED_WITHIN.toMillis());
            byte[] response = readResponseOfKnownLength(in);
            long answered = System.nanoTime();
            assertThat(new String(response, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").endsWith("ok");

            int next;
            try {
                next = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the idle connection was still open after " + CLOSED_WITHIN, e);
            } catch (SocketException reset) {
                next = -1;
            }
            Duration open = Duration.ofNanos(System.nanoTime() - answered);
            Figures.record("http.SlowlorisTest", "idle keep-alive connection closed after (ms)", open.toMillis());
            assertThat(next).as("the server closes the idle connection, sending nothing").isEqualTo(-1);
            assertThat(open).as("kept open until the idle timeout").isGreaterThanOrEqualTo(idle.minusMillis(100));
        }
    }

    /**
     * Sends {@link #HEAD} a byte at a time, one every {@link #TRICKLE} (the attack's pace: a sleep, the only one),
     * looking for the server's answer before each; returns the status the server answered, or
     * {@link RawExchange#CLOSED}. (No blocking read with a timeout per byte: thousands of timeouts a second
     * would spend the shared cores on the attacker's exceptions rather than on the server.)
     *
     * @throws IOException if the server neither answered nor closed within {@link #CLOSED_WITHIN}, or the whole
     *     head went out (the server let it trickle for too long)
     */
    private int trickle() throws IOException {
        long deadline = System.nanoTime() + CLOSED_WITHIN.toNanos();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) CLOSED_WITHIN.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (byte b : HEAD) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("neither answered nor closed within " + CLOSED_WITHIN);
                }
                if (in.available() > 0) {
                    return answerAfterClose(in);
                }
                try {
                    out.write(b);
                } catch (SocketException closed) {
                    return answerAfterClose(in);
                }
                Tasklet.sleep(TRICKLE);
            }
            throw new IOException("the whole head trickled in without the server ending the connection");
        }
    }

    /** The status the server answered before closing, or {@link RawExchange#CLOSED}. */
    private static int answerAfterClose(InputStream in) throws IOException {
        try {
            byte[] start = in.readNBytes(12);
            return start.length < 12 ? RawExchange.CLOSED
                    : RawExchange.parseStatus(new String(start, StandardCharsets.US_ASCII) + " \r\n");
        } catch (SocketException reset) {
            return RawExchange.CLOSED;
        }
    }

    private static byte[] readResponseOfKnownLength(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed within the head: " + head);
            }
            head.append((char) b);
        }
        String lengthLine = head.toString().lines()
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .findFirst().orElseThrow(() -> new IOException("no Content-Length in " + head));
        int length = Integer.parseInt(lengthLine.substring(lengthLine.indexOf(':') + 1).trim());
        String body = new String(in.readNBytes(length), StandardCharsets.US_ASCII);
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }
}
