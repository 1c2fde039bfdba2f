package io.concurrence;

import static io.concurrence.TaskletTestSupport.AT_ONCE;
import static io.concurrence.TaskletTestSupport.FOREVER;
import static io.concurrence.TaskletTestSupport.SAFETY;
import static io.concurrence.TaskletTestSupport.SHORT;
import static io.concurrence.TaskletTestSupport.await;
import static io.concurrence.TaskletTestSupport.awaitCondition;
import static io.concurrence.TaskletTestSupport.awaitParked;
import static io.concurrence.TaskletTestSupport.awaitReceiverWaiting;
import static io.concurrence.TaskletTestSupport.block;
import static io.concurrence.TaskletTestSupport.elapsedSince;
import static io.concurrence.TaskletTestSupport.killAndJoin;
import static io.concurrence.TaskletTestSupport.spinUntilKilled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.TaskletTestSupport.Caller;

@org.junit.jupiter.api.Timeout(60)
class TaskletTest {

    /** A call nobody answers. */
    private record Ping() implements Call<String> {
    }

    // ---- spawn and join ----

    @Test
    void spawnCallableReturnsItsResultThroughJoin() {
        Tasklet<Integer> tasklet = Tasklet.spawn(() -> 10 + 32);

        assertThat(tasklet.join(SAFETY)).isEqualTo(42);
        assertThat(tasklet.isDone()).isTrue();
    }

    @Test
    void spawnRunnableRunsTheBodyAndJoinsToNull() {
        AtomicBoolean ran = new AtomicBoolean();

        Tasklet<Void> tasklet = Tasklet.spawn(() -> ran.set(true));

        assertThat(tasklet.join(SAFETY)).isNull();
        assertThat(ran).isTrue();
    }

    @Test
    void joinOfFailedTaskletThrowsJoinExceptionWithTheBodysExceptionAsCause() {
        IllegalStateException boom = new IllegalStateException("boom");
        Tasklet<Object> tasklet = Tasklet.named("failing").spawn(() -> {
            throw boom;
        });

        JoinException thrown = catchThrowableOfType(JoinException.class, () -> tasklet.join(SAFETY));

        assertThat(thrown).hasMessageContaining("'failing' failed").hasCause(boom);
        assertThat(thrown.getCause()).isSameAs(boom);
        assertThat(thrown.tasklet()).isSameAs(tasklet);
    }

    @Test
    void secondJoinOfSuccessfulTaskletReturnsTheSameValue() {
        Object value = new Object();
        Tasklet<Object> tasklet = Tasklet.spawn(() -> value);

        assertThat(tasklet.join(SAFETY)).isSameAs(value);
        assertThat(tasklet.join()).isSameAs(value);
        assertThat(tasklet.join(Duration.ZERO)).isSameAs(value);
    }

    @Test
    void secondJoinOfFailedTaskletThrowsWithTheSameCauseInstance() {
        IllegalArgumentException boom = new IllegalArgumentException("bad input");
        Tasklet<Object> tasklet = Tasklet.spawn(() -> {
            throw boom;
        });

        JoinException first = catchThrowableOfType(JoinException.class, () -> tasklet.join(SAFETY));
        JoinException second = catchThrowableOfType(JoinException.class, tasklet::join);

        assertThat(first.getCause()).isSameAs(boom);
        assertThat(second.getCause()).isSameAs(boom);
        assertThat(second.tasklet()).isSameAs(tasklet);
        assertThat(second).hasMessageContaining("failed").hasMessageContaining("bad input");
    }

    @Test
    void concurrentJoinersAllGetTheResult() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Tasklet<String> target = Tasklet.spawn(() -> {
            block(release);
            return "done";
        });
        List<Tasklet<String>> joiners = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            joiners.add(Tasklet.spawn(() -> target.join(SAFETY)));
        }
        for (Tasklet<String> joiner : joiners) {
            awaitParked(joiner);
        }

        release.countDown();

        for (Tasklet<String> joiner : joiners) {
            assertThat(joiner.join(SAFETY)).isEqualTo("done");
        }
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void joinWithTimeoutThrowsTimeoutExceptionWhileTargetKeepsRunning(Caller caller) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Tasklet<String> target = Tasklet.named("slow").spawn(() -> {
            block(release);
            return "finally";
        });
        try {
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> caller.call(() -> target.join(SHORT)));

            assertThat(thrown).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Tasklet.join of tasklet 'slow'")
                    .hasMessageContaining("timed out after 100 ms")
                    .hasNoCause();
            assertThat(elapsedSince(start)).isGreaterThanOrEqualTo(SHORT);
            assertThat(target.isDone()).isFalse();

            release.countDown();
            assertThat(target.join(SAFETY)).isEqualTo("finally");
        } finally {
            killAndJoin(target);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -60_000})
    void joinWithZeroOrNegativeTimeoutOnUnfinishedTaskletThrowsAtOnce(long millis) {
        CountDownLatch release = new CountDownLatch(1);
        Tasklet<String> target = Tasklet.named("unfinished").spawn(() -> {
            block(release);
            return "late";
        });
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> target.join(Duration.ofMillis(millis)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Tasklet.join of tasklet 'unfinished' timed out")
                    .hasNoCause();
            assertThat(elapsedSince(start)).isLessThan(AT_ONCE);
            assertThat(target.isDone()).isFalse();
        } finally {
            release.countDown();
            killAndJoin(target);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -60_000})
    void joinWithZeroOrNegativeTimeoutOnFinishedTaskletReturnsTheResult(long millis) {
        Tasklet<String> target = Tasklet.spawn(() -> "ready");
        target.join(SAFETY);

        assertThat(target.join(Duration.ofMillis(millis))).isEqualTo("ready");
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void ambientTimeoutAppliesToJoin(Caller caller) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Tasklet<String> target = Tasklet.named("awaited").spawn(() -> {
            block(release);
            return "x";
        });
        try {
            Throwable untimed = catchThrowable(() -> caller.call(() -> {
                try (Timeout ignored = Timeout.push(SHORT)) {
                    return target.join();
                }
            }));
            Throwable timed = catchThrowable(() -> caller.call(() -> {
                try (Timeout ignored = Timeout.push(SHORT)) {
                    return target.join(SAFETY);
                }
            }));

            for (Throwable thrown : List.of(untimed, timed)) {
                assertThat(thrown).isInstanceOf(TimeoutException.class)
                        .hasMessageContaining("Tasklet.join of tasklet 'awaited'")
                        .hasMessageContaining("the ambient Timeout (pushed with 100 ms) expired")
                        .hasNoCause();
            }
            assertThat(target.isDone()).isFalse();
        } finally {
            release.countDown();
            killAndJoin(target);
        }
    }

    // ---- joinAll and joinChildren ----

    @Test
    void joinAllReturnsResultsInOrderAndNeverThrowsForFailedOnes() {
        IllegalStateException boom = new IllegalStateException("second failed");
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        Tasklet<Integer> first = Tasklet.spawn(() -> {
            block(firstMayFinish);
            return 1;
        });
        Tasklet<Integer> second = Tasklet.spawn(() -> {
            throw boom;
        });
        Tasklet<Integer> third = Tasklet.spawn(() -> 3);
        // the later ones finish first: the results still come in collection order
        third.join(SAFETY);
        catchThrowable(second::join);
        firstMayFinish.countDown();

        List<Tasklet.Result<Integer>> results = Tasklet.joinAll(List.of(first, second, third), SAFETY);

        assertThat(results).hasSize(3);
        assertThat(results.get(0).isSuccess()).isTrue();
        assertThat(results.get(0).value()).isEqualTo(1);
        assertThat(results.get(0).exception()).isNull();
        assertThat(results.get(0).get()).isEqualTo(1);
        Tasklet.Result<Integer> failed = results.get(1);
        assertThat(failed.isSuccess()).isFalse();
        assertThat(failed.value()).isNull();
        assertThat(failed.exception()).isInstanceOf(JoinException.class).hasCause(boom);
        assertThat(failed.exception().getCause()).isSameAs(boom);
        assertThat(failed.exception().tasklet()).isSameAs(second);
        assertThatThrownBy(failed::get).isSameAs(failed.exception());
        assertThat(results.get(2).get()).isEqualTo(3);
    }

    @Test
    void joinAllOfVoidTaskletsSucceedsWithNullValues() {
        List<Tasklet<Void>> tasklets = List.of(Tasklet.spawn(() -> { }), Tasklet.spawn(() -> { }));

        List<Tasklet.Result<Void>> results = Tasklet.joinAll(tasklets, SAFETY);

        assertThat(results).allSatisfy(result -> {
            assertThat(result.isSuccess()).isTrue();
            assertThat(result.value()).isNull();
            assertThat(result.exception()).isNull();
        });
    }

    @Test
    void joinAllThrowsTimeoutExceptionWhenTheOverallDeadlinePasses() {
        CountDownLatch release = new CountDownLatch(1);
        Tasklet<Integer> done = Tasklet.spawn(() -> 0);
        List<Tasklet<Integer>> blocked = new ArrayList<>();
        blocked.add(done);
        for (int i = 0; i < 10; i++) {
            blocked.add(Tasklet.named("blocked-" + i).spawn(() -> {
                block(release);
                return 1;
            }));
        }
        Duration timeout = Duration.ofMillis(200);
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> Tasklet.joinAll(blocked, timeout))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Tasklet.joinAll of tasklet 'blocked-")
                    .hasMessageContaining("timed out after 200 ms")
                    .hasNoCause();
            Duration elapsed = elapsedSince(start);
            assertThat(elapsed).isGreaterThanOrEqualTo(timeout);
            // one deadline for the whole collection: ten per-tasklet timeouts would take at least 2 s
            assertThat(elapsed).isLessThan(timeout.multipliedBy(blocked.size() - 1));
        } finally {
            release.countDown();
            killAndJoin(blocked.toArray(Tasklet<?>[]::new));
        }
    }

    @Test
    void joinAllHonoursTheAmbientTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        Tasklet<Integer> blocked = Tasklet.named("ambient-blocked").spawn(() -> {
            block(release);
            return 1;
        });
        try (Timeout ignored = Timeout.push(SHORT)) {
            assertThatThrownBy(() -> Tasklet.joinAll(List.of(blocked)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("the ambient Timeout (pushed with 100 ms) expired");
        } finally {
            release.countDown();
            killAndJoin(blocked);
        }
    }

    @Test
    void joinChildrenJoinsTheCurrentTaskletsChildrenInSpawnOrder() {
        IllegalStateException boom = new IllegalStateException("child failed");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch childrenSpawned = new CountDownLatch(1);
        Tasklet<List<Tasklet.Result<?>>> parent = Tasklet.spawn(() -> {
            Tasklet.spawn(() -> {
                block(release);
                return "a";
            });
            Tasklet.spawn(() -> {
                block(release);
                throw boom;
            });
            Tasklet.spawn(() -> {
                block(release);
                return "c";
            });
            childrenSpawned.countDown();
            return Tasklet.joinChildren(SAFETY);
        });
        await(childrenSpawned);
        awaitParked(parent);

        release.countDown();
        List<Tasklet.Result<?>> results = parent.join(SAFETY);

        assertThat(results).hasSize(3);
        assertThat(results.get(0).get()).isEqualTo("a");
        assertThat(results.get(1).isSuccess()).isFalse();
        assertThat(results.get(1).exception()).hasCause(boom);
        assertThat(results.get(2).get()).isEqualTo("c");
    }

    @Test
    void joinChildrenWithTimeoutThrowsTimeoutExceptionWhenAChildKeepsRunning() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Tasklet<String>> child = new AtomicReference<>();
        Tasklet<Throwable> parent = Tasklet.spawn(() -> {
            child.set(Tasklet.named("lingering-child").spawn(() -> {
                block(release);
                return "child";
            }));
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> Tasklet.joinChildren(SHORT));
            assertThat(elapsedSince(start)).isGreaterThanOrEqualTo(SHORT);
            return thrown;
        });
        try {
            assertThat(parent.join(SAFETY)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("'lingering-child'")
                    .hasMessageContaining("timed out after 100 ms")
                    .hasNoCause();
            assertThat(child.get().isDone()).isFalse();
            release.countDown();
            assertThat(child.get().join(SAFETY)).isEqualTo("child");
        } finally {
            release.countDown();
            killAndJoin(child.get());
        }
    }

    @Test
    void joinChildrenFromPlatformThreadReturnsEmptyList() {
        CountDownLatch release = new CountDownLatch(1);
        Tasklet<Void> root = Tasklet.spawn(() -> block(release));
        try {
            assertThat(Tasklet.joinChildren(SAFETY)).isEmpty();
            assertThat(Tasklet.joinChildren()).isEmpty();
            assertThat(root.isDone()).isFalse();
        } finally {
            release.countDown();
            killAndJoin(root);
        }
    }

    // ---- kill ----

    /** The blocking calls a tasklet can be killed in. */
    enum Blocking {
        SLEEP(fixture -> {
            Tasklet.sleep(FOREVER);
            return null;
        }),
        CHANNEL_RECEIVE(fixture -> fixture.channel.receive()),
        JOIN(fixture -> fixture.other.join()),
        MAILBOX_RECEIVE(fixture -> Tasklet.receive()),
        CALL(fixture -> fixture.other.call(new Ping()));

        final Function<Fixture, Object> call;

        Blocking(Function<Fixture, Object> call) {
            this.call = call;
        }
    }

    /** What the blocking calls wait on: a channel nobody sends to, a tasklet that never finishes nor answers. */
    private static final class Fixture {
        final Channel<Object> channel = new Channel<>();
        final CountDownLatch release = new CountDownLatch(1);
        final Tasklet<Object> other = Tasklet.named("never-answers").spawn(() -> {
            block(release);
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Blocking.class)
    void killOfBlockedTaskletMakesItsJoinThrowJoinExceptionWithTaskletExitCausePromptly(Blocking blocking) {
        Fixture fixture = new Fixture();
        CountDownLatch aboutToBlock = new CountDownLatch(1);
        Tasklet<Object> victim = Tasklet.named("victim").spawn(() -> {
            aboutToBlock.countDown();
            return blocking.call.apply(fixture);
        });
        try {
            await(aboutToBlock);
            if (blocking == Blocking.CHANNEL_RECEIVE) {
                awaitReceiverWaiting(fixture.channel);
            } else {
                awaitParked(victim);
            }

            long start = System.nanoTime();
            victim.kill();
            JoinException thrown = catchThrowableOfType(JoinException.class, () -> victim.join(SAFETY));

            assertThat(thrown).hasMessageContaining("'victim' was killed");
            assertThat(thrown.tasklet()).isSameAs(victim);
            assertThat(thrown.getCause()).isInstanceOf(TaskletExit.class)
                    .hasMessageContaining("'victim' was killed while blocked in");
            assertThat(elapsedSince(start)).isLessThan(SAFETY);
            assertThat(victim.isKilled()).isTrue();
            assertThat(fixture.channel.balance()).isZero();
            assertThat(fixture.other.isDone()).as("the tasklet waited for is not affected").isFalse();
        } finally {
            fixture.release.countDown();
            killAndJoin(victim, fixture.other);
        }
    }

    @Test
    void killBeforeTheTaskletBlocksMakesItsNextBlockingCallThrowTaskletExit() {
        CountDownLatch running = new CountDownLatch(1);
        Tasklet<Throwable> victim = Tasklet.named("busy").spawn(() -> {
            running.countDown();
            spinUntilKilled();
            return catchThrowable(() -> new Channel<>().receive(SAFETY));
        });
        await(running);

        victim.kill();

        assertThat(victim.join(SAFETY)).isInstanceOf(TaskletExit.class)
                .hasMessageContaining("'busy' was killed while blocked in Channel.receive");
    }

    @Test
    void killRightAfterSpawnEndsTheTaskletWithTaskletExit() {
        Tasklet<Void> victim = Tasklet.spawn(() -> Tasklet.sleep(FOREVER));

        victim.kill();

        assertThatThrownBy(() -> victim.join(SAFETY)).isInstanceOf(JoinException.class)
                .hasMessageContaining("was killed")
                .hasCauseInstanceOf(TaskletExit.class);
    }

    @Test
    void taskletCatchingTaskletExitSurvivesTheKill() {
        CountDownLatch aboutToSleep = new CountDownLatch(1);
        Tasklet<String> survivor = Tasklet.spawn(() -> {
            aboutToSleep.countDown();
            try {
                Tasklet.sleep(FOREVER);
                return "woke up";
            } catch (TaskletExit e) {
                return "survived: " + e.getMessage();
            }
        });
        await(aboutToSleep);

        survivor.kill();

        assertThat(survivor.join(SAFETY)).startsWith("survived: ").contains("Tasklet.sleep");
        assertThat(survivor.isKilled()).isTrue();
    }

    @Test
    void killOfFinishedTaskletIsANoOp() {
        Tasklet<String> finished = Tasklet.spawn(() -> "result");
        finished.join(SAFETY);

        finished.kill();

        assertThat(finished.isKilled()).isFalse();
        assertThat(finished.join(Duration.ZERO)).isEqualTo("result");
    }

    @Test
    void isKilledTurnsTrueOnlyAfterKill() {
        Tasklet<Void> tasklet = Tasklet.spawn(() -> Tasklet.sleep(FOREVER));
        try {
            assertThat(tasklet.isKilled()).isFalse();

            tasklet.kill();

            assertThat(tasklet.isKilled()).isTrue();
        } finally {
            killAndJoin(tasklet);
        }
    }

    // ---- current, names ----

    @Test
    void currentInsideTaskletIsThatTasklet() {
        Callable<Tasklet<?>> body = Tasklet::current;
        Tasklet<Tasklet<?>> tasklet = Tasklet.spawn(body);

        assertThat(tasklet.join(SAFETY)).isSameAs(tasklet);
    }

    @Test
    void currentFromPlatformThreadThrowsIllegalStateException() {
        assertThatThrownBy(Tasklet::current).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("which is not a tasklet")
                .hasNoCause();
    }

    @Test
    void findCurrentIsTheTaskletInsideOneAndEmptyOnPlatformThread() {
        Callable<Optional<Tasklet<?>>> body = Tasklet::findCurrent;
        Tasklet<Optional<Tasklet<?>>> tasklet = Tasklet.spawn(body);

        assertThat(tasklet.join(SAFETY)).containsSame(tasklet);
        assertThat(Tasklet.findCurrent()).isEmpty();
    }

    @Test
    void taskletJoiningItselfThrowsIllegalStateException() {
        Tasklet<Throwable> tasklet = Tasklet.named("narcissus").spawn(
                () -> catchThrowable(() -> Tasklet.current().join(SAFETY)));

        assertThat(tasklet.join(SAFETY)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'narcissus' cannot join itself")
                .hasNoCause();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void namedWithBlankNameThrowsIllegalArgumentException(String name) {
        assertThatThrownBy(() -> Tasklet.named(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be blank")
                .hasNoCause();
    }

    @Test
    void nameDefaultsToTaskletDashId() {
        Tasklet<String> tasklet = Tasklet.spawn(() -> Tasklet.current().name());

        assertThat(tasklet.name()).isEqualTo("tasklet-" + tasklet.id()).matches("tasklet-\\d+");
        assertThat(tasklet.join(SAFETY)).isEqualTo(tasklet.name());
    }

    @Test
    void namedTaskletHasThatName() {
        Tasklet<String> tasklet = Tasklet.named("worker").spawn(() -> Tasklet.current().name());

        assertThat(tasklet.name()).isEqualTo("worker");
        assertThat(tasklet.join(SAFETY)).isEqualTo("worker");
    }

    @Test
    void idsIncreaseInSpawnOrder() {
        Tasklet<Integer> first = Tasklet.spawn(() -> 1);
        Tasklet<Integer> second = Tasklet.spawn(() -> 2);

        assertThat(second.id()).isGreaterThan(first.id());
        Tasklet.joinAll(List.of(first, second), SAFETY);
    }

    // ---- sleep and yield ----

    @ParameterizedTest
    @EnumSource(Caller.class)
    void sleepIsNotCutShortByTheAmbientTimeout(Caller caller) throws Exception {
        Duration ambient = Duration.ofMillis(50);
        Duration nap = Duration.ofMillis(200);

        Duration slept = caller.call(() -> {
            try (Timeout ignored = Timeout.push(ambient)) {
                long start = System.nanoTime();
                Tasklet.sleep(nap);
                return elapsedSince(start);
            }
        });

        assertThat(slept).isGreaterThanOrEqualTo(nap);
    }

    @Test
    void sleepIsCutShortByKill() {
        CountDownLatch aboutToSleep = new CountDownLatch(1);
        Tasklet<Void> sleeper = Tasklet.named("sleeper").spawn(() -> {
            aboutToSleep.countDown();
            Tasklet.sleep(FOREVER);
        });
        await(aboutToSleep);

        sleeper.kill();

        assertThatThrownBy(() -> sleeper.join(SAFETY)).isInstanceOf(JoinException.class)
                .hasMessageContaining("'sleeper' was killed")
                .cause().isInstanceOf(TaskletExit.class)
                .hasMessageContaining("'sleeper' was killed while blocked in Tasklet.sleep");
    }

    @Test
    void yieldNowThrowsTaskletExitWhenKilled() {
        CountDownLatch running = new CountDownLatch(1);
        Tasklet<Throwable> yielder = Tasklet.named("yielder").spawn(() -> {
            running.countDown();
            spinUntilKilled();
            return catchThrowable(Tasklet::yieldNow);
        });
        await(running);

        yielder.kill();

        assertThat(yielder.join(SAFETY)).isInstanceOf(TaskletExit.class)
                .hasMessageContaining("'yielder' was killed while blocked in Tasklet.yieldNow");
    }

    @Test
    void yieldNowReturnsWhenNotKilled() {
        Tasklet<String> yielder = Tasklet.spawn(() -> {
            for (int i = 0; i < 100; i++) {
                Tasklet.yieldNow();
            }
            return "yielded";
        });

        assertThat(yielder.join(SAFETY)).isEqualTo("yielded");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -60_000})
    void sleepWithZeroOrNegativeDurationReturnsAtOnce(long millis) throws Exception {
        for (Caller caller : Caller.values()) {
            Duration slept = caller.call(() -> {
                long start = System.nanoTime();
                Tasklet.sleep(Duration.ofMillis(millis));
                return elapsedSince(start);
            });

            assertThat(slept).as("on %s", caller).isLessThan(AT_ONCE);
        }
    }

    // ---- stats ----

    @Test
    void statsCountSpawnedAndAliveTasklets() {
        int count = 20;
        Tasklet.Stats before = Tasklet.stats();
        CountDownLatch release = new CountDownLatch(1);
        List<Tasklet<Void>> tasklets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasklets.add(Tasklet.spawn(() -> block(release)));
        }
        try {
            Tasklet.Stats during = Tasklet.stats();
            assertThat(during.spawned() - before.spawned()).isGreaterThanOrEqualTo(count);
            assertThat(during.alive()).isGreaterThanOrEqualTo(count);
            assertThat(during.alive() - before.alive()).isGreaterThanOrEqualTo(count);
        } finally {
            release.countDown();
            Tasklet.joinAll(tasklets, SAFETY);
        }
        // other tasklets of this JVM may still be winding down: the count only has to get back to the baseline
        awaitCondition("Tasklet.stats().alive() is back to " + before.alive(),
                () -> Tasklet.stats().alive() <= before.alive());
        assertThat(Tasklet.stats().spawned() - before.spawned()).isGreaterThanOrEqualTo(count);
    }
}
