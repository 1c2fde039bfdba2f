package io.concurrence.it.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's leak detector that also keeps every leak it reports, so that a test can assert none was found.
 * The it-tests JVM installs it for every resource type with {@code -Dio.netty.customResourceLeakDetector}
 * (and sets {@code -Dio.netty.leakDetection.level=paranoid}): Netty's factory builds one per tracked class,
 * with the {@code (Class, int, long)} constructor. {@link Leaks} reads what it recorded.
 *
 * @param <T> the tracked resource type
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger CREATED = new AtomicInteger();

    /**
     * Called by Netty's {@code ResourceLeakDetectorFactory}, which looks for this constructor first (and logs an
     * error when a custom detector lacks it).
     *
     * @param resourceType the tracked class
     * @param samplingInterval the sampling interval (ignored at PARANOID)
     * @param maxActive no longer used by Netty
     */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /**
     * The constructor Netty's {@code ResourceLeakDetectorFactory} falls back to.
     *
     * @param resourceType the tracked class
     * @param samplingInterval the sampling interval (ignored at PARANOID)
     */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        CREATED.incrementAndGet();
    }

    /** The leaks reported since this JVM started (resource type and records), oldest first. */
    static List<String> reports() {
        return List.copyOf(REPORTS);
    }

    /** Whether Netty built its detectors from this class (the JVM option was set before Netty loaded). */
    static boolean installed() {
        return CREATED.get() > 0;
    }

    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        REPORTS.add(resourceType + " leaked:" + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        REPORTS.add(resourceType + " leaked (no records)");
        super.reportUntracedLeak(resourceType);
    }
}
