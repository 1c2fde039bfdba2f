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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import io.concurrence.Channel;
import io.concurrence.ChannelClosedException;
import io.concurrence.ConcurrenceException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;

/**
 * {@link Reactive}: blocking code as a Mono, a channel as a Flux, a Flux as a channel.
 * (Issue 3, "concurrence-reactor" and "Tests".)
 */
@org.junit.jupiter.api.Timeout(60)
class ReactiveTest {

    /**
     * A body that blocks on a rendezvous channel nobody sends to, and records how it ended.
     */
    private static final class BlockedBody implements Callable<String> {
        final Channel<String> channel = new Channel<>();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final AtomicReference<Throwable> exit = new AtomicReference<>();

        @Override
        public String call() {
            started.countDown();
            try {
                return channel.receive();
            } catch (RuntimeException e) {
                exit.set(e);
                throw e;
            } finally {
                finished.countDown();
            }
        }

        void assertKilled() {
            await(finished, "the body finished");
            assertThat(exit.get()).isInstanceOf(TaskletExit.class)
                    .hasMessageContaining("killed")
                    .hasMessageContaining("Channel.receive");
            awaitUntil("the killed receiver left the channel", () -> channel.balance() == 0);
        }
    }

    // ---- Reactive.mono -----------------------------------------------------------------------------------

    @Test
    void monoRunsTheBodyInANewTaskletAndEmitsItsValue() {
        List<Tasklet<?>> callerAndBody = inTasklet(() -> {
            Tasklet<?> body = Await.of(Reactive.mono(() -> Tasklet.current()));
            return List.of(Tasklet.current(), body);
        });

        assertThat(callerAndBody.get(1)).isNotNull().isNotSameAs(callerAndBody.get(0));
        StepVerifier.create(Reactive.mono(() -> Tasklet.findCurrent().map(Tasklet::name)))
                .expectNextMatches(Optional::isPresent)
                .verifyComplete();
    }

    @Test
    void monoCompletesEmptyWhenTheBodyReturnsNull() {
        StepVerifier.create(Reactive.mono(() -> null)).expectComplete().verify(SAFETY);
    }

    @Test
    void monoFailsWithTheSameUncheckedExceptionTheBodyThrows() {
        IllegalStateException boom = new IllegalStateException("boom");

        StepVerifier.create(Reactive.mono(() -> {
                    throw boom;
                }))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom).hasNoCause())
                .verify(SAFETY);
    }

    @Test
    void monoFailsWithTheSameCheckedExceptionTheBodyThrows() {
        IOException io = new IOException("disk on fire");

        StepVerifier.create(Reactive.mono(() -> {
                    throw io;
                }))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(io).hasNoCause())
                .verify(SAFETY);
    }

    @Test
    void disposingTheSubscriptionKillsTheTaskletBlockedInTheBody() {
        BlockedBody body = new BlockedBody();
        AtomicBoolean signalled = new AtomicBoolean();

        Disposable subscription = Reactive.mono(body).subscribe(v -> signalled.set(true), e -> signalled.set(true));
        await(body.started, "the body started");
        subscription.dispose();

        body.assertKilled();
        assertThat(signalled).as("a cancelled Mono signals nothing").isFalse();
    }

    @Test
    void reactorTimeoutOperatorKillsTheTaskletBlockedInTheBody() {
        BlockedBody body = new BlockedBody();

        StepVerifier.create(Reactive.mono(body).timeout(SHORT))
                .expectError(java.util.concurrent.TimeoutException.class)
                .verify(SAFETY);

        body.assertKilled();
    }

    @Test
    void awaitTimingOutOnTheMonoKillsTheTaskletRunningTheBody() {
        BlockedBody body = new BlockedBody();

        assertThatThrownBy(() -> inTasklet(() -> Await.of(Reactive.mono(body), SHORT)))
                .isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Await.of");

        body.assertKilled();
    }

    @Test
    void monoWithRunnableCompletesEmptyAfterRunningTheBody() {
        AtomicBoolean ran = new AtomicBoolean();

        StepVerifier.create(Reactive.mono(() -> ran.set(true))).expectComplete().verify(SAFETY);

        assertThat(ran).isTrue();
    }

    @Test
    void monoWithRunnableFailsWithTheExceptionTheBodyThrows() {
        IllegalArgumentException boom = new IllegalArgumentException("bad");
        Runnable failing = () -> {
            throw boom;
        };

        StepVerifier.create(Reactive.mono(failing))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                .verify(SAFETY);
    }

    @Test
    void eachSubscriptionToTheMonoRunsTheBodyAgain() {
        AtomicInteger runs = new AtomicInteger();
        Mono<Integer> cold = Reactive.mono(runs::incrementAndGet);

        assertThat(runs).as("nothing runs before a subscription").hasValue(0);
        StepVerifier.create(cold).expectNext(1).verifyComplete();
        StepVerifier.create(cold).expectNext(2).verifyComplete();
        assertThat(runs).hasValue(2);
    }

    // ---- Reactive.flux -----------------------------------------------------------------------------------

    @Test
    void fluxEmitsTheChannelValuesInOrderAndCompletesWhenTheChannelIsClosed() {
        Channel<Integer> channel = new Channel<>();
        List<Integer> expected = IntStream.rangeClosed(1, 200).boxed().toList();
        Tasklet.spawn(() -> {
            expected.forEach(channel::send);
            channel.close();
        });

        StepVerifier.create(Reactive.flux(channel))
                .expectNextSequence(expected)
                .expectComplete()
                .verify(SAFETY);
    }

    @Test
    void fluxFailsWithTheExceptionASenderSentAfterTheValuesBeforeIt() {
        Channel<Integer> channel = Channel.buffered(4);
        IllegalStateException boom = new IllegalStateException("sent");
        Tasklet.spawn(() -> {
            channel.send(1);
            channel.send(2);
            channel.sendException(boom);
        });

        StepVerifier.create(Reactive.flux(channel))
                .expectNext(1, 2)
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom).hasMessage("sent"))
                .verify(SAFETY);
    }

    @Test
    void fluxTakesNoMoreFromABufferedChannelThanTheSubscriberRequested() {
        Channel<Integer> channel = Channel.buffered(10);
        IntStream.rangeClosed(1, 10).forEach(channel::send);

        StepVerifier.create(Reactive.flux(channel), 0)
                .expectSubscription()
                .expectNoEvent(SHORT)
                .then(() -> assertThat(channel.size()).as("values left without demand").isEqualTo(10))
                .thenRequest(3)
                .expectNext(1, 2, 3)
                .expectNoEvent(SHORT)
                .then(() -> assertThat(channel.size()).as("values left in the channel").isEqualTo(7))
                .thenRequest(7)
                .expectNext(4, 5, 6, 7, 8, 9, 10)
                .then(channel::close)
                .thenRequest(1)
                .expectComplete()
                .verify(SAFETY);
    }

    @Test
    void fluxCompletesWhenTheChannelIsClosedAndDrainedEvenWithoutOutstandingDemand() {
        // Reactive Streams lets a publisher complete without demand, and Reactive.flux documents that it
        // "completes when the channel is closed and drained": a subscriber that requested exactly the
        // values sent must still see the end.
        Channel<Integer> channel = Channel.buffered(2);
        channel.send(1);
        channel.send(2);
        channel.close();

        StepVerifier.create(Reactive.flux(channel), 2)
                .expectNext(1, 2)
                .expectComplete()
                .verify(SAFETY);
    }

    @Test
    void fluxLeavesSendersBlockedOnARendezvousChannelWhileThereIsNoDemand() {
        Channel<Integer> channel = new Channel<>();
        AtomicInteger sent = new AtomicInteger();
        Tasklet<Void> sender = Tasklet.spawn(() -> {
            for (int i = 1; i <= 10; i++) {
                channel.send(i);
                sent.incrementAndGet();
            }
            channel.close();
        });

        StepVerifier.create(Reactive.flux(channel), 0)
                .expectSubscription()
                .thenRequest(3)
                .expectNext(1, 2, 3)
                .then(() -> awaitUntil("the sender waits with the 4th value", () -> channel.balance() == 1))
                .expectNoEvent(SHORT)
                .then(() -> {
                    assertThat(sent).as("values taken from the sender").hasValue(3);
                    assertThat(channel.balance()).as("the sender still waits").isEqualTo(1);
                    assertThat(sender.isDone()).isFalse();
                })
                .thenRequest(Long.MAX_VALUE)
                .expectNext(4, 5, 6, 7, 8, 9, 10)
                .expectComplete()
                .verify(SAFETY);
        assertThat(sender.join(SAFETY)).isNull();
    }

    @Test
    void cancellingTheFluxStopsTheTaskletReceivingFromTheChannel() {
        Channel<Integer> channel = new Channel<>();
        List<Integer> received = new CopyOnWriteArrayList<>();
        Disposable subscription = Reactive.flux(channel).subscribe(received::add);
        awaitUntil("the flux tasklet waits to receive", () -> channel.balance() == -1);

        subscription.dispose();

        awaitUntil("the flux tasklet left the channel", () -> channel.balance() == 0);
        assertThatThrownBy(() -> channel.send(1, SHORT))
                .as("a send finds no receiver")
                .isExactlyInstanceOf(TimeoutException.class)
                .hasMessageContaining("Channel.send");
        assertThat(received).isEmpty();
    }

    // ---- Reactive.channel --------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 1000})
    void channelDeliversAllValuesInOrderThenCloses(int capacity) {
        List<Integer> expected = IntStream.rangeClosed(1, 300).boxed().toList();
        Channel<Integer> channel = Reactive.channel(Flux.range(1, 300), capacity);

        List<Integer> received = inTasklet(() -> {
            List<Integer> values = new ArrayList<>();
            for (Integer value : channel) {
                values.add(value);
            }
            return values;
        });

        assertThat(received).containsExactlyElementsOf(expected);
        assertThat(channel.isClosed()).isTrue();
        assertThat(channel.capacity()).isEqualTo(capacity);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4})
    void channelThrowsTheFluxErrorFromReceiveAfterTheEarlierValues(int capacity) {
        IllegalStateException boom = new IllegalStateException("upstream failed");
        Channel<Integer> channel = Reactive.channel(Flux.concat(Flux.just(1, 2), Flux.error(boom)), capacity);

        inTasklet(() -> {
            assertThat(channel.receive(SAFETY)).isEqualTo(1);
            assertThat(channel.receive(SAFETY)).isEqualTo(2);
            assertThat(catchThrowable(() -> channel.receive(SAFETY))).isSameAs(boom).hasNoCause();
            assertThatThrownBy(() -> channel.receive(SAFETY)).isInstanceOf(ChannelClosedException.class);
            return null;
        });
    }

    @Test
    void channelWrapsACheckedFluxErrorInConcurrenceException() {
        IOException io = new IOException("reset");
        Channel<Integer> channel = Reactive.channel(Flux.concat(Flux.just(1), Flux.error(io)), 2);

        inTasklet(() -> {
            assertThat(channel.receive(SAFETY)).isEqualTo(1);
            assertThat(catchThrowable(() -> channel.receive(SAFETY)))
                    .isExactlyInstanceOf(ConcurrenceException.class)
                    .cause().isSameAs(io);
            return null;
        });
    }

    @Test
    void channelKeepsUpstreamDemandBoundedWhileNobodyReceives() {
        int capacity = 8;
        int prefetch = Math.min(capacity, Await.DEFAULT_PREFETCH);
        AtomicLong requested = new AtomicLong();
        CountDownLatch cancelled = new CountDownLatch(1);
        Channel<Integer> channel = Reactive.channel(Flux.range(1, 1_000_000)
                .doOnRequest(requested::addAndGet)
                .doOnCancel(cancelled::countDown), capacity);

        awaitUntil("the channel is full and its feeder blocked",
                () -> channel.size() == capacity && channel.balance() == 1);

        assertThat(requested.get()).as("upstream demand").isLessThanOrEqualTo(capacity + prefetch);
        assertThat(cancelled.getCount()).as("not cancelled while open").isOne();
        channel.close();
        await(cancelled, "closing the channel cancelled the Flux");
    }

    @Test
    void closingTheChannelCancelsAnIdleUpstream() {
        CountDownLatch subscribed = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Channel<Integer> channel = Reactive.channel(Flux.<Integer>never()
                .doOnSubscribe(s -> subscribed.countDown())
                .doOnCancel(cancelled::countDown), 4);
        await(subscribed, "the channel's feeder subscribed");

        channel.close();

        await(cancelled, "closing the channel cancelled the Flux");
    }

    @Test
    void channelWithCapacityZeroIsARendezvousChannel() {
        Channel<String> channel = Reactive.channel(Flux.just("a", "b"), 0);

        awaitUntil("the feeder waits for a receiver", () -> channel.balance() == 1);
        assertThat(channel.capacity()).isZero();
        assertThat(channel.size()).isZero();
        assertThat(inTasklet(() -> List.of(channel.receive(SAFETY), channel.receive(SAFETY))))
                .containsExactly("a", "b");
    }

    @Test
    void channelWithNegativeCapacityThrowsIllegalArgumentException() {
        AtomicBoolean subscribed = new AtomicBoolean();

        assertThatThrownBy(() -> Reactive.channel(Flux.just(1).doOnSubscribe(s -> subscribed.set(true)), -1))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity")
                .hasMessageContaining("-1")
                .hasNoCause();
        assertThat(subscribed).isFalse();
    }
}
