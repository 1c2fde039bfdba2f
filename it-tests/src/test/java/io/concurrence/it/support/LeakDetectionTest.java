package io.concurrence.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The leak check itself can fail: a buffer dropped without release, in this JVM, is reported by the recording
 * detector once collected. (It is touched with {@link Leaks#DELIBERATE}, so {@link Leaks#assertNoneReported()}
 * does not count it.)
 */
class LeakDetectionTest {

    private static final Duration DETECTED = Duration.ofSeconds(60);

    @Test
    void aBufferDroppedWithoutReleaseIsReported() {
        Leaks.assertTracking();
        String id = UUID.randomUUID().toString();
        leakOne(id);
        Bounded.until(() -> {
            Leaks.collect();
            return RecordingLeakDetector.reports().stream().anyMatch(report -> report.contains(id));
        }, DETECTED, "the dropped buffer reported as a leak", RecordingLeakDetector::reports);
        assertThat(Leaks.reported()).noneMatch(report -> report.contains(id));
    }

    private static void leakOne(String id) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.touch(Leaks.DELIBERATE + " " + id);
        buffer.writeLong(42);
    }
}
