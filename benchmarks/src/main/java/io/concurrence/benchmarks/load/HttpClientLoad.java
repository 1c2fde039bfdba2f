package io.concurrence.benchmarks.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

import io.concurrence.Tasklet;
import io.concurrence.http.HttpClient;

/**
 * {@code http-client}'s clients, each in its own JVM against the same server (raw Reactor Netty's
 * {@link HttpBenchServer}): {@code concurrency} concurrent loops of {@code GET /plaintext}, reading each
 * body whole. Ours runs the loops in tasklets on our {@link HttpClient}; the peers are Reactor Netty's client
 * driven reactively (each loop a repeated Mono) and {@code java.net.http.HttpClient} on virtual threads.
 * Prints {@code RATE <responses/s> ERRORS <n>} for the measured period after a warm-up.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.concurrence.benchmarks.load.HttpClientLoad
 * concurrence|reactor-netty|jdk <port> <concurrency> <warm-up ms> <measured ms>}
 */
public final class HttpClientLoad {

    private HttpClientLoad() {
    }

    /** One contender: runs its loops until {@code running} is cleared, counting responses and errors. */
    private interface Client extends AutoCloseable {
        void start(int concurrency, Counters counters) throws Exception;

        /** Stops the loops and waits for them. */
        void stop() throws Exception;

        @Override
        void close() throws Exception;
    }

    /** Responses and errors counted so far, and whether the loops should go on. */
    private static final class Counters {
        final LongAdder responses = new LongAdder();
        final LongAdder errors = new LongAdder();
        volatile boolean running = true;
    }

    /**
     * Runs one client against {@code 127.0.0.1:<port>}.
     *
     * @param args the variant, the port, the concurrency, the warm-up and the measured period in ms
     */
    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = "http://127.0.0.1:" + Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        Duration warmup = Duration.ofMillis(Long.parseLong(args[3]));
        Duration measured = Duration.ofMillis(Long.parseLong(args[4]));
        Counters counters = new Counters();
        try (Client client = switch (variant) {
            case "concurrence" -> new Ours(base, concurrency);
            case "reactor-netty" -> new ReactorNetty(base, concurrency);
            case "jdk" -> new Jdk(base);
            default -> throw new IllegalArgumentException("unknown variant " + variant
                    + "; expected concurrence, reactor-netty or jdk");
        }) {
            client.start(concurrency, counters);
            MeasuredWindow window = MeasuredWindow.measure(warmup, measured, counters.responses::sum,
                    counters.errors::sum);
            counters.running = false;
            client.stop();
            window.print(null);
        }
    }

    /** Our client from tasklets. */
    private static final class Ours implements Client {
        private final HttpClient client;
        private final List<Tasklet<Void>> loops = new ArrayList<>();

        Ours(String base, int concurrency) {
            client = HttpClient.builder().baseUrl(base).maxConnections(concurrency).build();
        }

        @Override
        public void start(int concurrency, Counters counters) {
            for (int i = 0; i < concurrency; i++) {
                loops.add(Tasklet.spawn(() -> {
                    while (counters.running) {
                        try (HttpClient.Response response = client.get(HttpBenchServer.PATH)) {
                            count(counters, response.status(), response.bodyBytes().length);
                        } catch (RuntimeException e) {
                            counters.errors.increment();
                        }
                    }
                }));
            }
        }

        @Override
        public void stop() {
            for (Tasklet<Void> loop : loops) {
                loop.join(Duration.ofSeconds(30));
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** Reactor Netty's client: each loop a Mono repeated while running. */
    private static final class ReactorNetty implements Client {
        private final ConnectionProvider pool;
        private final reactor.netty.http.client.HttpClient client;
        private CountDownLatch finished = new CountDownLatch(0);

        ReactorNetty(String base, int concurrency) {
            pool = ConnectionProvider.builder("bench").maxConnections(concurrency)
                    .pendingAcquireMaxCount(-1).build();
            client = reactor.netty.http.client.HttpClient.create(pool).baseUrl(base);
        }

        @Override
        public void start(int concurrency, Counters counters) {
            finished = new CountDownLatch(concurrency);
            for (int i = 0; i < concurrency; i++) {
                Mono.defer(() -> client.get().uri(HttpBenchServer.PATH)
                                .responseSingle((response, body) -> body.asByteArray()
                                        .defaultIfEmpty(new byte[0])
                                        .doOnNext(bytes -> count(counters, response.status().code(),
                                                bytes.length))))
                        .onErrorResume(e -> {
                            counters.errors.increment();
                            return Mono.empty();
                        })
                        .repeat(() -> counters.running)
                        .doFinally(signal -> finished.countDown())
                        .subscribe();
            }
        }

        @Override
        public void stop() throws InterruptedException {
            finished.await(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            pool.disposeLater().block(Duration.ofSeconds(10));
        }
    }

    /** The JDK's client, blocking, on virtual threads. */
    private static final class Jdk implements Client {
        private final java.net.http.HttpClient client;
        private final HttpRequest request;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

        Jdk(String base) {
            client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .build();
            request = HttpRequest.newBuilder(URI.create(base + HttpBenchServer.PATH)).build();
        }

        @Override
        public void start(int concurrency, Counters counters) {
            for (int i = 0; i < concurrency; i++) {
                threads.execute(() -> {
                    while (counters.running) {
                        try {
                            java.net.http.HttpResponse<byte[]> response = client.send(request,
                                    BodyHandlers.ofByteArray());
                            count(counters, response.statusCode(), response.body().length);
                        } catch (Exception e) {
                            counters.errors.increment();
                        }
                    }
                });
            }
        }

        @Override
        public void stop() throws InterruptedException {
            threads.shutdown();
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static void count(Counters counters, int status, int length) {
        if (status == 200 && length == HttpBenchServer.HELLO.length) {
            counters.responses.increment();
        } else {
            counters.errors.increment();
        }
    }
}
