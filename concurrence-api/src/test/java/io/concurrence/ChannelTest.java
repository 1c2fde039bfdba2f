package io.concurrence;

import static io.concurrence.ChannelTestSupport.PROMPT;
import static io.concurrence.ChannelTestSupport.SAFETY;
import static io.concurrence.ChannelTestSupport.SHORT;
import static io.concurrence.ChannelTestSupport.awaitBalance;
import static io.concurrence.ChannelTestSupport.jitter;
import static io.concurrence.ChannelTestSupport.joinWithin;
import static io.concurrence.ChannelTestSupport.killAndAssertExit;
import static io.concurrence.ChannelTestSupport.since;
import static io.concurrence.ChannelTestSupport.tiny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.concurrence.TaskletTestSupport.Caller;

@org.junit.jupiter.api.Timeout(60)
class ChannelTest {

    /** The channels of the timeout race: a rendezvous one, and a buffer that is often full. */
    static Stream<Arguments> raceKinds() {
        return Stream.of(
                Arguments.of("rendezvous", (Supplier<Channel<Integer>>) Channel::new),
                Arguments.of("buffered(1)", (Supplier<Channel<Integer>>) () -> Channel.buffered(1)));
    }

    /** Durations that mean "do not wait". */
    static Stream<Duration> noWait() {
        return Stream.of(Duration.ZERO, Duration.ofMillis(-1));
    }

    /** A rendezvous and a buffered channel, for behaviour both must share. */
    static Stream<Arguments> channelKinds() {
        return Stream.of(
                Arguments.of("rendezvous", (Supplier<Channel<Integer>>) Channel::new),
                Arguments.of("buffered(16)", (Supplier<Channel<Integer>>) () -> Channel.buffered(16)));
    }

    @Nested
    class Rendezvous {

        @Test
        void sendBlocksUntilAReceiverTakesTheValue() {
            Channel<String> channel = new Channel<>();
            Tasklet<Void> sender = Tasklet.spawn(() -> channel.send("hello"));

            awaitBalance(channel, 1);
            assertThat(sender.isDone()).isFalse();

            assertThat(channel.receive(SAFETY)).isEqualTo("hello");
            joinWithin(sender);
            assertThat(channel.balance()).isZero();
        }

        @Test
        void receiveBlocksUntilASenderOffersAValue() {
            Channel<String> channel = new Channel<>();
            Tasklet<String> receiver = Tasklet.spawn(() -> channel.receive());

            awaitBalance(channel, -1);
            assertThat(receiver.isDone()).isFalse();

            channel.send("world", SAFETY);
            assertThat(joinWithin(receiver)).isEqualTo("world");
            assertThat(channel.balance()).isZero();
        }

        @Test
        void rendezvousChannelHasCapacityZeroAndBuffersNothing() {
            Channel<String> channel = new Channel<>();

            assertThat(channel.capacity()).isZero();
            assertThat(channel.offer("nobody listens")).isFalse();
            assertThat(channel.size()).isZero();
            assertThat(channel.poll()).isEmpty();
        }

        @Test
        void balanceCountsWaitingSendersPositively() {
            Channel<Integer> channel = new Channel<>();
            Tasklet<Void> first = Tasklet.spawn(() -> channel.send(1));
            awaitBalance(channel, 1);
            Tasklet<Void> second = Tasklet.spawn(() -> channel.send(2));
            awaitBalance(channel, 2);

            assertThat(channel.hasSender()).isTrue();
            assertThat(channel.hasReceiver()).isFalse();

            assertThat(channel.receive(SAFETY)).isEqualTo(1);
            assertThat(channel.balance()).isEqualTo(1);
            assertThat(channel.receive(SAFETY)).isEqualTo(2);
            assertThat(channel.balance()).isZero();
            assertThat(channel.hasSender()).isFalse();
            joinWithin(first);
            joinWithin(second);
        }

        @Test
        void balanceCountsWaitingReceiversNegatively() {
            Channel<Integer> channel = new Channel<>();
            List<Tasklet<Integer>> receivers = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                receivers.add(Tasklet.spawn(() -> channel.receive()));
                awaitBalance(channel, -i);
            }

            assertThat(channel.hasReceiver()).isTrue();
            assertThat(channel.hasSender()).isFalse();

            for (int i = 0; i < 3; i++) {
                channel.send(i, SAFETY);
            }
            assertThat(channel.balance()).isZero();
            assertThat(channel.hasReceiver()).isFalse();
            // waiting receivers are served in arrival order
            assertThat(receivers.stream().map(ChannelTestSupport::joinWithin)).containsExactly(0, 1, 2);
        }
    }

    @Nested
    class Buffered {

        @Test
        void bufferedWithZeroCapacityThrowsIllegalArgumentException() {
            assertThatThrownBy(() -> Channel.buffered(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("capacity must be at least 1, was 0")
                    .hasNoCause();
        }

        @Test
        void bufferedWithNegativeCapacityThrowsIllegalArgumentException() {
            assertThatThrownBy(() -> Channel.buffered(-5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("was -5")
                    .hasNoCause();
        }

        @Test
        void sendDoesNotBlockUntilTheBufferIsFull() {
            Channel<Integer> channel = Channel.buffered(3);

            // A send that had to wait would throw: Duration.ZERO means "only if it can complete at once".
            channel.send(1, Duration.ZERO);
            channel.send(2, Duration.ZERO);
            channel.send(3, Duration.ZERO);

            assertThat(channel.capacity()).isEqualTo(3);
            assertThat(channel.size()).isEqualTo(3);
            assertThat(channel.balance()).isZero();
            assertThatThrownBy(() -> channel.send(4, Duration.ZERO))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.send");
            assertThat(channel.size()).isEqualTo(3);
        }

        @Test
        void bufferedValuesAreReceivedInFifoOrder() {
            Channel<Integer> channel = Channel.buffered(5);
            for (int i = 0; i < 5; i++) {
                channel.send(i);
            }

            List<Integer> received = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                received.add(channel.receive(SAFETY));
            }

            assertThat(received).containsExactly(0, 1, 2, 3, 4);
            assertThat(channel.size()).isZero();
        }

        @Test
        void sendBlocksWhenFullAndCountsInBalance() {
            Channel<String> channel = Channel.buffered(2);
            channel.send("a");
            channel.send("b");
            assertThat(channel.hasSender()).isFalse();

            Tasklet<Void> blocked = Tasklet.spawn(() -> channel.send("c"));
            awaitBalance(channel, 1);

            assertThat(channel.hasSender()).isTrue();
            assertThat(blocked.isDone()).isFalse();
            assertThat(channel.size()).isEqualTo(2);

            assertThat(channel.receive(SAFETY)).isEqualTo("a");
            joinWithin(blocked);
            assertThat(channel.balance()).isZero();
        }

        @Test
        void receiveRefillsTheBufferFromAWaitingSenderKeepingFifoOrder() {
            Channel<Integer> channel = Channel.buffered(2);
            channel.send(1);
            channel.send(2);
            Tasklet<Void> third = Tasklet.spawn(() -> channel.send(3));
            awaitBalance(channel, 1);
            Tasklet<Void> fourth = Tasklet.spawn(() -> channel.send(4));
            awaitBalance(channel, 2);

            assertThat(channel.receive(SAFETY)).isEqualTo(1);
            // the first waiting sender's value moved into the buffer, so it has completed
            joinWithin(third);
            assertThat(channel.size()).isEqualTo(2);
            assertThat(channel.balance()).isEqualTo(1);

            List<Integer> rest = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                rest.add(channel.receive(SAFETY));
            }
            assertThat(rest).containsExactly(2, 3, 4);
            joinWithin(fourth);
            assertThat(channel.balance()).isZero();
            assertThat(channel.size()).isZero();
        }
    }

    @Nested
    class Exceptions {

        @ParameterizedTest
        @EnumSource(Caller.class)
        void sendExceptionMakesReceiveThrowThatExactException(Caller caller) throws Exception {
            Channel<String> channel = new Channel<>();
            IllegalStateException bomb = new IllegalStateException("boom from the sender");
            Tasklet<Void> sender = Tasklet.spawn(() -> channel.sendException(bomb));
            awaitBalance(channel, 1);

            assertThatThrownBy(() -> caller.call(() -> channel.receive(SAFETY))).isSameAs(bomb);
            joinWithin(sender);
            assertThat(channel.balance()).isZero();
        }

        @Test
        void sendExceptionOnABufferedChannelIsThrownInFifoOrder() {
            Channel<String> channel = Channel.buffered(3);
            UnsupportedOperationException bomb = new UnsupportedOperationException("second");
            channel.send("first");
            channel.sendException(bomb);
            channel.send("third");

            assertThat(channel.receive(SAFETY)).isEqualTo("first");
            assertThatThrownBy(() -> channel.receive(SAFETY)).isSameAs(bomb);
            assertThat(channel.poll()).contains("third");
        }

        @Test
        void sendingNullThrowsNullPointerException() {
            Channel<String> channel = Channel.buffered(1);

            assertThatThrownBy(() -> channel.send(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("value");
            assertThatThrownBy(() -> channel.send(null, SAFETY))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("value");
            assertThatThrownBy(() -> channel.offer(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("value");
            assertThatThrownBy(() -> channel.sendException(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("exception");
            assertThat(channel.size()).isZero();
        }
    }

    @Nested
    class Timeouts {

        @ParameterizedTest
        @EnumSource(Caller.class)
        void receiveWithTimeoutThrowsTimeoutExceptionWhenNoSender(Caller caller) {
            Channel<String> channel = new Channel<>();
            long start = System.nanoTime();

            assertThatThrownBy(() -> caller.call(() -> channel.receive(SHORT)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.receive")
                    .hasMessageContaining("100 ms")
                    .hasNoCause();
            assertThat(since(start)).isGreaterThanOrEqualTo(SHORT);
            assertThat(channel.balance()).isZero();
        }

        @ParameterizedTest
        @EnumSource(Caller.class)
        void sendWithTimeoutThrowsTimeoutExceptionWhenNoReceiver(Caller caller) {
            Channel<String> channel = new Channel<>();
            long start = System.nanoTime();

            assertThatThrownBy(() -> caller.run(() -> channel.send("lost?", SHORT)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.send")
                    .hasMessageContaining("100 ms")
                    .hasNoCause();
            assertThat(since(start)).isGreaterThanOrEqualTo(SHORT);
            assertThat(channel.balance()).isZero();
            assertThat(channel.poll()).as("the timed-out value is withdrawn").isEmpty();
        }

        @Test
        void sendWithTimeoutThrowsTimeoutExceptionWhenTheBufferStaysFull() {
            Channel<String> channel = Channel.buffered(1);
            channel.send("kept");

            assertThatThrownBy(() -> channel.send("withdrawn", SHORT))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.send");
            assertThat(channel.balance()).isZero();
            assertThat(channel.receive(SAFETY)).isEqualTo("kept");
            assertThat(channel.poll()).isEmpty();
        }

        @ParameterizedTest
        @MethodSource("io.concurrence.ChannelTest#noWait")
        void receiveWithoutWaitingTakesAValueFromAWaitingSender(Duration noWait) {
            Channel<String> channel = new Channel<>();
            Tasklet<Void> sender = Tasklet.spawn(() -> channel.send("ready"));
            awaitBalance(channel, 1);

            assertThat(channel.receive(noWait)).isEqualTo("ready");
            joinWithin(sender);
        }

        @ParameterizedTest
        @MethodSource("io.concurrence.ChannelTest#noWait")
        void receiveWithoutWaitingTakesABufferedValue(Duration noWait) {
            Channel<String> channel = Channel.buffered(1);
            channel.send("buffered");

            assertThat(channel.receive(noWait)).isEqualTo("buffered");
        }

        @ParameterizedTest
        @MethodSource("io.concurrence.ChannelTest#noWait")
        void receiveWithoutWaitingThrowsTimeoutExceptionAtOnceWhenNothingIsReady(Duration noWait) {
            Channel<String> channel = new Channel<>();
            long start = System.nanoTime();

            assertThatThrownBy(() -> channel.receive(noWait))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.receive")
                    .hasNoCause();
            assertThat(since(start)).isLessThan(PROMPT);
            assertThat(channel.balance()).isZero();
        }

        @ParameterizedTest
        @MethodSource("io.concurrence.ChannelTest#noWait")
        void sendWithoutWaitingHandsTheValueToAWaitingReceiver(Duration noWait) {
            Channel<String> channel = new Channel<>();
            Tasklet<String> receiver = Tasklet.spawn(() -> channel.receive());
            awaitBalance(channel, -1);

            channel.send("at once", noWait);

            assertThat(joinWithin(receiver)).isEqualTo("at once");
        }

        @ParameterizedTest
        @MethodSource("io.concurrence.ChannelTest#noWait")
        void sendWithoutWaitingThrowsTimeoutExceptionAtOnceWhenNobodyReceives(Duration noWait) {
            Channel<String> channel = new Channel<>();
            long start = System.nanoTime();

            assertThatThrownBy(() -> channel.send("nobody", noWait))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.send")
                    .hasNoCause();
            assertThat(since(start)).isLessThan(PROMPT);
            assertThat(channel.balance()).isZero();
            assertThat(channel.poll()).isEmpty();
        }

        @ParameterizedTest
        @EnumSource(Caller.class)
        void ambientTimeoutAppliesToUntimedReceive(Caller caller) {
            Channel<String> channel = new Channel<>();
            long start = System.nanoTime();

            assertThatThrownBy(() -> caller.call(() -> {
                try (Timeout ignored = Timeout.push(SHORT)) {
                    return channel.receive();
                }
            }))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.receive")
                    .hasMessageContaining("ambient Timeout")
                    .hasNoCause();
            assertThat(since(start)).isGreaterThanOrEqualTo(SHORT);
            assertThat(channel.balance()).isZero();
        }

        @Test
        void ambientTimeoutAppliesToUntimedSend() {
            Channel<String> channel = new Channel<>();

            assertThatThrownBy(() -> {
                try (Timeout ignored = Timeout.push(SHORT)) {
                    channel.send("never taken");
                }
            })
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.send")
                    .hasMessageContaining("ambient Timeout");
            assertThat(channel.balance()).isZero();
        }

        @Test
        void shorterAmbientTimeoutWinsOverALongerExplicitTimeout() {
            Channel<String> channel = new Channel<>();
            long start = System.nanoTime();

            assertThatThrownBy(() -> {
                try (Timeout ignored = Timeout.push(SHORT)) {
                    channel.receive(SAFETY);
                }
            })
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.receive")
                    .hasMessageContaining("ambient Timeout (pushed with 100 ms)");
            assertThat(since(start)).isBetween(SHORT, SAFETY);
        }

        @Test
        void shorterExplicitTimeoutWinsOverALongerAmbientTimeout() {
            Channel<String> channel = new Channel<>();
            long start = System.nanoTime();

            assertThatThrownBy(() -> {
                try (Timeout ignored = Timeout.push(SAFETY)) {
                    channel.send("never taken", SHORT);
                }
            })
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.send timed out after 100 ms")
                    .hasMessageNotContaining("ambient");
            assertThat(since(start)).isBetween(SHORT, SAFETY);
        }

        @Test
        void innerAmbientTimeoutNeverExtendsATighterOuterOne() {
            Channel<String> channel = new Channel<>();
            long start = System.nanoTime();

            assertThatThrownBy(() -> {
                try (Timeout outer = Timeout.push(SHORT); Timeout inner = Timeout.push(SAFETY.multipliedBy(3))) {
                    channel.receive(SAFETY.multipliedBy(3));
                }
            })
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.receive")
                    .hasMessageContaining("ambient Timeout");
            assertThat(since(start)).isBetween(SHORT, SAFETY);
        }

        @Test
        void expiredAmbientTimeoutMakesAnUntimedReceiveFailAtOnce() {
            Channel<String> channel = new Channel<>();

            assertThatThrownBy(() -> {
                try (Timeout ignored = Timeout.push(Duration.ZERO)) {
                    channel.receive();
                }
            })
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("ambient Timeout");
            assertThat(channel.balance()).isZero();
        }

        @Test
        void ambientTimeoutDoesNotPreventAnImmediateReceive() {
            Channel<String> channel = Channel.buffered(1);
            channel.send("ready");

            try (Timeout ignored = Timeout.push(Duration.ZERO)) {
                assertThat(channel.receive()).isEqualTo("ready");
            }
        }
    }

    @Nested
    class Kill {

        @Test
        void killWhileBlockedInSendWithdrawsTheValueAndRestoresTheBalance() {
            Channel<String> channel = new Channel<>();
            Tasklet<Void> sender = Tasklet.spawn(() -> channel.send("stale"));
            awaitBalance(channel, 1);

            killAndAssertExit(sender, "Channel.send");

            assertThat(channel.balance()).isZero();
            assertThat(channel.poll()).as("the killed sender's value is withdrawn").isEmpty();
            Tasklet<Void> fresh = Tasklet.spawn(() -> channel.send("fresh"));
            assertThat(channel.receive(SAFETY)).isEqualTo("fresh");
            joinWithin(fresh);
            assertThat(channel.balance()).isZero();
        }

        @Test
        void killWhileBlockedInSendOnAFullBufferWithdrawsTheValue() {
            Channel<String> channel = Channel.buffered(1);
            channel.send("kept");
            Tasklet<Void> sender = Tasklet.spawn(() -> channel.send("stale"));
            awaitBalance(channel, 1);

            killAndAssertExit(sender, "Channel.send");

            assertThat(channel.balance()).isZero();
            assertThat(channel.receive(SAFETY)).isEqualTo("kept");
            assertThat(channel.poll()).as("the killed sender's value is withdrawn").isEmpty();
            assertThat(channel.size()).isZero();
        }

        @Test
        void killWhileBlockedInReceiveRestoresTheBalanceAndLosesNoValue() {
            Channel<String> channel = new Channel<>();
            Tasklet<String> receiver = Tasklet.spawn(() -> channel.receive());
            awaitBalance(channel, -1);

            killAndAssertExit(receiver, "Channel.receive");

            assertThat(channel.balance()).isZero();
            assertThat(channel.offer("nobody waits")).as("no receiver is left behind").isFalse();
            Tasklet<String> fresh = Tasklet.spawn(() -> channel.receive());
            awaitBalance(channel, -1);
            channel.send("for the fresh receiver", SAFETY);
            assertThat(joinWithin(fresh)).isEqualTo("for the fresh receiver");
            assertThat(channel.balance()).isZero();
        }

        @Test
        void interruptOfAPlatformThreadBlockedInReceiveThrowsTaskletExitAndKeepsTheInterruptFlag()
                throws InterruptedException {
            Channel<String> channel = new Channel<>();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagAfterwards = new AtomicBoolean();
            Thread platform = Thread.ofPlatform().name("blocked-receiver").start(() -> {
                try {
                    channel.receive();
                } catch (RuntimeException e) {
                    thrown.set(e);
                    flagAfterwards.set(Thread.currentThread().isInterrupted());
                }
            });
            awaitBalance(channel, -1);

            platform.interrupt();

            assertThat(platform.join(SAFETY)).isTrue();
            assertThat(thrown.get())
                    .isInstanceOf(TaskletExit.class)
                    .hasMessageContaining("blocked-receiver")
                    .hasMessageContaining("Channel.receive");
            assertThat(flagAfterwards).isTrue();
            assertThat(channel.balance()).isZero();
        }

        @Test
        void killRacingWithASendNeverLosesOrDuplicatesAValue() {
            int rounds = 2_000;
            int killed = 0;
            for (int i = 0; i < rounds; i++) {
                Channel<Integer> channel = new Channel<>();
                Tasklet<Integer> receiver = Tasklet.spawn(() -> channel.receive());
                awaitBalance(channel, -1);

                // kill is asynchronous: the send below races with the receiver withdrawing
                receiver.kill();
                jitter();
                boolean sent = sendWithin(channel, i);

                Integer received;
                try {
                    received = receiver.join(SAFETY);
                } catch (JoinException e) {
                    assertThat(e).cause().isInstanceOf(TaskletExit.class);
                    received = null;
                    killed++;
                }
                assertThat(received).as("round %d: the send returned normally iff the value was received", i)
                        .isEqualTo(sent ? Integer.valueOf(i) : null);
                assertThat(channel.balance()).isZero();
            }
            assertThat(killed).as("some kills win the race, else the test proves little").isPositive();
        }

        /** Sends with a tiny timeout; returns whether the value was taken. */
        private static boolean sendWithin(Channel<Integer> channel, int value) {
            try {
                channel.send(value, tiny());
                return true;
            } catch (TimeoutException withdrawn) {
                return false;
            }
        }

        @Test
        void killOfOneOfSeveralWaitingSendersKeepsTheOthersInOrder() {
            Channel<Integer> channel = new Channel<>();
            Tasklet<Void> first = Tasklet.spawn(() -> channel.send(1));
            awaitBalance(channel, 1);
            Tasklet<Void> middle = Tasklet.spawn(() -> channel.send(2));
            awaitBalance(channel, 2);
            Tasklet<Void> last = Tasklet.spawn(() -> channel.send(3));
            awaitBalance(channel, 3);

            killAndAssertExit(middle, "Channel.send");

            assertThat(channel.balance()).isEqualTo(2);
            assertThat(channel.receive(SAFETY)).isEqualTo(1);
            assertThat(channel.receive(SAFETY)).isEqualTo(3);
            joinWithin(first);
            joinWithin(last);
            assertThat(channel.balance()).isZero();
        }
    }

    @Nested
    class Close {

        @Test
        void closeWakesBlockedReceiversWithChannelClosedException() {
            Channel<String> channel = new Channel<>();
            Tasklet<String> first = Tasklet.spawn(() -> channel.receive());
            Tasklet<String> second = Tasklet.spawn(() -> channel.receive(SAFETY.multipliedBy(3)));
            awaitBalance(channel, -2);

            channel.close();

            for (Tasklet<String> receiver : List.of(first, second)) {
                assertThatThrownBy(() -> receiver.join(SAFETY))
                        .isInstanceOf(JoinException.class)
                        .cause()
                        .isInstanceOf(ChannelClosedException.class)
                        .hasMessageContaining("Channel.receive on a closed channel");
            }
            assertThat(channel.balance()).isZero();
        }

        @Test
        void closeWakesBlockedSendersWithChannelClosedException() {
            Channel<String> channel = new Channel<>();
            Tasklet<Void> sender = Tasklet.spawn(() -> channel.send("never taken"));
            awaitBalance(channel, 1);

            channel.close();

            assertThatThrownBy(() -> sender.join(SAFETY))
                    .isInstanceOf(JoinException.class)
                    .cause()
                    .isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("Channel.send on a closed channel");
            assertThat(channel.balance()).isZero();
            assertThatThrownBy(() -> channel.receive(SAFETY))
                    .as("the woken sender's value was withdrawn, not buffered")
                    .isInstanceOf(ChannelClosedException.class);
        }

        @Test
        void closeWakesASenderBlockedOnAFullBufferButKeepsTheBufferedValues() {
            Channel<String> channel = Channel.buffered(1);
            channel.send("buffered");
            Tasklet<Void> sender = Tasklet.spawn(() -> channel.send("withdrawn"));
            awaitBalance(channel, 1);

            channel.close();

            assertThatThrownBy(() -> sender.join(SAFETY))
                    .isInstanceOf(JoinException.class)
                    .cause()
                    .isInstanceOf(ChannelClosedException.class);
            assertThat(channel.receive(SAFETY)).isEqualTo("buffered");
            assertThatThrownBy(() -> channel.receive(SAFETY))
                    .isInstanceOf(ChannelClosedException.class);
        }

        @Test
        void sendAfterCloseThrowsChannelClosedException() {
            Channel<String> channel = Channel.buffered(4);
            channel.close();

            assertThatThrownBy(() -> channel.send("late"))
                    .isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("Channel.send on a closed channel")
                    .hasNoCause();
            assertThatThrownBy(() -> channel.send("late", Duration.ZERO))
                    .isInstanceOf(ChannelClosedException.class);
            assertThatThrownBy(() -> channel.sendException(new IllegalStateException("late")))
                    .isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("Channel.sendException");
            assertThatThrownBy(() -> channel.offer("late"))
                    .isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("Channel.offer");
            assertThat(channel.size()).isZero();
        }

        @Test
        void receiveAfterCloseDrainsBufferedValuesThenThrows() {
            Channel<Integer> channel = Channel.buffered(3);
            channel.send(1);
            channel.send(2);
            channel.close();

            assertThat(channel.receive()).isEqualTo(1);
            assertThat(channel.receive(Duration.ZERO)).isEqualTo(2);
            assertThatThrownBy(() -> channel.receive())
                    .isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("Channel.receive on a closed channel")
                    .hasNoCause();
            assertThatThrownBy(() -> channel.receive(SAFETY))
                    .as("a closed, drained channel fails at once rather than timing out")
                    .isInstanceOf(ChannelClosedException.class);
            assertThat(channel.poll()).isEmpty();
        }

        @Test
        void closeIsIdempotent() {
            Channel<String> channel = Channel.buffered(1);
            channel.send("kept");
            assertThat(channel.isClosed()).isFalse();

            channel.close();
            assertThatCode(channel::close).doesNotThrowAnyException();

            assertThat(channel.isClosed()).isTrue();
            assertThat(channel.receive(SAFETY)).isEqualTo("kept");
        }

        @Test
        void iterationReceivesEveryValueAndEndsAtClose() {
            Channel<Integer> channel = new Channel<>();
            Tasklet<List<Integer>> consumer = Tasklet.spawn(() -> {
                List<Integer> seen = new ArrayList<>();
                for (int value : channel) {
                    seen.add(value);
                }
                return seen;
            });

            for (int i = 0; i < 10; i++) {
                channel.send(i, SAFETY);
            }
            channel.close();

            assertThat(joinWithin(consumer)).containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
        }

        @Test
        void iterationOfABufferedChannelDrainsItAfterClose() {
            Channel<String> channel = Channel.buffered(3);
            channel.send("a");
            channel.send("b");
            channel.close();

            List<String> seen = new ArrayList<>();
            channel.forEach(seen::add);

            assertThat(seen).containsExactly("a", "b");
            assertThat(channel.iterator().hasNext()).isFalse();
        }
    }

    @Nested
    class OfferAndPoll {

        @Test
        void offerHandsTheValueToAWaitingReceiver() {
            Channel<String> channel = new Channel<>();
            Tasklet<String> receiver = Tasklet.spawn(() -> channel.receive());
            awaitBalance(channel, -1);

            assertThat(channel.offer("taken")).isTrue();
            assertThat(joinWithin(receiver)).isEqualTo("taken");
        }

        @Test
        void offerBuffersWhileThereIsRoomAndRefusesWhenFull() {
            Channel<String> channel = Channel.buffered(2);

            assertThat(channel.offer("a")).isTrue();
            assertThat(channel.offer("b")).isTrue();
            assertThat(channel.offer("c")).isFalse();

            assertThat(channel.size()).isEqualTo(2);
            assertThat(channel.balance()).as("offer never waits").isZero();
            assertThat(channel.poll()).contains("a");
            assertThat(channel.poll()).contains("b");
            assertThat(channel.poll()).isEmpty();
        }

        @Test
        void pollTakesTheValueOfAWaitingSender() {
            Channel<String> channel = new Channel<>();
            assertThat(channel.poll()).isEmpty();
            Tasklet<Void> sender = Tasklet.spawn(() -> channel.send("polled"));
            awaitBalance(channel, 1);

            assertThat(channel.poll()).contains("polled");
            joinWithin(sender);
            assertThat(channel.poll()).isEmpty();
        }

        @Test
        void pollThrowsTheExceptionOfSendException() {
            Channel<String> channel = Channel.buffered(1);
            IllegalArgumentException bomb = new IllegalArgumentException("polled bomb");
            channel.sendException(bomb);

            assertThatThrownBy(channel::poll).isSameAs(bomb);
            assertThat(channel.size()).isZero();
        }
    }

    @Nested
    class Concurrency {

        private static final int SENDERS = 50;
        private static final int VALUES_PER_SENDER = 1000;
        private static final int RECEIVERS = 25;
        private static final int RACE_ATTEMPTS = 20_000;

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.concurrence.ChannelTest#channelKinds")
        void manyConcurrentSendersAndReceiversDeliverEveryValueExactlyOnce(String kind,
                                                                         Supplier<Channel<Integer>> factory) {
            Channel<Integer> channel = factory.get();
            int total = SENDERS * VALUES_PER_SENDER;
            List<Tasklet<List<Integer>>> receivers = new ArrayList<>();
            for (int r = 0; r < RECEIVERS; r++) {
                receivers.add(Tasklet.spawn(() -> {
                    List<Integer> got = new ArrayList<>(total / RECEIVERS);
                    for (int i = 0; i < total / RECEIVERS; i++) {
                        got.add(channel.receive(SAFETY));
                    }
                    return got;
                }));
            }
            List<Tasklet<Void>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int base = s * VALUES_PER_SENDER;
                senders.add(Tasklet.spawn(() -> {
                    for (int i = 0; i < VALUES_PER_SENDER; i++) {
                        channel.send(base + i, SAFETY);
                    }
                }));
            }

            List<Integer> all = new ArrayList<>(total);
            for (Tasklet<List<Integer>> receiver : receivers) {
                List<Integer> got = joinWithin(receiver);
                assertInSenderOrder(got);
                all.addAll(got);
            }
            senders.forEach(ChannelTestSupport::joinWithin);

            Collections.sort(all);
            assertThat(all).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
            assertThat(channel.balance()).isZero();
            assertThat(channel.poll()).isEmpty();
        }

        /** Values from one sender reach any one receiver in the order they were sent. */
        private void assertInSenderOrder(List<Integer> received) {
            int[] last = new int[SENDERS];
            Arrays.fill(last, -1);
            for (int value : received) {
                int sender = value / VALUES_PER_SENDER;
                assertThat(value).as("order of sender %d's values", sender).isGreaterThan(last[sender]);
                last[sender] = value;
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.concurrence.ChannelTest#raceKinds")
        void receiveTimingOutConcurrentlyWithSendNeverLosesAValue(String kind, Supplier<Channel<Integer>> factory) {
            Channel<Integer> channel = factory.get();
            AtomicBoolean senderDone = new AtomicBoolean();
            // One sender and one receiver, both with timeouts of the order of the time between their arrivals,
            // so that many waits end just as the partner arrives. FIFO: what is received is, in order, exactly
            // what was sent successfully; a send that timed out must never be received.
            Tasklet<List<Integer>> sender = Tasklet.spawn(() -> {
                List<Integer> delivered = new ArrayList<>();
                for (int i = 0; i < RACE_ATTEMPTS; i++) {
                    jitter();
                    try {
                        channel.send(i, tiny());
                        delivered.add(i);
                    } catch (TimeoutException withdrawn) {
                        // withdrawn: must never be received
                    }
                }
                return delivered;
            });
            Tasklet<List<Integer>> receiver = Tasklet.spawn(() -> {
                List<Integer> received = new ArrayList<>();
                for (;;) {
                    jitter();
                    try {
                        received.add(channel.receive(tiny()));
                    } catch (TimeoutException nothingYet) {
                        if (senderDone.get()) {
                            // every send has completed: drain what a buffer may still hold
                            for (Optional<Integer> left; (left = channel.poll()).isPresent(); ) {
                                received.add(left.get());
                            }
                            return received;
                        }
                    }
                }
            });

            List<Integer> delivered = joinWithin(sender);
            senderDone.set(true);
            List<Integer> received = joinWithin(receiver);

            assertThat(delivered).as("some sends succeed, else the test proves nothing").isNotEmpty();
            assertThat(received).containsExactlyElementsOf(delivered);
            assertThat(channel.balance()).isZero();
        }
    }
}
