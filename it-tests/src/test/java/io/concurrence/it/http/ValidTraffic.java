package io.concurrence.it.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import io.concurrence.Tasklet;
import io.concurrence.http.HttpClient;

/**
 * Valid clients kept busy while a test attacks the server: a few tasklets, each sending {@code GET}s with our
 * {@link HttpClient} one after another until {@link #stop()}, counting successes, failures (any exception, any
 * status but 200, any body but the expected one) and the slowest exchange.
 */
final class ValidTraffic implements AutoCloseable {

    private static final Duration PER_REQUEST = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(60);

    private final HttpClient client;
    private final List<Tasklet<Void>> clients = new ArrayList<>();
    private final AtomicLong succeeded = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    /**
     * Starts {@code tasklets} clients of the server on {@code port}, each requesting {@code /valid/<n>} and
     * expecting exactly {@code expectedBody.apply(path)} back.
     */
    ValidTraffic(int port, int tasklets, UnaryOperator<String> expectedBody) {
        client = HttpClient.builder().baseUrl("http://127.0.0.1:" + port).maxConnections(tasklets).build();
        for (int i = 0; i < tasklets; i++) {
            int id = i;
            clients.add(Tasklet.spawn(() -> {
                for (long n = 0; running; n++) {
                    String path = "/valid/" + id + "-" + n;
                    long start = System.nanoTime();
                    try (HttpClient.Response response = client.get(path, PER_REQUEST)) {
                        String body = response.bodyText();
                        latenciesNanos.add(System.nanoTime() - start);
                        if (response.status() == 200 && body.equals(expectedBody.apply(path))) {
                            succeeded.incrementAndGet();
                        } else {
                            failures.add(path + ": " + response.status() + " " + body);
                        }
                    } catch (RuntimeException e) {
                        failures.add(path + ": " + e);
                    }
                }
            }));
        }
    }

    /** Stops the clients and waits for them. */
    void stop() {
        running = false;
        Tasklet.joinAll(clients, STOP);
    }

    long succeeded() {
        return succeeded.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** The latencies of the exchanges so far, in milliseconds, sorted. */
    List<Double> latenciesMillis() {
        return latenciesNanos.stream().map(n -> n / 1e6).sorted().toList();
    }

    @Override
    public void close() {
        stop();
        client.close();
    }
}
