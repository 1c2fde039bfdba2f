package io.concurrence;

import static io.concurrence.TaskletTestSupport.FOREVER;
import static io.concurrence.TaskletTestSupport.SAFETY;
import static io.concurrence.TaskletTestSupport.SHORT;
import static io.concurrence.TaskletTestSupport.await;
import static io.concurrence.TaskletTestSupport.elapsedSince;
import static io.concurrence.TaskletTestSupport.killAndJoin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@org.junit.jupiter.api.Timeout(60)
class RepeatingTaskletsTest {

    private record Note(int n) implements Message {
    }

    private record Twice(int n) implements Call<Integer> {
    }

    // ---- loop ----

    @Test
    void loopRunsTheBodyRepeatedlyUntilKilled() {
        Channel<Integer> progress = new Channel<>();
        AtomicInteger calls = new AtomicInteger();
        Tasklet<Void> loop = Tasklet.named("looper").loop(() -> progress.send(calls.incrementAndGet()));
        try {
            assertThat(progress.receive(SAFETY)).isEqualTo(1);
            assertThat(progress.receive(SAFETY)).isEqualTo(2);
            assertThat(progress.receive(SAFETY)).isEqualTo(3);

            loop.kill();

            JoinException thrown = catchThrowableOfType(JoinException.class, () -> loop.join(SAFETY));
            assertThat(thrown).hasMessageContaining("'looper' was killed").hasCauseInstanceOf(TaskletExit.class);
            int callsAtEnd = calls.get();
            assertThat(progress.poll()).as("nothing is sent after the loop ended").isEmpty();
            assertThat(calls.get()).isEqualTo(callsAtEnd).isBetween(3, 4);
        } finally {
            killAndJoin(loop);
        }
    }

    @Test
    void loopLogsAThrowingBodyAndGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch calledAgain = new CountDownLatch(1);
        Tasklet<Void> loop = Tasklet.loop(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first iteration fails (expected in this test)");
            }
            calledAgain.countDown();
            Tasklet.sleep(FOREVER);
        });
        try {
            await(calledAgain);

            assertThat(calls.get()).isEqualTo(2);
            assertThat(loop.isDone()).isFalse();
        } finally {
            killAndJoin(loop);
        }
    }

    // ---- interval ----

    @Test
    void intervalCallsTheBodyAfterEachPeriod() {
        ConcurrentLinkedQueue<Long> calls = new ConcurrentLinkedQueue<>();
        CountDownLatch threeCalls = new CountDownLatch(3);
        long start = System.nanoTime();
        Tasklet<Void> interval = Tasklet.interval(SHORT, () -> {
            calls.add(System.nanoTime());
            threeCalls.countDown();
        });
        try {
            await(threeCalls);

            List<Long> times = new ArrayList<>(calls).subList(0, 3);
            assertThat(Duration.ofNanos(times.get(0) - start)).as("first call after one period")
                    .isGreaterThanOrEqualTo(SHORT);
            assertThat(Duration.ofNanos(times.get(1) - times.get(0))).isGreaterThanOrEqualTo(SHORT);
            assertThat(Duration.ofNanos(times.get(2) - times.get(1))).isGreaterThanOrEqualTo(SHORT);
            assertThat(interval.isDone()).isFalse();
        } finally {
            killAndJoin(interval);
        }
    }

    @Test
    void intervalWithImmediateCallsTheBodyOnceAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch called = new CountDownLatch(1);
        // with a one-day period, only the immediate call can happen during the test
        Tasklet<Void> interval = Tasklet.interval(FOREVER, () -> {
            calls.incrementAndGet();
            called.countDown();
        }, true);
        try {
            await(called);

            assertThat(calls.get()).isEqualTo(1);
        } finally {
            killAndJoin(interval);
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void intervalWithoutImmediateDoesNotCallTheBodyBeforeThePeriod() {
        AtomicBoolean called = new AtomicBoolean();
        Tasklet<Void> interval = Tasklet.interval(FOREVER, () -> called.set(true), false);
        TaskletTestSupport.awaitParked(interval);

        killAndJoin(interval);

        assertThat(called).isFalse();
    }

    @Test
    void intervalCatchesAnExceptionFromTheImmediateFirstCallLikeTheOthers() {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch calledAgain = new CountDownLatch(1);
        Tasklet<Void> interval = Tasklet.interval(SHORT, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("immediate call fails (expected in this test)");
            }
            calledAgain.countDown();
        }, true);
        try {
            await(calledAgain);

            assertThat(calls.get()).isGreaterThanOrEqualTo(2);
            assertThat(interval.isDone()).isFalse();
        } finally {
            killAndJoin(interval);
        }
    }

    @Test
    void intervalKeepsGoingWhenALaterCallThrows() {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch fourCalls = new CountDownLatch(4);
        Tasklet<Void> interval = Tasklet.interval(SHORT, () -> {
            fourCalls.countDown();
            if (calls.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("every other call fails (expected in this test)");
            }
        });
        try {
            await(fourCalls);

            assertThat(interval.isDone()).isFalse();
        } finally {
            killAndJoin(interval);
        }
    }

    // ---- rate ----

    @Test
    void rateCallsTheBodyAtTheRequestedFrequencyOnAverage() {
        assertThat(measureRate(50, 60, () -> { })).isBetween(35.0, 65.0);
    }

    @Test
    void rateCorrectsForTheBodysRunningTime() {
        // 50/s is a call every 20 ms; a body taking 10 ms would give 33/s without drift correction
        assertThat(measureRate(50, 60, () -> Tasklet.sleep(Duration.ofMillis(10)))).isBetween(40.0, 65.0);
    }

    /** Runs {@code body} at {@code perSecond} for {@code calls} calls; returns the measured calls per second. */
    private static double measureRate(double perSecond, int calls, Runnable body) {
        long[] times = new long[calls];
        AtomicInteger count = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(calls);
        Tasklet<Void> rate = Tasklet.rate(perSecond, () -> {
            int i = count.getAndIncrement();
            if (i < calls) {
                times[i] = System.nanoTime();
                done.countDown();
            }
            body.run();
        });
        try {
            await(done);
        } finally {
            killAndJoin(rate);
        }
        double seconds = (times[calls - 1] - times[0]) / 1e9;
        return (calls - 1) / seconds;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY})
    void rateWithInvalidFrequencyThrowsIllegalArgumentException(double perSecond) {
        assertThatThrownBy(() -> Tasklet.rate(perSecond, () -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("perSecond must be positive and finite")
                .hasNoCause();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -60_000})
    void intervalWithNonPositivePeriodThrowsIllegalArgumentException(long millis) {
        assertThatThrownBy(() -> Tasklet.interval(Duration.ofMillis(millis), () -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("period must be positive")
                .hasNoCause();
        assertThatThrownBy(() -> Tasklet.interval(Duration.ofMillis(millis), () -> { }, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("period must be positive");
    }

    // ---- later ----

    @Test
    void laterReturnsTheCallablesResultAfterTheDelay() {
        long start = System.nanoTime();

        Tasklet<String> later = Tasklet.later(SHORT, () -> "later");

        assertThat(later.join(SAFETY)).isEqualTo("later");
        assertThat(elapsedSince(start)).isGreaterThanOrEqualTo(SHORT);
    }

    @Test
    void laterRunsTheRunnableAfterTheDelay() {
        AtomicBoolean ran = new AtomicBoolean();
        long start = System.nanoTime();

        Tasklet<Void> later = Tasklet.later(SHORT, () -> ran.set(true));

        assertThat(later.join(SAFETY)).isNull();
        assertThat(ran).isTrue();
        assertThat(elapsedSince(start)).isGreaterThanOrEqualTo(SHORT);
    }

    @Test
    void laterFailsWithWhatTheCallableThrew() {
        IllegalStateException boom = new IllegalStateException("later failed");

        Tasklet<String> later = Tasklet.later(Duration.ZERO, () -> {
            throw boom;
        });

        assertThatThrownBy(() -> later.join(SAFETY)).isInstanceOf(JoinException.class)
                .hasMessageContaining("later failed")
                .hasCause(boom);
    }

    // ---- receiver ----

    @Test
    void receiverHandlesEachEnvelopeKeepsRunningWhenTheHandlerThrowsAndStopsWhenKilled() {
        ConcurrentLinkedQueue<Integer> handled = new ConcurrentLinkedQueue<>();
        IllegalStateException boom = new IllegalStateException("cannot handle 2 (expected in this test)");
        Tasklet<Void> receiver = Tasklet.named("handler").receiver(envelope -> {
            switch (envelope.message()) {
                case Note(var n) -> {
                    handled.add(n);
                    if (n == 2) {
                        throw boom;
                    }
                }
                case Twice(var n) -> {
                    if (n < 0) {
                        throw boom;
                    }
                    envelope.reply(2 * n);
                }
                default -> throw new AssertionError("unexpected " + envelope.message());
            }
        });
        try {
            receiver.send(new Note(1));
            receiver.send(new Note(2));
            receiver.send(new Note(3));

            // FIFO: the reply comes after the three notes were handled
            assertThat(receiver.call(new Twice(21), SAFETY)).isEqualTo(42);
            assertThat(handled).containsExactly(1, 2, 3);
            assertThatThrownBy(() -> receiver.call(new Twice(-1), SAFETY))
                    .isInstanceOf(CallFailedException.class)
                    .hasCause(boom);
            assertThat(receiver.call(new Twice(5), SAFETY)).isEqualTo(10);

            receiver.kill();

            assertThatThrownBy(() -> receiver.join(SAFETY)).isInstanceOf(JoinException.class)
                    .hasMessageContaining("'handler' was killed")
                    .hasCauseInstanceOf(TaskletExit.class);
        } finally {
            killAndJoin(receiver);
        }
    }

    // ---- common to all helpers ----

    @Test
    void helpersReturnAlreadyStartedTaskletsThatAreChildrenOfTheCaller() {
        CountDownLatch started = new CountDownLatch(5);
        CountDownLatch releaseLater = new CountDownLatch(1);
        Tasklet<List<Tasklet<?>>> parent = Tasklet.spawn(() -> {
            Tasklet<?> self = Tasklet.current();
            List<Tasklet<?>> helpers = new ArrayList<>();
            helpers.add(Tasklet.loop(() -> {
                started.countDown();
                Tasklet.sleep(FOREVER);
            }));
            helpers.add(Tasklet.interval(FOREVER, started::countDown, true));
            AtomicBoolean rateStarted = new AtomicBoolean();
            helpers.add(Tasklet.rate(1, () -> {
                if (!rateStarted.getAndSet(true)) {
                    started.countDown();
                }
            }));
            helpers.add(Tasklet.receiver(envelope -> started.countDown()));
            Tasklet<String> later = Tasklet.later(Duration.ZERO, () -> {
                started.countDown();
                TaskletTestSupport.block(releaseLater);
                return "later ran";
            });
            helpers.add(later);
            helpers.get(3).send(new Note(0));
            await(started);
            // all five are running (none finished yet), children of this tasklet
            for (Tasklet<?> helper : helpers) {
                assertThat(helper.parent()).as("parent of %s", helper).containsSame(self);
            }
            assertThat(self.children()).containsAll(helpers);
            assertThat(helpers).noneMatch(Tasklet::isDone);
            releaseLater.countDown();
            assertThat(later.join(SAFETY)).isEqualTo("later ran");
            return helpers;
        });

        List<Tasklet<?>> helpers;
        try {
            helpers = parent.join(SAFETY);
        } finally {
            releaseLater.countDown();
        }

        assertThat(helpers).hasSize(5);
        killAndJoin(helpers.toArray(Tasklet<?>[]::new));
    }

    /** The repeating helpers, each started with a body. */
    enum Helper {
        LOOP(body -> Tasklet.named("swallower").loop(body)),
        INTERVAL(body -> Tasklet.named("swallower").interval(SHORT, body, true)),
        RATE(body -> Tasklet.named("swallower").rate(10, body)),
        RECEIVER(body -> {
            Tasklet<Void> receiver = Tasklet.named("swallower").receiver(envelope -> body.run());
            receiver.send(new Note(0));
            return receiver;
        });

        final Function<Runnable, Tasklet<Void>> start;

        Helper(Function<Runnable, Tasklet<Void>> start) {
            this.start = start;
        }
    }

    @ParameterizedTest
    @EnumSource(Helper.class)
    void killedRepeatingTaskletStopsEvenIfTheBodySwallowsTaskletExit(Helper helper) {
        CountDownLatch aboutToSleep = new CountDownLatch(1);
        AtomicInteger swallowed = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Tasklet<Void> tasklet = helper.start.apply(() -> {
            calls.incrementAndGet();
            try {
                aboutToSleep.countDown();
                Tasklet.sleep(FOREVER);
            } catch (RuntimeException e) {
                swallowed.incrementAndGet();
            }
        });
        try {
            await(aboutToSleep);

            tasklet.kill();

            JoinException thrown = catchThrowableOfType(JoinException.class, () -> tasklet.join(SAFETY));
            assertThat(thrown).hasMessageContaining("'swallower' was killed");
            assertThat(thrown.getCause()).isInstanceOf(TaskletExit.class).hasMessageContaining("'swallower'");
            assertThat(swallowed.get()).isEqualTo(1);
            assertThat(calls.get()).isEqualTo(1);
        } finally {
            killAndJoin(tasklet);
        }
    }
}
