package io.concurrence.reactor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;

import io.concurrence.Tasklet;
import io.concurrence.Timeout;
import io.concurrence.TimeoutException;

/** The blocking stream over Netty buffers that carries HTTP bodies: reads, limits, demand and release. */
@org.junit.jupiter.api.Timeout(60)
class ByteBufInputStreamTest {

    private static final Duration SAFETY = Duration.ofSeconds(10);

    @Test
    void readsAcrossBufferBoundariesAndReleasesEveryBuffer() {
        List<ByteBuf> buffers = List.of(buffer("Hel"), buffer("lo, "), buffer(""), buffer("world"));

        String text = inTasklet(() -> {
            try (ByteBufInputStream in = stream(Flux.fromIterable(buffers), Long.MAX_VALUE)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(in.read());                         // one byte
                byte[] chunk = new byte[4];
                for (int n; (n = in.read(chunk, 0, chunk.length)) >= 0; ) {
                    out.write(chunk, 0, n);
                }
                assertThat(in.isAtEnd()).isTrue();
                assertThat(in.read()).isEqualTo(-1);
                return out.toString(StandardCharsets.US_ASCII);
            }
        });

        assertThat(text).isEqualTo("Hello, world");
        assertThat(buffers).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    @Test
    void skipMovesAcrossBuffers() {
        String rest = inTasklet(() -> {
            try (ByteBufInputStream in = stream(Flux.just(buffer("abc"), buffer("defg")), Long.MAX_VALUE)) {
                assertThat(in.skip(5)).isEqualTo(5);
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        });

        assertThat(rest).isEqualTo("fg");
    }

    @Test
    void goingPastTheLimitThrowsTheGivenExceptionAndReleases() {
        ByteBuf first = buffer("12345");
        ByteBuf second = buffer("67890");
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<ByteBuf> source = Flux.just(first, second).doOnCancel(() -> cancelled.set(true));

        RuntimeException failure = inTasklet(() -> {
            ByteBufInputStream in = stream(source, 8);
            byte[] buffer = new byte[16];
            assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(5);
            try {
                in.read(buffer, 0, buffer.length);
                throw new AssertionError("read past the limit");
            } catch (IllegalStateException expected) {
                return expected;
            }
        });

        assertThat(failure).hasMessage("over 8");
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(cancelled).isTrue();
    }

    @Test
    void demandFollowsReading() {
        AtomicLong requested = new AtomicLong();
        Flux<ByteBuf> endless = Flux.<ByteBuf>generate(sink -> sink.next(buffer("x")))
                .doOnRequest(requested::addAndGet);

        long afterTen = inTasklet(() -> {
            try (ByteBufInputStream in = stream(endless, Long.MAX_VALUE)) {
                for (int i = 0; i < 10; i++) {
                    assertThat(in.read()).isEqualTo('x');
                }
                return requested.get();
            }
        });

        assertThat(afterTen).as("ten buffers read with a prefetch of 4").isBetween(10L, 16L);
    }

    @Test
    void closeCancelsTheSourceAndReleasesTheUnreadBuffer() {
        ByteBuf held = buffer("unread");
        AtomicBoolean cancelled = new AtomicBoolean();
        List<ByteBuf> emitted = new CopyOnWriteArrayList<>();
        Flux<ByteBuf> source = Flux.concat(Flux.just(held), Flux.<ByteBuf>never())
                .doOnNext(emitted::add)
                .doOnCancel(() -> cancelled.set(true));

        inTasklet(() -> {
            ByteBufInputStream in = stream(source, Long.MAX_VALUE);
            assertThat(in.read()).isEqualTo('u');
            in.close();
            in.close();
            assertThatThrownBy(in::read).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            return null;
        });

        assertThat(cancelled).isTrue();
        assertThat(emitted).containsExactly(held);
        assertThat(held.refCnt()).isZero();
    }

    @Test
    void aReadThatWaitsHonoursTheAmbientTimeout() {
        Throwable failure = inTasklet(() -> {
            try (ByteBufInputStream in = stream(Flux.never(), Long.MAX_VALUE);
                 Timeout ignored = Timeout.push(Duration.ofMillis(50))) {
                in.read();
                return new AssertionError("read returned");
            } catch (TimeoutException expected) {
                return expected;
            }
        });

        assertThat(failure).isInstanceOf(TimeoutException.class).hasMessageContaining("reading the test body");
    }

    private static ByteBufInputStream stream(Flux<ByteBuf> source, long limit) {
        return new ByteBufInputStream(source, 4, "reading the test body", limit,
                max -> new IllegalStateException("over " + max));
    }

    private static ByteBuf buffer(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private static <T> T inTasklet(java.util.concurrent.Callable<T> body) {
        return Tasklet.spawn(body).join(SAFETY);
    }
}
