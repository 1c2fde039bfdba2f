package io.concurrence;

import static io.concurrence.TaskletTestSupport.AT_ONCE;
import static io.concurrence.TaskletTestSupport.SAFETY;
import static io.concurrence.TaskletTestSupport.SHORT;
import static io.concurrence.TaskletTestSupport.await;
import static io.concurrence.TaskletTestSupport.block;
import static io.concurrence.TaskletTestSupport.elapsedSince;
import static io.concurrence.TaskletTestSupport.killAndJoin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.TaskletTestSupport.Caller;

@org.junit.jupiter.api.Timeout(60)
class TimeoutTest {

    @AfterEach
    void testThreadHasNoDeadlineLeft() {
        assertThat(Timeout.remaining()).as("the test thread's timeout stack is empty").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void remainingIsEmptyWithoutDeadline(Caller caller) throws Exception {
        assertThat(caller.call(Timeout::remaining)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void pushSetsRemainingToAtMostThePushedDuration(Caller caller) throws Exception {
        Optional<Duration> remaining = caller.call(() -> {
            try (Timeout ignored = Timeout.push(SAFETY)) {
                return Timeout.remaining();
            }
        });

        assertThat(remaining).hasValueSatisfying(left -> assertThat(left)
                .isLessThanOrEqualTo(SAFETY)
                .isGreaterThan(SAFETY.minus(AT_ONCE)));
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void nestedPushNeverExtendsTheOuterDeadline(Caller caller) throws Exception {
        Optional<Duration> remaining = caller.call(() -> {
            try (Timeout outer = Timeout.push(SHORT); Timeout inner = Timeout.push(Duration.ofSeconds(10))) {
                return Timeout.remaining();
            }
        });

        assertThat(remaining).hasValueSatisfying(left -> assertThat(left).isLessThanOrEqualTo(SHORT));
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void nestedShorterPushTakesEffectAndClosingItRestoresTheOuter(Caller caller) throws Exception {
        caller.run(() -> {
            try (Timeout outer = Timeout.push(SAFETY)) {
                try (Timeout inner = Timeout.push(SHORT)) {
                    assertThat(Timeout.remaining()).hasValueSatisfying(
                            left -> assertThat(left).isLessThanOrEqualTo(SHORT));
                }
                assertThat(Timeout.remaining()).hasValueSatisfying(
                        left -> assertThat(left).isGreaterThan(SHORT).isLessThanOrEqualTo(SAFETY));
            }
            assertThat(Timeout.remaining()).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -60_000})
    void zeroOrNegativePushLeavesZeroRemaining(long millis) throws Exception {
        for (Caller caller : Caller.values()) {
            Optional<Duration> remaining = caller.call(() -> {
                try (Timeout ignored = Timeout.push(Duration.ofMillis(millis))) {
                    return Timeout.remaining();
                }
            });

            assertThat(remaining).as("on %s", caller).contains(Duration.ZERO);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -60_000})
    void zeroOrNegativePushMakesBlockingCallsThrowTimeoutExceptionAtOnce(long millis) throws Exception {
        for (Caller caller : Caller.values()) {
            Channel<String> channel = new Channel<>();
            long start = System.nanoTime();

            Throwable thrown = catchThrowable(() -> caller.call(() -> {
                try (Timeout ignored = Timeout.push(Duration.ofMillis(millis))) {
                    return channel.receive(SAFETY);
                }
            }));

            assertThat(thrown).as("on %s", caller).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Channel.receive timed out: the ambient Timeout")
                    .hasNoCause();
            assertThat(elapsedSince(start)).isLessThan(AT_ONCE);
            assertThat(channel.balance()).isZero();
        }
    }

    @Test
    void zeroPushUnderNoDeadlineStillExpires() {
        // seed quirk #3 fixed: a zero or negative timeout means "expire now", never "no deadline"
        CountDownLatch release = new CountDownLatch(1);
        Tasklet<String> target = Tasklet.spawn(() -> {
            block(release);
            return "x";
        });
        try (Timeout ignored = Timeout.push(Duration.ofMillis(-5))) {
            assertThatThrownBy(target::join).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("the ambient Timeout (pushed with a negative duration");
        } finally {
            release.countDown();
            killAndJoin(target);
        }
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void remainingIsZeroOnceTheDeadlineHasPassedNeverNegative(Caller caller) throws Exception {
        Optional<Duration> remaining = caller.call(() -> {
            try (Timeout ignored = Timeout.push(Duration.ofMillis(1))) {
                Tasklet.sleep(SHORT); // a deliberate delay: the ambient deadline does not cut it short
                return Timeout.remaining();
            }
        });

        assertThat(remaining).contains(Duration.ZERO);
    }

    @Test
    void childTaskletsDoNotInheritTheTimeout() {
        Tasklet<Optional<Duration>> parent = Tasklet.spawn(() -> {
            try (Timeout ignored = Timeout.push(SAFETY)) {
                return Tasklet.spawn(Timeout::remaining).join();
            }
        });

        assertThat(parent.join(SAFETY)).isEmpty();
    }

    @Test
    void childTaskletBlockingCallsIgnoreTheParentsTimeout() {
        Channel<String> channel = new Channel<>();
        AtomicReference<Tasklet<String>> child = new AtomicReference<>();
        Tasklet<Void> parent = Tasklet.spawn(() -> {
            try (Timeout ignored = Timeout.push(Duration.ZERO)) {
                child.set(Tasklet.spawn(() -> channel.receive(SAFETY)));
            }
        });
        parent.join(SAFETY);

        channel.send("delivered", SAFETY);

        assertThat(child.get().join(SAFETY)).isEqualTo("delivered");
    }

    @Test
    void timeoutStacksAreIsolatedPerTasklet() {
        CountDownLatch pushed = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Tasklet<Optional<Duration>> pusher = Tasklet.spawn(() -> {
            try (Timeout ignored = Timeout.push(SAFETY)) {
                pushed.countDown();
                block(checked);
                return Timeout.remaining();
            }
        });
        await(pushed);

        Tasklet<Optional<Duration>> other = Tasklet.spawn(Timeout::remaining);

        assertThat(other.join(SAFETY)).isEmpty();
        assertThat(Timeout.remaining()).isEmpty();
        checked.countDown();
        assertThat(pusher.join(SAFETY)).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void closingTwiceIsHarmless(Caller caller) throws Exception {
        Optional<Duration> remaining = caller.call(() -> {
            try (Timeout outer = Timeout.push(SAFETY)) {
                Timeout inner = Timeout.push(SHORT);
                inner.close();
                inner.close();
                return Timeout.remaining();
            }
        });

        assertThat(remaining).hasValueSatisfying(left -> assertThat(left).isGreaterThan(SHORT));
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void closingOutOfOrderThrowsIllegalStateExceptionAndUnwindsTheStack(Caller caller) throws Exception {
        caller.run(() -> {
            Timeout outer = Timeout.push(SAFETY);
            Timeout inner = Timeout.push(SHORT);

            assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed out of order")
                    .hasNoCause();

            assertThat(Timeout.remaining()).isEmpty();
            inner.close(); // already popped with the outer one: harmless
            assertThat(Timeout.remaining()).isEmpty();
        });
    }

    @Test
    void closingFromAnotherThreadThrowsIllegalStateException() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Timeout> pushed = new AtomicReference<>();
        CountDownLatch isPushed = new CountDownLatch(1);
        Tasklet<Optional<Duration>> owner = Tasklet.named("owner").spawn(() -> {
            try (Timeout timeout = Timeout.push(SAFETY)) {
                pushed.set(timeout);
                isPushed.countDown();
                block(release);
                return Timeout.remaining();
            }
        });
        try {
            await(isPushed);

            for (Caller caller : Caller.values()) {
                Throwable thrown = catchThrowable(() -> caller.run(() -> pushed.get().close()));

                assertThat(thrown).as("closed from %s", caller).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("close a Timeout in the tasklet that pushed it")
                        .hasNoCause();
            }
            release.countDown();
            assertThat(owner.join(SAFETY)).as("the owner's timeout is still in place").isPresent();
        } finally {
            release.countDown();
            killAndJoin(owner);
        }
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void timeoutExceptionSaysTheAmbientTimeoutExpiredWhenItWasTheTighter(Caller caller) {
        Channel<String> channel = new Channel<>();

        Throwable thrown = catchThrowable(() -> caller.call(() -> {
            try (Timeout ignored = Timeout.push(SHORT)) {
                return channel.receive(SAFETY);
            }
        }));

        assertThat(thrown).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Channel.receive timed out: the ambient Timeout (pushed with 100 ms) expired")
                .hasNoCause();
    }

    @Test
    void theTimeoutMessageNamesTheOuterPushWhenItIsTheTighterOne() {
        Channel<String> channel = new Channel<>();

        Throwable thrown = catchThrowable(() -> {
            try (Timeout outer = Timeout.push(SHORT); Timeout inner = Timeout.push(SAFETY)) {
                channel.receive();
            }
        });

        assertThat(thrown).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("the ambient Timeout (pushed with 100 ms) expired");
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void timeoutExceptionNamesTheCallsOwnTimeoutWhenItWasTheTighter(Caller caller) {
        Channel<String> channel = new Channel<>();

        Throwable thrown = catchThrowable(() -> caller.call(() -> {
            try (Timeout ignored = Timeout.push(SAFETY)) {
                return channel.receive(SHORT);
            }
        }));

        assertThat(thrown).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Channel.receive timed out after 100 ms")
                .hasMessageNotContaining("ambient")
                .hasNoCause();
    }

    @Test
    void timeoutToStringShowsThePushedDuration() {
        try (Timeout timeout = Timeout.push(SHORT)) {
            assertThat(timeout).hasToString("Timeout[100 ms]");
        }
    }
}
