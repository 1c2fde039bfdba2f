package io.concurrence.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.http.HttpClient;
import io.concurrence.http.HttpServer;
import io.concurrence.it.support.Figures;
import io.concurrence.it.support.Leaks;
import io.concurrence.it.support.Soak;

/**
 * Mutated requests ({@link Mutator}: byte flips, inserted CR/LF/NUL/SP/colon, truncation, duplicated header
 * lines, random lengths and chunk sizes), each on a connection of its own, from a bounded number of tasklets:
 * no 5xx (but the {@code 501}/{@code 505} that unknown transfer codings and versions get), no hang, no leaked
 * buffer, valid clients served throughout, and the server answers a valid request at the end. The seed is
 * logged, and every failure names the seed and the request's index, which rebuild it
 * ({@code Mutator.mutate(seed, index)}).
 */
class FuzzTest {

    private static final long SEED = Long.getLong("concurrence.fuzz.seed", System.nanoTime());
    private static final int SENDERS = 24;
    /** Most mutated requests are half-closed after sending, so that an incomplete one ends at once. */
    private static final int HALF_CLOSE_PERCENT = 85;
    private static final Duration PER_REQUEST = Duration.ofSeconds(20);
    private static final Duration ALL = Duration.ofMinutes(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    /**
     * Ends connections on which no request has begun: a mutation that leaves nothing (or only the empty lines a
     * server skips before a request) is an idle connection, which the idle timeout closes.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

    private HttpServer server;

    @BeforeEach
    void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .maxInitialLineLength(CorpusTest.MAX_LINE).maxHeaderSize(CorpusTest.MAX_HEADERS)
                .maxRequestBodySize(CorpusTest.MAX_BODY).requestTimeout(REQUEST_TIMEOUT).idleTimeout(IDLE_TIMEOUT)
                .handler((request, response) -> response.send(CorpusTest.echo(request.method(), request.path(),
                        request.bodyBytes().length)))
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void mutatedRequestsGetNoServerErrorNoHangAndLeakNothing() throws IOException {
        int count = Soak.count(5_000, 100_000);
        String seed = "seed " + SEED + " (rerun with -Dconcurrence.fuzz.seed=" + SEED + ")";
        System.out.println("[FuzzTest] " + count + " mutated requests, " + seed);
        AtomicInteger next = new AtomicInteger();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        ValidTraffic valid = new ValidTraffic(server.port(), 2, path -> CorpusTest.echo("GET", path, 0));
        try {
            List<Tasklet<Void>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                senders.add(Tasklet.spawn(() -> {
                    for (int i; (i = next.getAndIncrement()) < count; ) {
                        String failure = sendOne(i, byStatus);
                        if (failure != null) {
                            failures.add("request " + i + ": " + failure);
                        }
                    }
                }));
            }
            Tasklet.joinAll(senders, ALL).forEach(result -> assertThat(result.isSuccess())
                    .as("sender: %s", result.exception()).isTrue());
        } finally {
            valid.close();
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

        String test = "http.FuzzTest";
        Figures.record(test, "mutated requests sent", count);
        new TreeMap<>(byStatus).forEach((status, n) -> Figures.record(test,
                "answered " + (status == RawExchange.CLOSED ? "closed without response" : status), n));
        Figures.record(test, "server errors (5xx but 501/505) and hangs", failures.size());
        Figures.record(test, "valid requests served meanwhile", valid.succeeded());
        Figures.record(test, "seconds", seconds);
        assertThat(failures).as("5xx, hangs or unreadable answers, %s", seed).isEmpty();
        assertThat(valid.failures()).as("valid requests that failed meanwhile, %s", seed).isEmpty();
        assertThat(valid.succeeded()).as("valid requests served meanwhile").isPositive();
        try (HttpClient client = HttpClient.builder().baseUrl("http://127.0.0.1:" + server.port()).build();
             HttpClient.Response last = client.get("/after-the-fuzz", PER_REQUEST)) {
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.bodyText()).isEqualTo(CorpusTest.echo("GET", "/after-the-fuzz", 0));
        }
        Leaks.assertNoneReported();
    }

    /** Sends mutated request {@code index}; null if the answer is acceptable, else what went wrong. */
    private String sendOne(int index, Map<Integer, Integer> byStatus) {
        Mutator.Mutated mutated = Mutator.mutate(SEED, index);
        boolean halfClose = Math.floorMod(index * 31 + 7, 100) < HALF_CLOSE_PERCENT;
        StringBuilder head = new StringBuilder();
        int status;
        try {
            status = halfClose ? sendHalfClosed(mutated.bytes(), head)
                    : RawExchange.send(server.port(), mutated.bytes(), PER_REQUEST, head);
        } catch (RawExchange.Hang e) {
            return "hang: " + e.getMessage() + describe(mutated);
        } catch (IOException e) {
            return e + describe(mutated);
        }
        byStatus.merge(status, 1, Integer::sum);
        if (status >= 500 && status != 501 && status != 505) {
            return "a server error: " + head.toString().replace("\r\n", " | ") + describe(mutated);
        }
        return null;
    }

    private int sendHalfClosed(byte[] request, StringBuilder head) throws IOException {
        return RawExchange.send(server.port(), request, PER_REQUEST, head, Socket::shutdownOutput);
    }

    private static String describe(Mutator.Mutated mutated) {
        return " (seed " + SEED + ", mutations " + mutated.mutations() + ") request: "
                + new String(mutated.bytes(), StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n")
                .replace("\0", "\\0");
    }
}
