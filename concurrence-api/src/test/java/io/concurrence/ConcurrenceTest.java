package io.concurrence;

import static io.concurrence.TaskletTestSupport.FOREVER;
import static io.concurrence.TaskletTestSupport.SAFETY;
import static io.concurrence.TaskletTestSupport.await;
import static io.concurrence.TaskletTestSupport.awaitCondition;
import static io.concurrence.TaskletTestSupport.block;
import static io.concurrence.TaskletTestSupport.killAndJoin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.concurrence.TaskletTestSupport.Caller;
import io.concurrence.internal.Sigint;

@org.junit.jupiter.api.Timeout(60)
class ConcurrenceTest {

    /**
     * {@link Concurrence#dispatch} with a watchdog: if nothing quits within {@link TaskletTestSupport#SAFETY},
     * the dispatch ends with {@link Concurrence#EXIT_TIMEOUT} and the test's assertion on the code fails.
     */
    private static int dispatch(Runnable main) {
        CountDownLatch returned = new CountDownLatch(1);
        Thread watchdog = Thread.ofPlatform().daemon().name("dispatch-watchdog").start(() -> {
            try {
                if (!returned.await(SAFETY.toNanos(), TimeUnit.NANOSECONDS)) {
                    Concurrence.quit(Concurrence.EXIT_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            return Concurrence.dispatch(main);
        } finally {
            returned.countDown();
            try {
                watchdog.join(SAFETY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void dispatchRunsMainInATaskletNamedMainAndReturnsTheCodeGivenToQuit() {
        AtomicReference<String> name = new AtomicReference<>();
        AtomicBoolean onTasklet = new AtomicBoolean();

        int code = dispatch(() -> {
            name.set(Tasklet.current().name());
            onTasklet.set(Thread.currentThread().isVirtual());
            Concurrence.quit(42);
        });

        assertThat(code).isEqualTo(42);
        assertThat(name).hasValue("main");
        assertThat(onTasklet).isTrue();
    }

    /** Who calls {@link Concurrence#quit}. */
    enum Quitter {
        MAIN_TASKLET(quit -> quit.run()),
        CHILD_TASKLET(quit -> Tasklet.spawn(quit).join(SAFETY)),
        DAEMON_TASKLET(quit -> Tasklet.named("quitter").daemon(true).spawn(quit)),
        PLATFORM_THREAD(quit -> Thread.ofPlatform().start(quit));

        final Consumer<Runnable> fromMain;

        Quitter(Consumer<Runnable> fromMain) {
            this.fromMain = fromMain;
        }
    }

    @ParameterizedTest
    @EnumSource(Quitter.class)
    void quitFromAnyThreadEndsDispatchWithItsCode(Quitter quitter) {
        int code = dispatch(() -> quitter.fromMain.accept(() -> Concurrence.quit(7)));

        assertThat(code).isEqualTo(7);
    }

    @Test
    void quitFromAnotherPlatformThreadEndsDispatch() throws Exception {
        CountDownLatch mainStarted = new CountDownLatch(1);
        Thread quitter = Thread.ofPlatform().name("quitter").start(() -> {
            await(mainStarted);
            Concurrence.quit(5);
        });

        int code = dispatch(mainStarted::countDown);

        assertThat(code).isEqualTo(5);
        assertThat(quitter.join(SAFETY)).isTrue();
    }

    @Test
    void theFirstQuitWins() {
        int code = dispatch(() -> {
            Concurrence.quit(3);
            Concurrence.quit(4);
        });

        assertThat(code).isEqualTo(3);
    }

    @Test
    void dispatchKeepsRunningAfterMainReturnsUntilQuit() throws Exception {
        Thread dispatching = Thread.currentThread();
        AtomicReference<Tasklet<?>> mainTasklet = new AtomicReference<>();
        CountDownLatch mainStarted = new CountDownLatch(1);
        AtomicBoolean quitCalled = new AtomicBoolean();
        AtomicReference<Throwable> quitterFailure = new AtomicReference<>();
        Thread quitter = Thread.ofPlatform().name("late-quitter").start(() -> {
            try {
                await(mainStarted);
                mainTasklet.get().join(SAFETY);
                // main has returned: dispatch must still be blocked
                awaitCondition("dispatch still blocks its thread",
                        () -> dispatching.getState() == Thread.State.WAITING);
                assertThat(mainTasklet.get().isDone()).isTrue();
            } catch (Throwable t) {
                quitterFailure.set(t);
            } finally {
                quitCalled.set(true);
                Concurrence.quit(11);
            }
        });

        int code = dispatch(() -> {
            mainTasklet.set(Tasklet.current());
            mainStarted.countDown();
        });

        assertThat(quitter.join(SAFETY)).isTrue();
        assertThat(quitterFailure.get()).isNull();
        assertThat(quitCalled).as("dispatch returned only after quit").isTrue();
        assertThat(code).isEqualTo(11);
    }

    @Test
    void mainThrowingMakesDispatchReturnExitError() {
        AtomicReference<Tasklet<?>> mainTasklet = new AtomicReference<>();

        int code = dispatch(() -> {
            mainTasklet.set(Tasklet.current());
            throw new IllegalStateException("main failed (expected in this test)");
        });

        assertThat(code).isEqualTo(Concurrence.EXIT_ERROR).isEqualTo(1);
        assertThatThrownBy(() -> mainTasklet.get().join(SAFETY)).isInstanceOf(JoinException.class)
                .hasMessageContaining("'main' failed")
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("main failed");
    }

    @Test
    void dispatchFromATaskletThrowsIllegalStateException() {
        AtomicBoolean ran = new AtomicBoolean();

        Throwable thrown = catchThrowable(() -> Caller.TASKLET.call(
                () -> Concurrence.dispatch(() -> ran.set(true))));

        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Concurrence.dispatch called from tasklet")
                .hasNoCause();
        assertThat(ran).isFalse();
    }

    @Test
    void dispatchFromAPlatformThreadWorks() throws Exception {
        int code = Caller.PLATFORM_THREAD.call(() -> dispatch(() -> Concurrence.quit(9)));

        assertThat(code).isEqualTo(9);
    }

    @Test
    void aSecondConcurrentDispatchThrowsIllegalStateException() {
        AtomicReference<Throwable> secondFailure = new AtomicReference<>();
        AtomicBoolean secondRan = new AtomicBoolean();

        int code = dispatch(() -> {
            secondFailure.set(catchThrowable(() -> Caller.PLATFORM_THREAD.call(
                    () -> Concurrence.dispatch(() -> secondRan.set(true)))));
            Concurrence.quit(Concurrence.EXIT_OK);
        });

        assertThat(code).isEqualTo(Concurrence.EXIT_OK);
        assertThat(secondFailure.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running")
                .hasNoCause();
        assertThat(secondRan).isFalse();
    }

    @Test
    void quitWithNoDispatchRunningIsANoOp() {
        Concurrence.quit(5);

        int code = dispatch(() -> Concurrence.quit(6));

        assertThat(code).as("the earlier quit did not leak into this dispatch").isEqualTo(6);
    }

    @Test
    void sigintMakesDispatchReturn127() {
        AtomicInteger raised = new AtomicInteger();

        int code = dispatch(() -> {
            raised.incrementAndGet();
            Sigint.raise();
        });

        assertThat(raised).hasValue(1);
        assertThat(code).isEqualTo(Concurrence.EXIT_SIGINT).isEqualTo(127);
    }

    @Test
    void sigintThroughSunMiscSignalMakesDispatchReturn127() {
        int code = dispatch(() -> sun.misc.Signal.raise(new sun.misc.Signal("INT")));

        assertThat(code).isEqualTo(Concurrence.EXIT_SIGINT);
    }

    @Test
    void interruptingTheDispatchingThreadEndsDispatchWithExitSigint() throws Exception {
        CountDownLatch mainStarted = new CountDownLatch(1);
        AtomicInteger code = new AtomicInteger(-1);
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread dispatching = Thread.ofPlatform().name("dispatching").start(() -> {
            code.set(Concurrence.dispatch(mainStarted::countDown));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        await(mainStarted);
        awaitCondition("dispatch blocks", () -> dispatching.getState() == Thread.State.WAITING);

        dispatching.interrupt();

        assertThat(dispatching.join(SAFETY)).isTrue();
        assertThat(code).hasValue(Concurrence.EXIT_SIGINT);
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void afterDispatchReturnsTheMainTaskletAndItsDescendantsAreKilled() {
        // several rounds: the kill races with the killed tasklets finishing and orphaning their children
        for (int round = 0; round < 20; round++) {
            Channel<Object> never = new Channel<>();
            AtomicReference<Tasklet<?>> mainTasklet = new AtomicReference<>();
            AtomicReference<Tasklet<Object>> child = new AtomicReference<>();
            AtomicReference<Tasklet<Object>> grandchild = new AtomicReference<>();

            int code = dispatch(() -> {
                mainTasklet.set(Tasklet.current());
                child.set(Tasklet.named("blocked-child").spawn(() -> {
                    grandchild.set(Tasklet.named("blocked-grandchild").spawn(() -> never.receive()));
                    return never.receive();
                }));
                awaitCondition("child and grandchild wait on the channel", () -> never.balance() == -2);
                Concurrence.quit(Concurrence.EXIT_OK);
                Tasklet.sleep(FOREVER);
            });

            Tasklet<?>[] tree = {mainTasklet.get(), child.get(), grandchild.get()};
            try {
                assertThat(code).isEqualTo(Concurrence.EXIT_OK);
                for (Tasklet<?> tasklet : tree) {
                    assertThat(tasklet.isKilled()).as("round %d: %s killed when dispatch returned", round, tasklet)
                            .isTrue();
                }
                for (Tasklet<?> tasklet : tree) {
                    assertThatThrownBy(() -> tasklet.join(SAFETY)).as("%s", tasklet)
                            .isInstanceOf(JoinException.class)
                            .hasMessageContaining("was killed")
                            .cause().isInstanceOf(TaskletExit.class);
                }
                assertThat(never.balance()).isZero();
            } finally {
                killAndJoin(tree);
            }
        }
    }

    @Test
    void afterDispatchReturnsDaemonsAreLeftAlone() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Tasklet<String>> daemon = new AtomicReference<>();

        int code = dispatch(() -> {
            daemon.set(Tasklet.named("survivor").daemon(true).spawn(() -> {
                block(release);
                return "survived";
            }));
            Concurrence.quit(Concurrence.EXIT_OK);
        });

        try {
            assertThat(code).isEqualTo(Concurrence.EXIT_OK);
            assertThat(daemon.get().isKilled()).isFalse();
            assertThat(daemon.get().isDone()).isFalse();
            release.countDown();
            assertThat(daemon.get().join(SAFETY)).isEqualTo("survived");
        } finally {
            release.countDown();
            killAndJoin(daemon.get());
        }
    }
}
