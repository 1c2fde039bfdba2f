package io.concurrence.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator of {@code socket-greeter} (the same for every server): {@code connections} virtual
 * threads, each connecting, reading the greeting to the end, and connecting again, with plain
 * {@link java.net.Socket}s.
 */
public final class GreeterLoad {

    /** What one run counted. */
    public record Counts(long completed, long errors, double perSecond) {
    }

    private GreeterLoad() {
    }

    /** Drives {@code port} for {@code duration}; returns completed greetings per second. */
    public static Counts run(int port, int connections, Duration duration) throws InterruptedException {
        LongAdder completed = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        int expected = GreeterServer.GREETING.length;
        List<Thread> clients = new ArrayList<>(connections);
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[256];
                while (running.get()) {
                    if (greetOnce(port, buffer) == expected) {
                        completed.increment();
                    } else {
                        errors.increment();
                    }
                }
            }));
        }
        Thread.sleep(duration.toMillis());
        running.set(false);
        long counted = completed.sum();
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Thread client : clients) {
            client.join(Duration.ofSeconds(10));
        }
        return new Counts(counted, errors.sum(), counted / seconds);
    }

    private static int greetOnce(int port, byte[] buffer) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            InputStream in = socket.getInputStream();
            int total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
            return total;
        } catch (IOException e) {
            return -1;
        }
    }
}
