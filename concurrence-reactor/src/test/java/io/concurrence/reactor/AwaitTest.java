package io.concurrence.reactor;

import static io.concurrence.reactor.BridgeTestSupport.PROMPT;
import static io.concurrence.reactor.BridgeTestSupport.SAFETY;
import static io.concurrence.reactor.BridgeTestSupport.SHORT;
import static io.concurrence.reactor.BridgeTestSupport.await;
import static io.concurrence.reactor.BridgeTestSupport.elapsedSince;
import static io.concurrence.reactor.BridgeTestSupport.inTasklet;
import static io.concurrence.reactor.BridgeTestSupport.neverCompleting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import io.netty.channel.EventLoop;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;
import reactor.test.StepVerifier;

import io.concurrence.ConcurrenceException;
import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.Timeout;
import io.concurrence.TimeoutException;
import io.concurrence.reactor.BridgeTestSupport.Caller;

/**
 * {@link Await#of}, {@link Await#optional} and {@link Await#list}: values, timeouts, kill, errors, threads.
 * (Issue 3, "concurrence-reactor" and "Tests".)
 */
@org.junit.jupiter.api.Timeout(60)
class AwaitTest {

    private static LoopResources loops;

    @BeforeAll
    static void startEventLoop() {
        loops = LoopResources.create("await-test", 1, true);
    }

    @AfterAll
    static void stopEventLoop() {
        loops.disposeLater().block(SAFETY);
    }

    // ---- values ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Caller.class)
    void ofReturnsTheValueOfAMonoThatCompletesLater(Caller caller) throws Exception {
        String value = caller.call(() -> Await.of(Mono.just("later").delayElement(Duration.ofMillis(20))));

        assertThat(value).isEqualTo("later");
    }

    @Test
    void ofReturnsTheValueOfASynchronousMono() {
        assertThat(inTasklet(() -> Await.of(Mono.just("now")))).isEqualTo("now");
    }

    @Test
    void ofReturnsTheValueWhenCalledFromThePlatformTestThread() {
        assertThat(Tasklet.findCurrent()).isEmpty();

        assertThat(Await.of(Mono.just(42).delayElement(Duration.ofMillis(10)))).isEqualTo(42);
    }

    @Test
    void ofReturnsNullForAnEmptyMono() {
        Object empty = inTasklet(() -> Await.of(Mono.empty()));
        Object emptyLater = inTasklet(() -> Await.of(Mono.delay(Duration.ofMillis(10)).then()));

        assertThat(empty).isNull();
        assertThat(emptyLater).isNull();
    }

    @Test
    void optionalReturnsEmptyForAnEmptyMono() {
        assertThat(inTasklet(() -> Await.optional(Mono.delay(Duration.ofMillis(10)).then()))).isEmpty();
        assertThat(inTasklet(() -> Await.optional(Mono.empty(), SAFETY))).isEmpty();
    }

    @Test
    void optionalReturnsThePresentValueOfAMono() {
        assertThat(inTasklet(() -> Await.optional(Mono.just("x").delayElement(Duration.ofMillis(10)))))
                .contains("x");
        assertThat(inTasklet(() -> Await.optional(Mono.just("y"), SAFETY))).contains("y");
    }

    @Test
    void listReturnsAllElementsInOrder() {
        List<Integer> expected = IntStream.rangeClosed(1, 500).boxed().toList();

        List<Integer> list = inTasklet(() -> Await.list(Flux.range(1, 500).publishOn(Schedulers.boundedElastic())));

        assertThat(list).containsExactlyElementsOf(expected);
        assertThatThrownBy(() -> list.add(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void listReturnsAnEmptyListForAnEmptyFlux() {
        assertThat(inTasklet(() -> Await.list(Flux.empty()))).isEmpty();
        assertThat(inTasklet(() -> Await.list(Flux.empty(), SAFETY))).isEmpty();
    }

    @Test
    void timedOverloadsReturnTheValueWhenThePublisherSignalsInTime() {
        assertThat(inTasklet(() -> Await.of(Mono.just("a").delayElement(Duration.ofMillis(10)), SAFETY)))
                .isEqualTo("a");
        Object empty = inTasklet(() -> Await.of(Mono.empty(), SAFETY));
        assertThat(empty).isNull();
        assertThat(inTasklet(() -> Await.list(Flux.just(1, 2, 3).delayElements(Duration.ofMillis(5)), SAFETY)))
                .containsExactly(1, 2, 3);
    }

    // ---- timeouts ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Caller.class)
    void ofWithTimeoutThrowsTimeoutExceptionAndCancelsTheSubscriptionWhenTheMonoNeverCompletes(Caller caller)
            throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicBoolean cancelledWhenThrown = new AtomicBoolean();
        long start = System.nanoTime();

        Throwable thrown = caller.call(() -> {
            Throwable t = catchThrowable(() -> Await.of(neverCompleting(new CountDownLatch(1), cancelled), SHORT));
            cancelledWhenThrown.set(cancelled.getCount() == 0);
            return t;
        });

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.of")
                .hasMessageContaining("100 ms")
                .hasNoCause();
        assertThat(cancelledWhenThrown).as("subscription cancelled before the exception was thrown").isTrue();
        assertThat(elapsedSince(start)).isGreaterThanOrEqualTo(SHORT).isLessThan(SAFETY);
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void ofThrowsTimeoutExceptionAndCancelsTheSubscriptionWhenTheAmbientTimeoutExpires(Caller caller)
            throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicBoolean cancelledWhenThrown = new AtomicBoolean();

        Throwable thrown = caller.call(() -> {
            try (Timeout ignored = Timeout.push(SHORT)) {
                Throwable t = catchThrowable(() -> Await.of(neverCompleting(new CountDownLatch(1), cancelled)));
                cancelledWhenThrown.set(cancelled.getCount() == 0);
                return t;
            }
        });

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.of")
                .hasMessageContaining("ambient Timeout")
                .hasMessageContaining("expired")
                .hasNoCause();
        assertThat(cancelledWhenThrown).as("subscription cancelled before the exception was thrown").isTrue();
    }

    @Test
    void ofHonoursTheAmbientTimeoutWhenItIsTighterThanTheGivenOne() {
        long start = System.nanoTime();

        Throwable thrown = catchThrowable(() -> inTasklet(() -> {
            try (Timeout ignored = Timeout.push(SHORT)) {
                return Await.of(Mono.never(), SAFETY);
            }
        }));

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.of")
                .hasMessageContaining("ambient Timeout")
                .hasNoCause();
        assertThat(elapsedSince(start)).isLessThan(SAFETY);
    }

    @Test
    void ofHonoursTheGivenTimeoutWhenItIsTighterThanTheAmbientOne() {
        Throwable thrown = catchThrowable(() -> inTasklet(() -> {
            try (Timeout ignored = Timeout.push(SAFETY)) {
                return Await.of(Mono.never(), SHORT);
            }
        }));

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.of timed out after 100 ms")
                .hasMessageNotContaining("ambient")
                .hasNoCause();
    }

    @Test
    void ofWithZeroTimeoutThrowsTimeoutExceptionAtOnceAndCancelsWhenTheMonoIsPending() {
        CountDownLatch cancelled = new CountDownLatch(1);
        long start = System.nanoTime();

        Throwable thrown = catchThrowable(() -> inTasklet(() ->
                Await.of(neverCompleting(new CountDownLatch(1), cancelled), Duration.ZERO)));

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.of")
                .hasMessageContaining("0 ms")
                .hasNoCause();
        assertThat(cancelled.getCount()).as("cancel hook ran").isZero();
        assertThat(elapsedSince(start)).isLessThan(PROMPT);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void ofWithZeroOrNegativeTimeoutReturnsTheValueOfASynchronousMono(long millis) {
        assertThat(inTasklet(() -> Await.of(Mono.just("ready"), Duration.ofMillis(millis)))).isEqualTo("ready");
    }

    @Test
    void listWithTimeoutThrowsTimeoutExceptionAndCancelsUpstreamWhenTheFluxDoesNotComplete() {
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicBoolean cancelledWhenThrown = new AtomicBoolean();
        Flux<Integer> stalling = Flux.concat(Flux.just(1, 2), Flux.<Integer>never()).doOnCancel(cancelled::countDown);

        Throwable thrown = inTasklet(() -> {
            Throwable t = catchThrowable(() -> Await.list(stalling, SHORT));
            cancelledWhenThrown.set(cancelled.getCount() == 0);
            return t;
        });

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.list")
                .hasNoCause();
        assertThat(cancelledWhenThrown).as("subscription cancelled before the exception was thrown").isTrue();
    }

    // ---- kill --------------------------------------------------------------------------------------------

    @Test
    void killMakesATaskletBlockedInOfThrowTaskletExitAndCancelsTheSubscription() {
        CountDownLatch subscribed = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Tasklet<Object> waiter = Tasklet.named("await-killed").spawn(() -> Await.of(neverCompleting(subscribed,
                cancelled)));
        await(subscribed, "the tasklet subscribed");

        waiter.kill();

        assertThatThrownBy(() -> waiter.join(SAFETY))
                .isInstanceOf(JoinException.class)
                .cause()
                .isInstanceOf(TaskletExit.class)
                .hasMessageContaining("await-killed")
                .hasMessageContaining("Await.of");
        assertThat(cancelled.getCount()).as("cancel hook ran").isZero();
    }

    // ---- errors ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Caller.class)
    void ofRethrowsAnUncheckedUpstreamErrorAsTheSameInstanceWithTheAwaitCallSiteSuppressed(Caller caller) {
        IllegalStateException boom = new IllegalStateException("boom");

        Throwable thrown = catchThrowable(() -> caller.call(() ->
                Await.of(Mono.delay(Duration.ofMillis(10)).then(Mono.error(boom)))));

        assertThat(thrown).isSameAs(boom).hasMessage("boom").hasNoCause();
        assertThat(thrown.getSuppressed()).singleElement().satisfies(marker -> {
            assertThat(marker).hasMessageContaining("Await");
            assertThat(marker.getStackTrace()).as("the marker's trace shows where the caller waited")
                    .anySatisfy(frame -> assertThat(frame.getClassName()).startsWith(AwaitTest.class.getName()));
        });
    }

    @Test
    void ofMarksAnUpstreamErrorRethrownTwiceOnlyOnce() {
        IllegalArgumentException shared = new IllegalArgumentException("shared");
        Mono<Object> failing = Mono.error(shared);

        assertThat(catchThrowable(() -> inTasklet(() -> Await.of(failing)))).isSameAs(shared);
        assertThat(catchThrowable(() -> inTasklet(() -> Await.of(failing)))).isSameAs(shared);

        assertThat(shared.getSuppressed()).hasSize(1);
    }

    @Test
    void ofWrapsACheckedUpstreamErrorInConcurrenceExceptionKeepingItAsTheCause() {
        IOException io = new IOException("disk on fire");

        Throwable thrown = catchThrowable(() -> inTasklet(() ->
                Await.of(Mono.delay(Duration.ofMillis(10)).then(Mono.error(io)))));

        assertThat(thrown).isExactlyInstanceOf(ConcurrenceException.class)
                .hasMessageContaining("Await.of")
                .hasMessageContaining("disk on fire")
                .cause().isSameAs(io);
        assertThat(thrown.getSuppressed()).anySatisfy(marker -> assertThat(marker).hasMessageContaining("Await"));
    }

    @Test
    void ofTranslatesTheReactorTimeoutOperatorErrorIntoConcurrenceTimeoutException() {
        Throwable thrown = catchThrowable(() -> inTasklet(() -> Await.of(Mono.never().timeout(SHORT))));

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.of")
                .cause().isExactlyInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    @Test
    void ofTranslatesAnUpstreamJdkTimeoutExceptionKeepingItAsTheCause() {
        java.util.concurrent.TimeoutException jdkTimeout = new java.util.concurrent.TimeoutException("upstream");

        Throwable thrown = catchThrowable(() -> inTasklet(() -> Await.of(Mono.error(jdkTimeout))));

        assertThat(thrown).isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.of")
                .hasMessageContaining("upstream")
                .cause().isSameAs(jdkTimeout);
    }

    // ---- threads -----------------------------------------------------------------------------------------

    static Stream<Arguments> awaitCalls() {
        return Stream.of(
                Arguments.of("Await.of", (Callable<?>) () -> Await.of(Mono.just(1).delayElement(SHORT))),
                Arguments.of("Await.of", (Callable<?>) () -> Await.of(Mono.just(1), SAFETY)),
                Arguments.of("Await.optional", (Callable<?>) () -> Await.optional(Mono.just(1).delayElement(SHORT))),
                Arguments.of("Await.list", (Callable<?>) () -> Await.list(Flux.just(1, 2).delayElements(SHORT))),
                Arguments.of("Await.stream", (Callable<?>) () -> Await.stream(Flux.just(1, 2).delayElements(SHORT))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awaitCalls")
    void awaitThrowsIllegalStateExceptionNamingTheThreadOnAParallelSchedulerThread(String operation,
            Callable<?> call) {
        AtomicReference<String> threadName = new AtomicReference<>();
        Mono<Object> onParallel = Mono.fromCallable(() -> {
            threadName.set(Thread.currentThread().getName());
            return (Object) call.call();
        }).subscribeOn(Schedulers.parallel());

        StepVerifier.create(onParallel)
                .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(operation)
                        .hasMessageContaining(threadName.get())
                        .hasMessageContaining("non-blocking")
                        .hasNoCause())
                .verify(SAFETY);
        assertThat(threadName.get()).startsWith("parallel-");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awaitCalls")
    void awaitThrowsIllegalStateExceptionNamingTheThreadOnANettyEventLoop(String operation, Callable<?> call) {
        EventLoop eventLoop = loops.onServer(false).next();
        AtomicReference<String> threadName = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);

        eventLoop.execute(() -> {
            threadName.set(Thread.currentThread().getName());
            thrown.set(catchThrowable(call::call));
            done.countDown();
        });
        await(done, operation + " returned on the event loop instead of deadlocking");

        assertThat(thrown.get()).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining(operation)
                .hasMessageContaining(threadName.get())
                .hasNoCause();
        CountDownLatch stillRunning = new CountDownLatch(1);
        eventLoop.execute(stillRunning::countDown);
        await(stillRunning, "the event loop runs further tasks");
    }

    // ---- late values -------------------------------------------------------------------------------------

    @Test
    void ofHandsAValueThatArrivesAfterTheTimeoutToTheDiscardHook() {
        AtomicReference<MonoSink<String>> sink = new AtomicReference<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicReference<String> discarded = new AtomicReference<>();
        Mono<String> late = Mono.<String>create(s -> {
            sink.set(s);
            s.onCancel(cancelled::countDown);
        }).doOnDiscard(String.class, discarded::set);

        assertThatThrownBy(() -> inTasklet(() -> Await.of(late, SHORT)))
                .isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.of");
        assertThat(cancelled.getCount()).as("cancel hook ran").isZero();

        sink.get().success("pooled connection");

        assertThat(discarded.get()).isEqualTo("pooled connection");
    }

    @Test
    void ofHandsAValueInFlightWhenTheWaitGaveUpToTheDiscardHook() {
        // A source that had already started emitting when the cancellation reached it: Reactive Streams
        // (rule 1.8) allows signals after cancel, and the bridge promises not to lose the value.
        AtomicReference<Subscriber<? super String>> subscriber = new AtomicReference<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicReference<String> discarded = new AtomicReference<>();
        Mono<String> racing = Mono.<String>fromDirect(s -> {
            subscriber.set(s);
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                    cancelled.countDown();
                }
            });
        }).doOnDiscard(String.class, discarded::set);

        assertThatThrownBy(() -> inTasklet(() -> Await.of(racing, SHORT)))
                .isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.of");
        assertThat(cancelled.getCount()).as("cancel hook ran").isZero();

        subscriber.get().onNext("in-flight buffer");

        assertThat(discarded.get()).isEqualTo("in-flight buffer");
    }

    @Test
    void awaitRejectsNullArguments() {
        assertThatThrownBy(() -> Await.of(null)).isInstanceOf(NullPointerException.class).hasMessage("mono");
        assertThatThrownBy(() -> Await.of(Mono.just(1), null))
                .isInstanceOf(NullPointerException.class).hasMessage("timeout");
        assertThatThrownBy(() -> Await.list(null)).isInstanceOf(NullPointerException.class).hasMessage("flux");
    }
}
