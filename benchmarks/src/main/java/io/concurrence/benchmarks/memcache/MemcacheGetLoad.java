package io.concurrence.benchmarks.memcache;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.concurrence.Tasklet;
import io.concurrence.benchmarks.load.MeasuredWindow;
import io.concurrence.memcache.MemcacheClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;

/**
 * {@code memcache-get}, one variant in its own JVM: {@code concurrency} concurrent loops, each getting the
 * value of a random key of {@value #KEYS} (every value {@value #VALUE_BYTES} bytes, set by the same client
 * just before the warm-up) and checking it byte for byte. Ours runs the loops in tasklets on
 * concurrence-memcache's {@link MemcacheClient}; the peers, spymemcached and xmemcached, run them on virtual
 * threads calling the peer's blocking {@code get}, as a user of those clients would. Every variant has one
 * connection to the server: ours with its default {@code connectionsPerServer(1)}, the peers with their
 * defaults (one connection per server; text protocol; their own merging of concurrent gets left on).
 * Prints {@code RATE <gets/s> ERRORS <n>} for the measured period after a warm-up, followed by the first
 * error, if any; a miss or a wrong value counts as an error.
 *
 * <p>For diagnosis only (not in the scenario): {@code xmemcached-unmerged} is xmemcached with its merging of
 * concurrent gets into multi-key gets turned off ({@code setOptimizeGet(false)}): one get command per call, as
 * ours sends.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.concurrence.benchmarks.memcache.MemcacheGetLoad
 * concurrence|spymemcached|xmemcached|xmemcached-unmerged <concurrency> <warm-up ms> <measured ms>}; the server is
 * {@link #server()}.
 */
public final class MemcacheGetLoad {

    /** The number of keys, each got at random. */
    public static final int KEYS = 10_000;

    /** The length of every value. */
    public static final int VALUE_BYTES = 100;

    /** The environment variable naming the server as {@code host:port}; {@value #DEFAULT_SERVER} if unset. */
    public static final String ENVIRONMENT = "CONCURRENCE_MEMCACHE_SERVER";

    static final String DEFAULT_SERVER = "127.0.0.1:11211";

    private static final String KEY_PREFIX = "bench:get:";

    /** An hour: long enough for any run, short enough not to leave the keys behind for good. */
    private static final int EXPIRY_SECONDS = 3600;

    private static final byte[][] VALUES = new byte[KEYS][];

    static {
        for (int i = 0; i < KEYS; i++) {
            VALUES[i] = value(i);
        }
    }

    private MemcacheGetLoad() {
    }

    /** One contender's blocking calls; the loops around them are the same for every variant. */
    private interface Client extends AutoCloseable {
        /** The value of {@code key}, or {@code null} on a miss. */
        byte[] get(String key) throws Exception;

        /** Whether the server stored the value. */
        boolean set(String key, byte[] value) throws Exception;
    }

    /** Gets and errors counted so far, the first error, and whether the loops should go on. */
    private static final class Counters {
        final LongAdder gets = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AtomicReference<Object> firstError = new AtomicReference<>();
        volatile boolean running = true;

        void fail(Object error) {
            firstError.compareAndSet(null, error);
            errors.increment();
        }
    }

    /** The server every variant uses, from {@value #ENVIRONMENT}. */
    static String server() {
        String server = System.getenv(ENVIRONMENT);
        return server == null || server.isBlank() ? DEFAULT_SERVER : server.trim();
    }

    static String key(int i) {
        return KEY_PREFIX + i;
    }

    /** The value of key {@code i}: its number, then filler that depends on it, {@value #VALUE_BYTES} bytes. */
    static byte[] value(int i) {
        byte[] value = new byte[VALUE_BYTES];
        byte[] head = ("value-" + i + "-").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, value, 0, head.length);
        for (int j = head.length; j < VALUE_BYTES; j++) {
            value[j] = (byte) ('a' + (i + j) % 26);
        }
        return value;
    }

    /**
     * Runs one variant.
     *
     * @param args the variant, the concurrency, the warm-up and the measured period in ms
     */
    public static void main(String[] args) throws Exception {
        String variant = args[0];
        int concurrency = Integer.parseInt(args[1]);
        Duration warmup = Duration.ofMillis(Long.parseLong(args[2]));
        Duration measured = Duration.ofMillis(Long.parseLong(args[3]));
        String server = server();
        Counters counters = new Counters();
        try (Client client = switch (variant) {
            case "concurrence" -> new Ours(server);
            case "spymemcached" -> new Spy(server);
            case "xmemcached" -> new Xmemcached(server, true);
            case "xmemcached-unmerged" -> new Xmemcached(server, false);
            default -> throw new IllegalArgumentException("unknown variant " + variant
                    + "; expected concurrence, spymemcached, xmemcached or xmemcached-unmerged");
        }) {
            fill(client);
            List<Thread> loops = new ArrayList<>();
            List<Tasklet<Void>> tasklets = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                if (client instanceof Ours) {
                    tasklets.add(Tasklet.spawn(() -> loop(client, counters)));
                } else {
                    loops.add(Thread.ofVirtual().start(() -> loop(client, counters)));
                }
            }
            MeasuredWindow window = MeasuredWindow.measure(warmup, measured, counters.gets::sum,
                    counters.errors::sum);
            counters.running = false;
            for (Tasklet<Void> tasklet : tasklets) {
                tasklet.join(Duration.ofSeconds(30));
            }
            for (Thread loop : loops) {
                loop.join(Duration.ofSeconds(30));
            }
            window.print(counters.firstError.get());
        }
    }

    /** Sets every key through the variant's own client (its own flags and transcoding), checking each. */
    private static void fill(Client client) throws Exception {
        for (int i = 0; i < KEYS; i++) {
            if (!client.set(key(i), VALUES[i])) {
                throw new IllegalStateException("the server did not store " + key(i));
            }
        }
    }

    /** One getter: random keys until told to stop, every answer checked against the value set. */
    private static void loop(Client client, Counters counters) {
        while (counters.running) {
            int i = ThreadLocalRandom.current().nextInt(KEYS);
            try {
                byte[] value = client.get(key(i));
                if (value == null) {
                    counters.fail("a miss on " + key(i));
                } else if (!Arrays.equals(value, VALUES[i])) {
                    counters.fail("a wrong value for " + key(i) + ": "
                            + new String(value, StandardCharsets.ISO_8859_1));
                } else {
                    counters.gets.increment();
                }
            } catch (Exception e) {
                counters.fail(e);
            }
        }
    }

    private static InetSocketAddress address(String server) {
        int colon = server.lastIndexOf(':');
        return new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
    }

    /** Ours: concurrence-memcache with the bytes codec and its defaults (one connection per server). */
    private static final class Ours implements Client {
        private final MemcacheClient<byte[]> client;

        Ours(String server) {
            client = MemcacheClient.builder().server(server).build();
        }

        @Override
        public byte[] get(String key) {
            return client.get(key).orElse(null);
        }

        @Override
        public boolean set(String key, byte[] value) {
            return client.set(key, value, Duration.ofSeconds(EXPIRY_SECONDS));
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /**
     * spymemcached with its defaults: one connection, text protocol, its serializing transcoder, consecutive
     * queued gets collapsed into one multi-key get.
     */
    private static final class Spy implements Client {
        private final net.spy.memcached.MemcachedClient client;

        Spy(String server) throws Exception {
            client = new net.spy.memcached.MemcachedClient(address(server));
        }

        @Override
        public byte[] get(String key) {
            Object value = client.get(key);
            if (value == null || value instanceof byte[]) {
                return (byte[]) value;
            }
            throw new IllegalStateException("spymemcached decoded " + key + " as " + value.getClass().getName());
        }

        @Override
        public boolean set(String key, byte[] value) throws Exception {
            return client.set(key, EXPIRY_SECONDS, value).get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            client.shutdown(30, TimeUnit.SECONDS);
        }
    }

    /**
     * xmemcached with its builder's defaults: a pool of one connection, text protocol, concurrent gets merged
     * ({@code merge} false turns that off).
     */
    private static final class Xmemcached implements Client {
        private final net.rubyeye.xmemcached.MemcachedClient client;

        Xmemcached(String server, boolean merge) throws Exception {
            client = new XMemcachedClientBuilder(server).build();
            client.setOptimizeGet(merge);
        }

        @Override
        public byte[] get(String key) throws Exception {
            Object value = client.get(key);
            if (value == null || value instanceof byte[]) {
                return (byte[]) value;
            }
            throw new IllegalStateException("xmemcached decoded " + key + " as " + value.getClass().getName());
        }

        @Override
        public boolean set(String key, byte[] value) throws Exception {
            return client.set(key, EXPIRY_SECONDS, value);
        }

        @Override
        public void close() throws Exception {
            client.shutdown();
        }
    }
}
