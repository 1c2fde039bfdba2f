package io.concurrence.reactor;

import static io.concurrence.reactor.BridgeTestSupport.SAFETY;
import static io.concurrence.reactor.BridgeTestSupport.SHORT;
import static io.concurrence.reactor.BridgeTestSupport.await;
import static io.concurrence.reactor.BridgeTestSupport.awaitUntil;
import static io.concurrence.reactor.BridgeTestSupport.inTasklet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.concurrence.ConcurrenceException;
import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.Timeout;
import io.concurrence.TimeoutException;

/**
 * {@link Await#stream}: order, bounded demand, cancellation on close, errors, timeouts, kill.
 * (Issue 3, "concurrence-reactor" and "Tests".)
 */
@org.junit.jupiter.api.Timeout(60)
class AwaitStreamTest {

    @Test
    void streamYieldsAllElementsInOrder() {
        List<Integer> expected = IntStream.rangeClosed(1, 1000).boxed().toList();
        Flux<Integer> async = Flux.range(1, 1000).publishOn(Schedulers.boundedElastic());

        assertThat(inTasklet(() -> {
            try (Stream<Integer> elements = Await.stream(async)) {
                return elements.toList();
            }
        })).containsExactlyElementsOf(expected);
        assertThat(inTasklet(() -> {
            try (Stream<Integer> elements = Await.stream(async, 8)) {
                return elements.toList();
            }
        })).as("a prefetch much smaller than the Flux").containsExactlyElementsOf(expected);
        assertThat(inTasklet(() -> {
            try (Stream<Integer> elements = Await.stream(async, SAFETY)) {
                return elements.toList();
            }
        })).as("timed overload").containsExactlyElementsOf(expected);
    }

    @Test
    void streamOfAnEmptyFluxYieldsNothing() {
        assertThat(inTasklet(() -> {
            try (Stream<Integer> elements = Await.stream(Flux.<Integer>empty().delaySubscription(SHORT))) {
                return elements.toList();
            }
        })).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, Await.DEFAULT_PREFETCH})
    void streamNeverRequestsMoreThanThePrefetchAheadOfASlowConsumer(int prefetch) {
        // Written by the upstream worker only (requests and signals both run there, after subscribeOn).
        AtomicLong outstanding = new AtomicLong();
        AtomicLong maxOutstanding = new AtomicLong();
        AtomicLong requested = new AtomicLong();
        AtomicLong emitted = new AtomicLong();
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<Integer> huge = Flux.range(1, 1_000_000)
                .doOnRequest(n -> {
                    requested.addAndGet(n);
                    maxOutstanding.accumulateAndGet(outstanding.addAndGet(n), Math::max);
                })
                .doOnNext(i -> {
                    outstanding.decrementAndGet();
                    emitted.incrementAndGet();
                })
                .doOnCancel(() -> cancelled.set(true))
                .subscribeOn(Schedulers.boundedElastic());
        int toConsume = Math.max(50, 3 * prefetch + 5);

        long maxAhead = inTasklet(() -> {
            long ahead = 0;
            try (Stream<Integer> elements = Await.stream(huge, prefetch)) {
                Iterator<Integer> iterator = elements.iterator();
                for (int consumed = 1; consumed <= toConsume; consumed++) {
                    assertThat(iterator.next()).isEqualTo(consumed);
                    if (consumed == 1) {
                        // Let the producer fill the buffer: any excess demand would show now.
                        awaitUntil("the producer filled the prefetch buffer", () -> emitted.get() >= prefetch);
                    }
                    ahead = Math.max(ahead, emitted.get() - consumed);
                    Tasklet.yieldNow();
                }
            }
            return ahead;
        });

        assertThat(maxOutstanding.get()).as("outstanding demand").isPositive().isLessThanOrEqualTo(prefetch);
        assertThat(maxAhead).as("elements produced ahead of the consumer").isLessThanOrEqualTo(prefetch);
        assertThat(requested.get()).as("total demand").isLessThanOrEqualTo(toConsume + prefetch);
        awaitUntil("closing the stream cancelled the Flux", cancelled::get);
    }

    @Test
    void streamRequestsTheDefaultPrefetchUpFront() {
        List<Long> requests = new CopyOnWriteArrayList<>();

        inTasklet(() -> {
            try (Stream<Integer> elements = Await.stream(Flux.range(1, 1_000_000).doOnRequest(requests::add))) {
                return elements.findFirst();
            }
        });

        assertThat(requests).first().isEqualTo((long) Await.DEFAULT_PREFETCH);
    }

    @Test
    void closingTheStreamAfterLimitCancelsUpstream() {
        CountDownLatch cancelled = new CountDownLatch(1);
        Flux<Integer> huge = Flux.range(1, 1_000_000).doOnCancel(cancelled::countDown);

        List<Integer> firstTen = inTasklet(() -> {
            try (Stream<Integer> elements = Await.stream(huge)) {
                return elements.limit(10).toList();
            }
        });

        assertThat(firstTen).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(cancelled.getCount()).as("cancel hook ran by the time close returned").isZero();
    }

    @Test
    void closingTheStreamWithTheIteratorPartiallyConsumedCancelsUpstream() {
        CountDownLatch cancelled = new CountDownLatch(1);
        Flux<Integer> async = Flux.range(1, 1_000_000).doOnCancel(cancelled::countDown)
                .subscribeOn(Schedulers.boundedElastic());

        List<Integer> taken = inTasklet(() -> {
            Stream<Integer> elements = Await.stream(async, 4);
            Iterator<Integer> iterator = elements.iterator();
            List<Integer> three = List.of(iterator.next(), iterator.next(), iterator.next());
            elements.close();
            assertThat(iterator.hasNext()).as("a closed stream has no more elements").isFalse();
            return three;
        });

        assertThat(taken).containsExactly(1, 2, 3);
        await(cancelled, "closing the stream cancelled the Flux");
    }

    @Test
    void closingTheStreamHandsBufferedElementsToTheDiscardHook() {
        List<Integer> discarded = new CopyOnWriteArrayList<>();
        Flux<Integer> flux = Flux.range(1, 1_000_000).doOnDiscard(Integer.class, discarded::add);

        inTasklet(() -> {
            Stream<Integer> elements = Await.stream(flux, 16);
            Iterator<Integer> iterator = elements.iterator();
            assertThat(List.of(iterator.next(), iterator.next(), iterator.next())).containsExactly(1, 2, 3);
            elements.close();
            return null;
        });

        // Range emits synchronously on request: 16 were delivered, 3 consumed, 13 buffered.
        assertThat(discarded).containsExactlyElementsOf(IntStream.rangeClosed(4, 16).boxed().toList());
    }

    @Test
    void closingTheStreamFromAnotherThreadEndsTheWaitingConsumerAndCancelsUpstream() {
        CountDownLatch subscribed = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Stream<Integer> elements = Await.stream(Flux.<Integer>never()
                .doOnSubscribe(s -> subscribed.countDown())
                .doOnCancel(cancelled::countDown));
        Iterator<Integer> iterator = elements.iterator();
        await(subscribed, "the stream subscribed");
        Tasklet<Boolean> consumer = Tasklet.spawn(iterator::hasNext);

        elements.close();

        assertThat(consumer.join(SAFETY)).as("hasNext after close").isFalse();
        assertThat(cancelled.getCount()).as("cancel hook ran").isZero();
    }

    @Test
    void streamRethrowsAnUpstreamErrorAfterTheElementsBeforeIt() {
        IllegalStateException boom = new IllegalStateException("boom");
        List<Integer> received = new ArrayList<>();
        Flux<Integer> failing = Flux.concat(Flux.range(1, 3), Flux.error(boom)).publishOn(Schedulers.boundedElastic());

        Throwable thrown = catchThrowable(() -> inTasklet(() -> {
            try (Stream<Integer> elements = Await.stream(failing)) {
                elements.forEach(received::add);
            }
            return null;
        }));

        assertThat(received).containsExactly(1, 2, 3);
        assertThat(thrown).isSameAs(boom).hasMessage("boom").hasNoCause();
        assertThat(thrown.getSuppressed())
                .anySatisfy(marker -> assertThat(marker).hasMessageContaining("Await.stream"));
    }

    @Test
    void streamWrapsACheckedUpstreamErrorInConcurrenceException() {
        IOException io = new IOException("connection reset");
        List<Integer> received = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> inTasklet(() -> {
            try (Stream<Integer> elements = Await.stream(Flux.concat(Flux.just(1), Flux.error(io)))) {
                elements.forEach(received::add);
            }
            return null;
        }));

        assertThat(received).containsExactly(1);
        assertThat(thrown).isExactlyInstanceOf(ConcurrenceException.class)
                .hasMessageContaining("Await.stream")
                .cause().isSameAs(io);
    }

    @Test
    void streamWithTimeoutThrowsTimeoutExceptionAndCancelsUpstreamWhenTheFluxStalls() {
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicBoolean cancelledWhenThrown = new AtomicBoolean();
        Flux<Integer> stalling = Flux.concat(Flux.just(1), Flux.<Integer>never()).doOnCancel(cancelled::countDown);

        Throwable thrown = inTasklet(() -> {
            try (Stream<Integer> elements = Await.stream(stalling, SHORT)) {
                Iterator<Integer> iterator = elements.iterator();
                assertThat(iterator.next()).isEqualTo(1);
                Throwable t = catchThrowable(iterator::hasNext);
                cancelledWhenThrown.set(cancelled.getCount() == 0);
                return t;
            }
        });

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.stream")
                .hasMessageContaining("100 ms")
                .hasNoCause();
        assertThat(cancelledWhenThrown).as("subscription cancelled before the exception was thrown").isTrue();
    }

    @Test
    void streamHonoursTheAmbientTimeoutInForceAtEachWaitForAnElement() {
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicBoolean cancelledWhenThrown = new AtomicBoolean();
        Flux<Integer> stalling = Flux.concat(Flux.just(1), Flux.<Integer>never()).doOnCancel(cancelled::countDown);

        Throwable thrown = inTasklet(() -> {
            try (Stream<Integer> elements = Await.stream(stalling)) {
                Iterator<Integer> iterator = elements.iterator();
                assertThat(iterator.next()).isEqualTo(1); // no Timeout pushed yet
                try (Timeout ignored = Timeout.push(SHORT)) {
                    Throwable t = catchThrowable(iterator::hasNext);
                    cancelledWhenThrown.set(cancelled.getCount() == 0);
                    return t;
                }
            }
        });

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.stream")
                .hasMessageContaining("ambient Timeout")
                .hasNoCause();
        assertThat(cancelledWhenThrown).as("subscription cancelled before the exception was thrown").isTrue();
    }

    @Test
    void killMakesATaskletBlockedInStreamHasNextThrowTaskletExitAndCancelsUpstream() {
        CountDownLatch subscribed = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Flux<Integer> quiet = Flux.<Integer>never()
                .doOnSubscribe(s -> subscribed.countDown())
                .doOnCancel(cancelled::countDown);
        Tasklet<Boolean> consumer = Tasklet.named("stream-killed").spawn(() -> {
            try (Stream<Integer> elements = Await.stream(quiet)) {
                return elements.iterator().hasNext();
            }
        });
        await(subscribed, "the stream subscribed");

        consumer.kill();

        assertThatThrownBy(() -> consumer.join(SAFETY))
                .isInstanceOf(JoinException.class)
                .cause()
                .isInstanceOf(TaskletExit.class)
                .hasMessageContaining("stream-killed")
                .hasMessageContaining("Await.stream");
        assertThat(cancelled.getCount()).as("cancel hook ran").isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void streamWithPrefetchBelowOneThrowsIllegalArgumentExceptionWithoutSubscribing(int prefetch) {
        AtomicBoolean subscribed = new AtomicBoolean();

        assertThatThrownBy(() -> Await.stream(Flux.just(1).doOnSubscribe(s -> subscribed.set(true)), prefetch))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefetch")
                .hasMessageContaining(String.valueOf(prefetch))
                .hasNoCause();
        assertThat(subscribed).isFalse();
    }
}
