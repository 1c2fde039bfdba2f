package io.concurrence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** {@link Channel#onClose(Runnable)}: the hook bridges use to learn that receivers closed a channel. */
@org.junit.jupiter.api.Timeout(60)
class ChannelOnCloseTest {

    private static final Duration SAFETY = Duration.ofSeconds(10);

    @Test
    void onCloseRunsEveryActionOnceWhenTheChannelCloses() {
        Channel<String> channel = new Channel<>();
        List<String> ran = new ArrayList<>();
        channel.onClose(() -> ran.add("first"));
        channel.onClose(() -> ran.add("second"));

        assertThat(ran).isEmpty();
        channel.close();
        channel.close();

        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void onCloseRunsAtOnceWhenTheChannelIsAlreadyClosed() {
        Channel<String> channel = Channel.buffered(1);
        channel.close();
        AtomicInteger runs = new AtomicInteger();

        channel.onClose(runs::incrementAndGet);

        assertThat(runs).hasValue(1);
    }

    @Test
    void aFailingActionDoesNotStopTheOthersNorTheClose() {
        Channel<String> channel = new Channel<>();
        AtomicInteger runs = new AtomicInteger();
        channel.onClose(() -> {
            throw new IllegalStateException("boom");
        });
        channel.onClose(runs::incrementAndGet);

        channel.close();

        assertThat(channel.isClosed()).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void actionsRunAfterWaitingReceiversHaveBeenWoken() {
        Channel<String> channel = new Channel<>();
        Tasklet<String> receiver = Tasklet.spawn(() -> {
            try {
                return channel.receive();
            } catch (ChannelClosedException e) {
                return "closed";
            }
        });
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (channel.balance() != -1) {
            assertThat(System.nanoTime() - deadline).as("the receiver waits within %s", SAFETY).isNegative();
            Thread.yield();
        }
        int[] balanceSeenByAction = {Integer.MIN_VALUE};
        channel.onClose(() -> balanceSeenByAction[0] = channel.balance());

        channel.close();

        assertThat(balanceSeenByAction[0]).isZero();
        assertThat(receiver.join(SAFETY)).isEqualTo("closed");
    }
}
