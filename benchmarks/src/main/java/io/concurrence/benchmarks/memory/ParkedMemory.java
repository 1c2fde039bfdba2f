package io.concurrence.benchmarks.memory;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.concurrence.Channel;
import io.concurrence.ChannelClosedException;
import io.concurrence.Tasklet;

/**
 * {@code tasklet-memory}, one measurement in its own JVM: parks {@code N} tasklets on a channel (or
 * {@code N} virtual threads on a {@link SynchronousQueue}) and prints the heap they hold, per tasklet:
 * {@code BYTES_PER <value>}.
 *
 * <p>Usage: {@code java -Xmx4g -cp benchmarks.jar io.concurrence.benchmarks.memory.ParkedMemory
 * concurrence|virtual-thread N}
 */
public final class ParkedMemory {

    private ParkedMemory() {
    }

    /**
     * Measures one variant.
     *
     * @param args the variant and N
     */
    public static void main(String[] args) throws InterruptedException {
        String variant = args[0];
        int n = Integer.parseInt(args[1]);
        if (!variant.equals("concurrence") && !variant.equals("virtual-thread")) {
            throw new IllegalArgumentException("unknown variant " + variant
                    + "; expected concurrence or virtual-thread");
        }
        // Warm up: park and release a few batches first, so that the frames measured below are those of
        // compiled code (interpreted frames are several times larger, and how many tasklets park before the
        // JIT has compiled the path is noise).
        for (int i = 0; i < WARMUP_BATCHES; i++) {
            park(variant, WARMUP_SIZE).run();
        }
        long before = usedHeapAfterGc();
        park(variant, n);
        long after = usedHeapAfterGc();
        System.out.println("BYTES_PER " + (double) (after - before) / n);
        System.out.flush();
        Runtime.getRuntime().halt(0); // do not wait for a million parked threads
    }

    private static final int WARMUP_BATCHES = 3;
    private static final int WARMUP_SIZE = 20_000;

    /** Parks {@code n} of the variant; returns how to release them (and waits until they have ended). */
    private static Runnable park(String variant, int n) throws InterruptedException {
        return variant.equals("concurrence") ? parkTasklets(n) : parkVirtualThreads(n);
    }

    private static Runnable parkTasklets(int n) {
        long aliveBefore = Tasklet.stats().alive();
        Channel<Integer> channel = new Channel<>();
        for (int i = 0; i < n; i++) {
            Tasklet.spawn(() -> {
                try {
                    return channel.receive();
                } catch (ChannelClosedException released) {
                    return null;
                }
            });
        }
        while (channel.balance() > -n) {
            LockSupport.parkNanos(1_000_000);
        }
        return () -> {
            channel.close();
            while (Tasklet.stats().alive() > aliveBefore) {
                LockSupport.parkNanos(1_000_000);
            }
        };
    }

    private static Runnable parkVirtualThreads(int n) throws InterruptedException {
        SynchronousQueue<Integer> queue = new SynchronousQueue<>();
        AtomicInteger parked = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                parked.incrementAndGet();
                try {
                    queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        while (parked.get() < n) {
            LockSupport.parkNanos(1_000_000);
        }
        // The counter is bumped just before take(): give the last ones time to park.
        LockSupport.parkNanos(500_000_000L);
        return () -> {
            threads.forEach(Thread::interrupt);
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            LockSupport.parkNanos(100_000_000L);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
