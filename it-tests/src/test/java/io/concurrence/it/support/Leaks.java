package io.concurrence.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

/**
 * The leak check of the reliability suite: Netty's detector runs at PARANOID in this JVM (every buffer is
 * tracked) and {@link RecordingLeakDetector} keeps what it reports. {@link #assertNoneReported()} forces garbage
 * collections, makes the detectors look at what was collected, and fails with every report if a buffer was
 * collected without being released.
 */
public final class Leaks {

    private static final int GC_ROUNDS = 5;
    /** The bound on collections per round (one is nearly always enough). */
    private static final int MAX_GCS = 50;
    /** Allocations after each collection: each one makes a detector drain its queue of collected buffers. */
    private static final int PROBES = 64;

    private Leaks() {
    }

    /** Fails unless Netty tracks every buffer with the recording detector (the JVM options of it-tests). */
    public static void assertTracking() {
        ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(16);
        probe.release();
        assertThat(ResourceLeakDetector.getLevel())
                .as("it-tests run with -Dio.netty.leakDetection.level=paranoid")
                .isEqualTo(ResourceLeakDetector.Level.PARANOID);
        assertThat(RecordingLeakDetector.installed())
                .as("it-tests run with -Dio.netty.customResourceLeakDetector=" + RecordingLeakDetector.class.getName())
                .isTrue();
    }

    /** The hint that marks the buffers {@link LeakDetectionTest} leaks on purpose: not counted as leaks. */
    static final String DELIBERATE = "deliberately-leaked-by-LeakDetectionTest";

    /** The leaks reported so far in this JVM, but for the deliberate ones of {@link LeakDetectionTest}. */
    public static List<String> reported() {
        return RecordingLeakDetector.reports().stream().filter(report -> !report.contains(DELIBERATE)).toList();
    }

    /** Collects garbage and lets every detector drain its queue of collected buffers. */
    static void collect() {
        WeakReference<Object> marker = new WeakReference<>(new Object());
        for (int i = 0; i < MAX_GCS && marker.get() != null; i++) {
            System.gc();
        }
        probe(PooledByteBufAllocator.DEFAULT);
        probe(UnpooledByteBufAllocator.DEFAULT);
        probe(ByteBufAllocator.DEFAULT);
    }

    /**
     * Collects garbage until a fresh object is seen collected (several rounds), lets every detector drain its queue,
     * and fails if any leak was reported in this JVM so far.
     */
    public static void assertNoneReported() {
        assertTracking();
        for (int round = 0; round < GC_ROUNDS; round++) {
            collect();
        }
        assertThat(reported()).as("Netty buffers collected without being released").isEmpty();
    }

    private static void probe(ByteBufAllocator allocator) {
        for (int i = 0; i < PROBES; i++) {
            allocator.heapBuffer(8).release();
            allocator.directBuffer(8).release();
        }
    }
}
