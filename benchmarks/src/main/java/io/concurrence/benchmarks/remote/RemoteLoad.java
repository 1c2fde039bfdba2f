package io.concurrence.benchmarks.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import tools.jackson.dataformat.cbor.CBORMapper;

import reactor.core.publisher.Mono;

import io.concurrence.Tasklet;
import io.concurrence.benchmarks.load.MeasuredWindow;
import io.concurrence.benchmarks.remote.BenchMsg.Flush;
import io.concurrence.benchmarks.remote.BenchMsg.Ping;
import io.concurrence.benchmarks.remote.BenchMsg.Tick;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteTasklet;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.DefaultPayload;

/**
 * The remoting scenarios' clients, each in its own JVM against the {@link RemoteBenchServer} of the same variant,
 * over one connection. Prints {@code RATE <per second> ERRORS <n>} for the measured period after a warm-up,
 * followed by the first error, if any.
 *
 * <p>{@code call}: {@code concurrency} concurrent loops of one call each, a {@link Ping} answered with its number
 * (checked). Ours runs the loops in tasklets calling {@link RemoteTasklet#call}; the raw peer
 * ({@code rsocket}) keeps as many {@code requestResponse}s in flight, each loop a repeated Mono (the faster of
 * the two raw shapes tried; {@code rsocket-blocking}, virtual threads blocking on each response, is kept for
 * comparison). The rate is calls answered per second.
 *
 * <p>{@code send}: {@code concurrency} senders (tasklets; virtual threads for the raw peer) sending
 * {@link Tick}s as fast as they can. Fire-and-forget has no backpressure, so each sender, after every
 * {@value #WINDOW} ticks, makes a {@link Flush} call, answered once the receiver has taken all that was sent
 * before it on the connection: at most {@code concurrency ×} {@value #WINDOW} ticks are ever queued, and memory
 * stays bounded however long the run. The rate is ticks <em>delivered</em> per second: the receiver's own count,
 * read by a flush before and after the measured period.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.concurrence.benchmarks.remote.RemoteLoad
 * concurrence|rsocket|rsocket-blocking call|send <port> <concurrency> <warm-up ms> <measured ms>}
 */
public final class RemoteLoad {

    /** Concurrent callers in {@code remote-call}. */
    public static final int CALLERS = 64;

    /** Concurrent senders in {@code remote-send}. */
    public static final int SENDERS = 4;

    /** Ticks a sender sends between two flushes. */
    public static final int WINDOW = 1024;

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private RemoteLoad() {
    }

    /** One contender: its connection and its loops, which run until {@code running} is cleared. */
    private interface Client extends AutoCloseable {
        void startCalls(int callers, Counters counters);

        void startSends(int senders, Counters counters);

        /** The ticks the receiver has counted: a flush from the calling thread. */
        long delivered();

        /** Waits for the loops, which stop once {@code running} is cleared. */
        void stop() throws InterruptedException;

        @Override
        void close();
    }

    /** Calls and errors counted so far, the first error, and whether the loops should go on. */
    private static final class Counters {
        final LongAdder calls = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AtomicReference<Throwable> firstError = new AtomicReference<>();
        volatile boolean running = true;

        void answered(long sent, Long reply) {
            if (reply != null && reply == sent) {
                calls.increment();
            } else {
                fail(new IllegalStateException("ping " + sent + " answered with " + reply));
            }
        }

        void fail(Throwable error) {
            firstError.compareAndSet(null, error);
            errors.increment();
        }
    }

    /**
     * Runs one client against {@code 127.0.0.1:<port>}.
     *
     * @param args the variant, the mode, the port, the concurrency, the warm-up and the measured period in ms
     */
    public static void main(String[] args) throws Exception {
        String variant = args[0];
        boolean calls = switch (args[1]) {
            case "call" -> true;
            case "send" -> false;
            default -> throw new IllegalArgumentException("unknown mode " + args[1] + "; expected call or send");
        };
        int port = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        Duration warmup = Duration.ofMillis(Long.parseLong(args[4]));
        Duration measured = Duration.ofMillis(Long.parseLong(args[5]));
        Counters counters = new Counters();
        try (Client client = switch (variant) {
            case "concurrence" -> new Ours(port);
            case "rsocket" -> new Raw(port, false);
            case "rsocket-blocking" -> new Raw(port, true);
            default -> throw new IllegalArgumentException("unknown variant " + variant
                    + "; expected concurrence, rsocket or rsocket-blocking");
        }) {
            if (calls) {
                client.startCalls(concurrency, counters);
            } else {
                client.startSends(concurrency, counters);
            }
            MeasuredWindow window = MeasuredWindow.measure(warmup, measured,
                    calls ? counters.calls::sum : client::delivered, counters.errors::sum);
            counters.running = false;
            client.stop();
            window.print(counters.firstError.get());
        }
    }

    /** Ours: {@link RemoteTasklet#call} and {@link RemoteTasklet#send} from tasklets. */
    private static final class Ours implements Client {
        private final RemoteClient client;
        private final RemoteTasklet bench;
        private final List<Tasklet<Void>> loops = new ArrayList<>();

        Ours(int port) {
            client = RemoteClient.builder().host("127.0.0.1").port(port).allow(BenchMsg.class).connect();
            bench = client.lookup(RemoteBenchServer.NAME);
        }

        @Override
        public void startCalls(int callers, Counters counters) {
            for (int i = 0; i < callers; i++) {
                loops.add(Tasklet.spawn(() -> {
                    for (long n = 0; counters.running; n++) {
                        try {
                            counters.answered(n, bench.call(new Ping(n), CALL_TIMEOUT));
                        } catch (RuntimeException e) {
                            counters.fail(e);
                        }
                    }
                }));
            }
        }

        @Override
        public void startSends(int senders, Counters counters) {
            for (int i = 0; i < senders; i++) {
                loops.add(Tasklet.spawn(() -> {
                    for (long n = 0; counters.running; ) {
                        try {
                            for (int k = 0; k < WINDOW; k++) {
                                bench.send(new Tick(n++));
                            }
                            bench.call(new Flush(), CALL_TIMEOUT);
                        } catch (RuntimeException e) {
                            counters.fail(e);
                        }
                    }
                }));
            }
        }

        @Override
        public long delivered() {
            Long count = Tasklet.spawn(() -> bench.call(new Flush(), CALL_TIMEOUT)).join(CALL_TIMEOUT);
            return count == null ? 0 : count;
        }

        @Override
        public void stop() {
            for (Tasklet<Void> loop : loops) {
                loop.join(CALL_TIMEOUT);
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /**
     * Raw RSocket: {@link RSocketConnector} over {@link TcpClientTransport}; the records encoded with a plain
     * Jackson {@link CBORMapper}, a flush is a request-response without data.
     */
    private static final class Raw implements Client {
        private final CBORMapper mapper = CBORMapper.builder().build();
        private final RSocket socket;
        private final boolean blockingCalls;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private CountDownLatch finished = new CountDownLatch(0);

        Raw(int port, boolean blockingCalls) {
            this.blockingCalls = blockingCalls;
            socket = RSocketConnector.create().connect(TcpClientTransport.create("127.0.0.1", port))
                    .block(CALL_TIMEOUT);
        }

        @Override
        public void startCalls(int callers, Counters counters) {
            if (blockingCalls) {
                for (int i = 0; i < callers; i++) {
                    threads.execute(() -> {
                        for (long n = 0; counters.running; n++) {
                            try {
                                counters.answered(n, ping(n).block(CALL_TIMEOUT));
                            } catch (RuntimeException e) {
                                counters.fail(e);
                            }
                        }
                    });
                }
                return;
            }
            finished = new CountDownLatch(callers);
            for (int i = 0; i < callers; i++) {
                long[] next = {0};
                Mono.defer(() -> {
                    long n = next[0]++;
                    return ping(n).doOnNext(reply -> counters.answered(n, reply));
                })
                        .onErrorResume(e -> {
                            counters.fail(e);
                            return Mono.empty();
                        })
                        .repeat(() -> counters.running)
                        .doFinally(signal -> finished.countDown())
                        .subscribe();
            }
        }

        private Mono<Long> ping(long n) {
            return socket.requestResponse(DefaultPayload.create(mapper.writeValueAsBytes(new Ping(n))))
                    .map(this::decodeLong);
        }

        @Override
        public void startSends(int senders, Counters counters) {
            for (int i = 0; i < senders; i++) {
                threads.execute(() -> {
                    for (long n = 0; counters.running; ) {
                        try {
                            for (int k = 0; k < WINDOW; k++) {
                                socket.fireAndForget(DefaultPayload.create(mapper.writeValueAsBytes(new Tick(n++))))
                                        .subscribe(null, e -> { });
                            }
                            flush().block(CALL_TIMEOUT);
                        } catch (RuntimeException e) {
                            counters.fail(e);
                        }
                    }
                });
            }
        }

        private Mono<Long> flush() {
            return socket.requestResponse(DefaultPayload.create(new byte[0])).map(this::decodeLong);
        }

        private Long decodeLong(Payload reply) {
            try {
                return mapper.readValue(RemoteBenchServer.bytes(reply.getData()), Long.class);
            } finally {
                reply.release();
            }
        }

        @Override
        public long delivered() {
            Long count = flush().block(CALL_TIMEOUT);
            return count == null ? 0 : count;
        }

        @Override
        public void stop() throws InterruptedException {
            finished.await(30, TimeUnit.SECONDS);
            threads.shutdown();
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            socket.dispose();
        }
    }
}
