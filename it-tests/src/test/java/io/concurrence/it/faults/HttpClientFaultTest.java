package io.concurrence.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.TimeoutException;
import io.concurrence.http.HttpClient;
import io.concurrence.http.HttpServer;
import io.concurrence.it.faults.FaultyServer.Fault;
import io.concurrence.it.support.Figures;
import io.concurrence.it.support.Leaks;
import io.concurrence.it.support.Soak;

/**
 * Issue 9, "Faults", HTTP client: one {@link HttpClient} used concurrently against servers that reset connections
 * mid-body, never answer, close at once, or cut a chunked body short, and against a healthy {@link HttpServer} at
 * the same time. Every faulty exchange ends with a clear exception ({@link UncheckedIOException} for the transport,
 * {@link TimeoutException} for the silent server, or for any of them that has not misbehaved yet when the timeout
 * passes) within its timeout plus a slack; every healthy exchange succeeds,
 * during the faults and in a burst after them, on the same client; and no Netty buffer leaks.
 */
class HttpClientFaultTest {

    private static final String TEST = "HttpClientFaultTest";
    /** The client's bound on a response head. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(500);
    /** The client's bound on each body read. */
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The bound on a healthy exchange, given per call: the client's short timeouts are for the faulty servers,
     * and a healthy answer may be late on a loaded machine (it is not the subject here).
     */
    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(20);
    /** What an exchange may take beyond its timeouts before it counts as a hang (CI runs on 2 shared cores). */
    private static final Duration SLACK = Duration.ofSeconds(5);
    /** The bound on the whole run of one tasklet. */
    private static final Duration SAFETY = Duration.ofMinutes(10);
    private static final int TASKLETS = 16;
    private static final int MAX_CONNECTIONS = 8;
    private static final int BURST = 400;
    private static final String BODY = "healthy";

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    /** What an exchange against one kind of server ended with. */
    private enum Kind {
        HEALTHY, RESET, SILENT, CLOSED, TRUNCATED
    }

    @Test
    void faultyServersGiveClearExceptionsInTimeAndTheSameClientKeepsServing() throws Exception {
        Leaks.assertTracking();
        HttpServer healthy = HttpServer.builder().host(FaultyServer.HOST).port(0)
                .handler((request, response) -> response.send(BODY)).build().start();
        closing.add(healthy);
        Map<Kind, FaultyServer> servers = new EnumMap<>(Kind.class);
        servers.put(Kind.RESET, start(Fault.RESET_MID_BODY));
        servers.put(Kind.SILENT, start(Fault.NEVER_ANSWERS));
        servers.put(Kind.CLOSED, start(Fault.CLOSES_AT_ONCE));
        servers.put(Kind.TRUNCATED, start(Fault.TRUNCATED_CHUNKED));
        String healthyUrl = "http://" + FaultyServer.HOST + ":" + healthy.port() + "/ok";
        HttpClient client = HttpClient.builder().maxConnections(MAX_CONNECTIONS).connectTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT).readTimeout(READ_TIMEOUT).build();
        closing.add(client);

        int exchanges = Soak.count(2_000, 40_000);
        AtomicInteger next = new AtomicInteger();
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        AtomicLong slowestNanos = new AtomicLong();
        List<Tasklet<Void>> tasklets = new ArrayList<>();
        for (int t = 0; t < TASKLETS; t++) {
            tasklets.add(Tasklet.spawn(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (next.getAndIncrement() < exchanges) {
                    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                    String url = kind == Kind.HEALTHY ? healthyUrl : servers.get(kind).url("/" + kind);
                    long start = System.nanoTime();
                    String outcome = exchange(client, kind, url);
                    long took = System.nanoTime() - start;
                    slowestNanos.accumulateAndGet(took, Math::max);
                    outcomes.computeIfAbsent(kind + " " + outcome, k -> new LongAdder()).increment();
                    Duration bound = (kind == Kind.HEALTHY ? HEALTHY_TIMEOUT : RESPONSE_TIMEOUT).plus(READ_TIMEOUT)
                            .plus(SLACK);
                    if (!expected(kind, outcome) || took > bound.toNanos()) {
                        unexpected.add(kind + " -> " + outcome + " after " + Duration.ofNanos(took).toMillis()
                                + " ms");
                    }
                }
            }));
        }
        for (Tasklet<Void> tasklet : tasklets) {
            tasklet.join(SAFETY);
        }

        assertThat(unexpected).as("exchanges that ended otherwise than expected, or too late; outcomes %s",
                outcomes).isEmpty();
        for (Kind kind : Kind.values()) {
            assertThat(outcomes.keySet()).as("every kind was tried: %s", outcomes)
                    .anyMatch(key -> key.startsWith(kind + " "));
        }
        int burstOk = burst(client, healthyUrl);
        assertThat(burstOk).as("the burst after the faults, on the same client").isEqualTo(BURST);
        Set<Tasklet<?>> roots = Tasklet.roots();
        assertThat(tasklets).as("no tasklet of the test left behind").noneMatch(roots::contains);
        Leaks.assertNoneReported();

        Figures.record(TEST, "exchanges", exchanges);
        outcomes.forEach((key, count) -> Figures.record(TEST, key, count.sum()));
        Figures.record(TEST, "slowest exchange ms", Duration.ofNanos(slowestNanos.get()).toMillis());
        Figures.record(TEST, "healthy burst after the faults ok", burstOk);
        servers.forEach((kind, server) -> Figures.record(TEST, kind + " connections accepted", server.accepted()));
    }

    private FaultyServer start(Fault fault) {
        FaultyServer server = FaultyServer.start(fault);
        closing.add(server);
        return server;
    }

    /**
     * One exchange, the body read whole: "ok", or the exception's simple name with that of its cause. A healthy
     * exchange must answer 200 with the body; anything else it does is reported as its outcome.
     */
    private static String exchange(HttpClient client, Kind kind, String url) {
        Duration timeout = kind == Kind.HEALTHY ? HEALTHY_TIMEOUT : RESPONSE_TIMEOUT;
        try (HttpClient.Response response = client.get(url, timeout)) {
            String body = kind == Kind.HEALTHY ? response.bodyText(HEALTHY_TIMEOUT) : response.bodyText();
            if (response.status() == 200 && BODY.equals(body)) {
                return "ok";
            }
            return "answered " + response.status() + " " + body.length() + " chars";
        } catch (UncheckedIOException e) {
            return "UncheckedIOException(" + (e.getCause() == null ? "no cause" : e.getCause().getClass()
                    .getSimpleName()) + ")";
        } catch (TimeoutException e) {
            return "TimeoutException";
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static boolean expected(Kind kind, String outcome) {
        return switch (kind) {
            case HEALTHY -> outcome.equals("ok");
            case SILENT -> outcome.equals("TimeoutException");
            // on a loaded machine the server may not have reset or closed before the client's timeout
            case RESET, CLOSED, TRUNCATED -> outcome.startsWith("UncheckedIOException(")
                    && !outcome.contains("no cause") || outcome.equals("TimeoutException");
        };
    }

    /** {@link #BURST} healthy exchanges from {@link #TASKLETS} tasklets; how many answered 200 with the body. */
    private static int burst(HttpClient client, String url) {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        List<Tasklet<Void>> tasklets = new ArrayList<>();
        for (int t = 0; t < TASKLETS; t++) {
            tasklets.add(Tasklet.spawn(() -> {
                while (next.getAndIncrement() < BURST) {
                    if (exchange(client, Kind.HEALTHY, url).equals("ok")) {
                        ok.incrementAndGet();
                    }
                }
            }));
        }
        for (Tasklet<Void> tasklet : tasklets) {
            tasklet.join(SAFETY);
        }
        return ok.get();
    }
}
