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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.concurrence.TaskletTestSupport.Caller;

@org.junit.jupiter.api.Timeout(60)
class SelectTest {

    @ParameterizedTest
    @EnumSource(Caller.class)
    void receiveReturnsTheChannelThatHasAValueAndTheValue(Caller caller) throws Exception {
        Channel<String> empty = new Channel<>();
        Channel<String> ready = Channel.buffered(1);
        ready.send("ready value");

        Select.Received<?> got = caller.call(() -> Select.receive(SAFETY, empty, ready));

        assertThat(got.channel()).isSameAs(ready);
        assertThat(got.value()).isEqualTo("ready value");
        assertThat(ready.size()).isZero();
        assertThat(empty.balance()).as("the select withdrew from the other channel").isZero();
    }

    @Test
    void receiveTakesTheValueOfASenderWaitingOnARendezvousChannel() {
        Channel<String> quiet = new Channel<>();
        Channel<String> busy = new Channel<>();
        Tasklet<Void> sender = Tasklet.spawn(() -> busy.send("offered"));
        awaitBalance(busy, 1);

        Select.Received<?> got = Select.receive(SAFETY, quiet, busy);

        assertThat(got).isEqualTo(new Select.Received<>(busy, "offered"));
        joinWithin(sender);
        assertThat(busy.balance()).isZero();
        assertThat(quiet.balance()).isZero();
    }

    @Test
    void receiveWaitsWhenNoChannelIsReadyAndWakesOnTheFirstSend() {
        Channel<String> a = new Channel<>();
        Channel<String> b = new Channel<>();
        Tasklet<Select.Received<?>> selector = Tasklet.spawn(() -> Select.receive(SAFETY, a, b));
        awaitBalance(a, -1);
        awaitBalance(b, -1);
        assertThat(selector.isDone()).isFalse();

        b.send("first", SAFETY);

        Select.Received<?> got = joinWithin(selector);
        assertThat(got.channel()).isSameAs(b);
        assertThat(got.value()).isEqualTo("first");
        assertThat(a.balance()).as("the select withdrew from the channel that did not fire").isZero();
        assertThat(b.balance()).isZero();
    }

    @Test
    void receiveTakesOnlyOneValueWhenSeveralChannelsAreReady() {
        Channel<String> a = Channel.buffered(1);
        Channel<String> b = Channel.buffered(1);
        a.send("from a");
        b.send("from b");

        Select.Received<?> got = Select.receive(SAFETY, a, b);

        Channel<?> other = got.channel() == a ? b : a;
        assertThat(got.channel().size()).isZero();
        assertThat(other.size()).as("the other channel keeps its value").isEqualTo(1);
        assertThat(List.of(got.value(), other.receive(SAFETY))).containsExactlyInAnyOrder("from a", "from b");
    }

    @Test
    void receiveTakesOnlyOneValueWhenSeveralSendersArriveAtOnce() {
        Channel<String> a = new Channel<>();
        Channel<String> b = new Channel<>();
        Tasklet<Select.Received<?>> selector = Tasklet.spawn(() -> Select.receive(SAFETY, a, b));
        awaitBalance(a, -1);
        awaitBalance(b, -1);

        Tasklet<Void> senderA = Tasklet.spawn(() -> a.send("from a"));
        Tasklet<Void> senderB = Tasklet.spawn(() -> b.send("from b"));

        Select.Received<?> got = joinWithin(selector);
        Channel<String> other = got.channel() == a ? b : a;
        // the sender that lost the race is still waiting with its value
        awaitBalance(other, 1);
        assertThat(got.channel().balance()).isZero();
        String otherValue = other.receive(SAFETY);
        assertThat(List.of(got.value(), otherValue)).containsExactlyInAnyOrder("from a", "from b");
        joinWithin(senderA);
        joinWithin(senderB);
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void receiveThrowsTimeoutExceptionWhenNothingArrives(Caller caller) {
        Channel<String> a = new Channel<>();
        Channel<String> b = Channel.buffered(2);
        long start = System.nanoTime();

        assertThatThrownBy(() -> caller.call(() -> Select.receive(SHORT, a, b)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Select.receive")
                .hasMessageContaining("100 ms")
                .hasNoCause();
        assertThat(since(start)).isGreaterThanOrEqualTo(SHORT);
        assertThat(a.balance()).isZero();
        assertThat(b.balance()).isZero();
    }

    @Test
    void receiveWithZeroTimeoutThrowsAtOnceWhenNothingIsReady() {
        Channel<String> a = new Channel<>();
        Channel<String> b = new Channel<>();
        long start = System.nanoTime();

        assertThatThrownBy(() -> Select.receive(Duration.ZERO, a, b))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Select.receive")
                .hasNoCause();
        assertThat(since(start)).isLessThan(PROMPT);
        assertThat(a.balance()).isZero();
        assertThat(b.balance()).isZero();
    }

    @Test
    void receiveWithZeroTimeoutTakesAValueThatIsReady() {
        Channel<String> a = new Channel<>();
        Channel<String> b = Channel.buffered(1);
        b.send("ready");

        Select.Received<?> got = Select.receive(Duration.ZERO, a, b);

        assertThat(got.channel()).isSameAs(b);
        assertThat(got.value()).isEqualTo("ready");
    }

    @Test
    void receiveHonoursTheAmbientTimeout() {
        Channel<String> a = new Channel<>();

        assertThatThrownBy(() -> {
            try (Timeout ignored = Timeout.push(SHORT)) {
                Select.receive(SAFETY, a);
            }
        })
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Select.receive")
                .hasMessageContaining("ambient Timeout");
        assertThat(a.balance()).isZero();
    }

    @Test
    void receiveSkipsAClosedAndDrainedChannel() {
        Channel<String> closed = new Channel<>();
        closed.close();
        Channel<String> open = Channel.buffered(1);
        open.send("still open");

        Select.Received<?> got = Select.receive(SAFETY, closed, open);

        assertThat(got.channel()).isSameAs(open);
        assertThat(got.value()).isEqualTo("still open");
    }

    @Test
    void receiveDrainsAClosedChannelThatStillHoldsValues() {
        Channel<String> closing = Channel.buffered(2);
        closing.send("left over");
        closing.close();
        Channel<String> quiet = new Channel<>();

        Select.Received<?> got = Select.receive(SAFETY, closing, quiet);

        assertThat(got.channel()).isSameAs(closing);
        assertThat(got.value()).isEqualTo("left over");
        assertThat(quiet.balance()).isZero();
    }

    @Test
    void receiveThrowsChannelClosedExceptionWhenEveryChannelIsClosedAndDrained() {
        Channel<String> a = new Channel<>();
        Channel<String> b = Channel.buffered(1);
        a.close();
        b.close();

        assertThatThrownBy(() -> Select.receive(SAFETY, a, b))
                .isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("every channel is closed and drained")
                .hasNoCause();
    }

    @Test
    void receiveContinuesWithTheOtherChannelsWhenOneClosesWhileWaiting() {
        Channel<String> closing = new Channel<>();
        Channel<String> open = new Channel<>();
        Tasklet<Select.Received<?>> selector = Tasklet.spawn(() -> Select.receive(SAFETY, closing, open));
        awaitBalance(closing, -1);
        awaitBalance(open, -1);

        closing.close();

        // The close does not end the select: it goes on waiting on the channel still open.
        assertThat(closing.balance()).isZero();
        open.send("after the close", SAFETY);
        Select.Received<?> got = joinWithin(selector);
        assertThat(got.channel()).isSameAs(open);
        assertThat(got.value()).isEqualTo("after the close");
    }

    @Test
    void receiveThrowsChannelClosedExceptionWhenEveryChannelClosesWhileWaiting() {
        Channel<String> a = new Channel<>();
        Channel<String> b = new Channel<>();
        Tasklet<Select.Received<?>> selector = Tasklet.spawn(() -> Select.receive(SAFETY, a, b));
        awaitBalance(a, -1);
        awaitBalance(b, -1);

        a.close();
        b.close();

        assertThatThrownBy(() -> selector.join(SAFETY))
                .isInstanceOf(JoinException.class)
                .cause()
                .isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("Select.receive");
    }

    @Test
    void killWhileBlockedInSelectThrowsTaskletExitAndRestoresTheBalances() {
        Channel<String> a = new Channel<>();
        Channel<String> b = Channel.buffered(1);
        Tasklet<Select.Received<?>> selector = Tasklet.spawn(() -> Select.receive(a, b));
        awaitBalance(a, -1);
        awaitBalance(b, -1);

        killAndAssertExit(selector, "Select.receive");

        assertThat(a.balance()).isZero();
        assertThat(b.balance()).isZero();
        assertThat(a.offer("nobody waits")).as("no registration is left on a").isFalse();
        assertThat(b.offer("buffered, not taken")).isTrue();
        assertThat(b.size()).as("no registration is left on b to take the value").isEqualTo(1);
    }

    @Test
    void sendExceptionThroughSelectThrowsThatExactException() {
        Channel<String> quiet = new Channel<>();
        Channel<String> failing = new Channel<>();
        IllegalStateException bomb = new IllegalStateException("sent through select");
        Tasklet<Void> sender = Tasklet.spawn(() -> failing.sendException(bomb));
        awaitBalance(failing, 1);

        assertThatThrownBy(() -> Select.receive(SAFETY, quiet, failing)).isSameAs(bomb);
        joinWithin(sender);
        assertThat(failing.balance()).isZero();
        assertThat(quiet.balance()).isZero();
    }

    @Test
    void receiveWithoutChannelsThrowsIllegalArgumentException() {
        assertThatThrownBy(() -> Select.receive(SAFETY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one channel");
    }

    @Test
    void receivePicksEachOfTwoAlwaysReadyChannelsRegularly() {
        Channel<Integer> a = Channel.buffered(1);
        Channel<Integer> b = Channel.buffered(1);
        a.send(0);
        b.send(0);
        Map<Channel<?>, Integer> picks = new HashMap<>();
        int selects = 1000;

        for (int i = 0; i < selects; i++) {
            Select.Received<?> got = Select.receive(SAFETY, a, b);
            picks.merge(got.channel(), 1, Integer::sum);
            @SuppressWarnings("unchecked")
            Channel<Integer> refill = (Channel<Integer>) got.channel();
            assertThat(refill.offer(i)).isTrue();
        }

        // With a fair pick each count is about 500; 100 is far outside any plausible random deviation.
        assertThat(picks.getOrDefault(a, 0)).isGreaterThan(100);
        assertThat(picks.getOrDefault(b, 0)).isGreaterThan(100);
        assertThat(picks.get(a) + picks.get(b)).isEqualTo(selects);
    }

    @Test
    void selectLoopReceivesEveryValueFromConcurrentSendersExactlyOnce() {
        int channelCount = 4;
        int sendersPerChannel = 3;
        int valuesPerSender = 1000;
        List<Channel<Integer>> channels = new ArrayList<>();
        for (int c = 0; c < channelCount; c++) {
            channels.add(c % 2 == 0 ? new Channel<>() : Channel.buffered(8));
        }
        List<Tasklet<Void>> senders = new ArrayList<>();
        int total = channelCount * sendersPerChannel * valuesPerSender;
        for (int c = 0; c < channelCount; c++) {
            Channel<Integer> channel = channels.get(c);
            for (int s = 0; s < sendersPerChannel; s++) {
                int base = (c * sendersPerChannel + s) * valuesPerSender;
                senders.add(Tasklet.spawn(() -> {
                    for (int i = 0; i < valuesPerSender; i++) {
                        channel.send(base + i, SAFETY);
                    }
                }));
            }
        }
        Channel<?>[] selected = channels.toArray(Channel<?>[]::new);

        Tasklet<boolean[]> selector = Tasklet.spawn(() -> {
            boolean[] seen = new boolean[total];
            for (int n = 0; n < total; n++) {
                Select.Received<?> got = Select.receive(SAFETY, selected);
                int value = (Integer) got.value();
                int channelOfValue = value / (sendersPerChannel * valuesPerSender);
                if (got.channel() != channels.get(channelOfValue)) {
                    throw new AssertionError(value + " came from the wrong channel " + got.channel());
                }
                if (seen[value]) {
                    throw new AssertionError(value + " was received twice");
                }
                seen[value] = true;
            }
            return seen;
        });

        boolean[] seen = joinWithin(selector);
        senders.forEach(ChannelTestSupport::joinWithin);
        for (int value = 0; value < total; value++) {
            assertThat(seen[value]).as("value %d received", value).isTrue();
        }
        for (Channel<Integer> channel : channels) {
            assertThat(channel.balance()).isZero();
            assertThat(channel.poll()).as("nothing left over in %s", channel).isEmpty();
            channel.close();
        }
        assertThatThrownBy(() -> Select.receive(SAFETY, selected)).isInstanceOf(ChannelClosedException.class);
    }

    @Test
    void selectTimingOutConcurrentlyWithSendsNeverLosesAValue() {
        int attemptsPerSender = 5_000;
        Channel<Integer> even = new Channel<>();
        Channel<Integer> odd = Channel.buffered(1);
        AtomicBoolean sendersDone = new AtomicBoolean();
        Tasklet<List<Integer>> evenSender = Tasklet.spawn(() -> sendWithTinyTimeouts(even, 0, attemptsPerSender));
        Tasklet<List<Integer>> oddSender = Tasklet.spawn(() -> sendWithTinyTimeouts(odd, 1, attemptsPerSender));
        Tasklet<List<Integer>> selector = Tasklet.spawn(() -> {
            List<Integer> received = new ArrayList<>();
            for (;;) {
                jitter();
                try {
                    received.add((Integer) Select.receive(tiny(), even, odd).value());
                } catch (TimeoutException nothingYet) {
                    if (sendersDone.get()) {
                        for (Optional<Integer> left; (left = odd.poll()).isPresent(); ) {
                            received.add(left.get());
                        }
                        return received;
                    }
                }
            }
        });

        List<Integer> delivered = new ArrayList<>(joinWithin(evenSender));
        delivered.addAll(joinWithin(oddSender));
        sendersDone.set(true);
        List<Integer> received = joinWithin(selector);

        assertThat(delivered).as("some sends succeed, else the test proves nothing").isNotEmpty();
        assertThat(received).containsExactlyInAnyOrderElementsOf(delivered);
        assertThat(even.balance()).isZero();
        assertThat(odd.balance()).isZero();
    }

    /** Sends {@code first}, {@code first + 2}, ... with tiny timeouts; returns the values that were taken. */
    private static List<Integer> sendWithTinyTimeouts(Channel<Integer> channel, int first, int attempts) {
        List<Integer> delivered = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            int value = first + 2 * i;
            jitter();
            try {
                channel.send(value, tiny());
                delivered.add(value);
            } catch (TimeoutException withdrawn) {
                // withdrawn: must never be received
            }
        }
        return delivered;
    }

    @Test
    void killRacingWithASendNeverLosesOrDuplicatesAValue() {
        int rounds = 2_000;
        int killed = 0;
        for (int i = 0; i < rounds; i++) {
            Channel<Integer> quiet = new Channel<>();
            Channel<Integer> racing = new Channel<>();
            Tasklet<Object> selector = Tasklet.spawn(() -> Select.receive(quiet, racing).value());
            awaitBalance(racing, -1);

            // kill is asynchronous: the send below races with the select withdrawing
            selector.kill();
            jitter();
            boolean sent;
            try {
                racing.send(i, tiny());
                sent = true;
            } catch (TimeoutException withdrawn) {
                sent = false;
            }

            Object received;
            try {
                received = selector.join(SAFETY);
            } catch (JoinException e) {
                assertThat(e).cause().isInstanceOf(TaskletExit.class);
                received = null;
                killed++;
            }
            assertThat(received).as("round %d: the send returned normally iff the select took the value", i)
                    .isEqualTo(sent ? Integer.valueOf(i) : null);
            assertThat(racing.balance()).isZero();
            assertThat(quiet.balance()).isZero();
        }
        assertThat(killed).as("some kills win the race, else the test proves little").isPositive();
    }
}
