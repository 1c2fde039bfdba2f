package io.concurrence.benchmarks.memory;

import java.lang.management.ManagementFactory;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.concurrence.Channel;
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
        long before = usedHeapAfterGc();
        switch (variant) {
            case "concurrence" -> parkTasklets(n);
            case "virtual-thread" -> parkVirtualThreads(n);
            default -> throw new IllegalArgumentException("unknown variant " + variant
                    + "; expected concurrence or virtual-thread");
        }
        long after = usedHeapAfterGc();
        System.out.println("BYTES_PER " + (double) (after - before) / n);
        System.out.flush();
        Runtime.getRuntime().halt(0); // do not wait for a million parked threads
    }

    private static void parkTasklets(int n) {
        Channel<Integer> channel = new Channel<>();
        for (int i = 0; i < n; i++) {
            Tasklet.spawn(() -> channel.receive());
        }
        while (channel.balance() > -n) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static void parkVirtualThreads(int n) {
        SynchronousQueue<Integer> queue = new SynchronousQueue<>();
        AtomicInteger parked = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(() -> {
                parked.incrementAndGet();
                try {
                    queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        while (parked.get() < n) {
            LockSupport.parkNanos(1_000_000);
        }
        // The counter is bumped just before take(): give the last ones time to park.
        LockSupport.parkNanos(500_000_000L);
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
