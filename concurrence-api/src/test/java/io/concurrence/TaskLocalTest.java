package io.concurrence;

import static io.concurrence.TaskletTestSupport.SAFETY;
import static io.concurrence.TaskletTestSupport.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.TaskletTestSupport.Caller;
import io.concurrence.internal.Propagation;

@org.junit.jupiter.api.Timeout(60)
class TaskLocalTest {

    @ParameterizedTest
    @EnumSource(Caller.class)
    void setGetFindAndRemoveWorkForTheCurrentTaskletOrThread(Caller caller) throws Exception {
        TaskLocal<String> local = new TaskLocal<>();

        caller.run(() -> {
            assertThat(local.find()).isEmpty();

            local.set("value");
            assertThat(local.get()).isEqualTo("value");
            assertThat(local.find()).contains("value");

            local.set("replaced");
            assertThat(local.get()).isEqualTo("replaced");

            local.remove();
            assertThat(local.find()).isEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void getWithoutValueThrowsNoSuchElementException(Caller caller) throws Exception {
        TaskLocal<String> local = new TaskLocal<>(true);

        caller.run(() -> assertThatThrownBy(local::get).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("No value for " + local)
                .hasMessageContaining("or its ancestors")
                .hasNoCause());
    }

    @Test
    void valuesAreIsolatedBetweenTasklets() {
        TaskLocal<String> local = new TaskLocal<>();
        CountDownLatch bothSet = new CountDownLatch(2);
        Tasklet<String> first = Tasklet.spawn(() -> {
            local.set("first");
            bothSet.countDown();
            block(bothSet);
            return local.get();
        });
        Tasklet<String> second = Tasklet.spawn(() -> {
            local.set("second");
            bothSet.countDown();
            block(bothSet);
            return local.get();
        });

        assertThat(first.join(SAFETY)).isEqualTo("first");
        assertThat(second.join(SAFETY)).isEqualTo("second");
        assertThat(local.find()).as("the test thread has no value").isEmpty();
    }

    @Test
    void recursiveLookupWalksUpTheParentChain() {
        TaskLocal<String> local = new TaskLocal<>(true);

        Tasklet<Optional<String>> grandparent = Tasklet.spawn(() -> {
            local.set("from grandparent");
            return Tasklet.spawn(() -> Tasklet.spawn(local::find).join(SAFETY)).join(SAFETY);
        });

        assertThat(grandparent.join(SAFETY)).contains("from grandparent");
        assertThat(local.isRecursive()).isTrue();
    }

    @Test
    void recursiveLookupFindsTheNearestAncestorsValue() {
        TaskLocal<String> local = new TaskLocal<>(true);

        Tasklet<Optional<String>> grandparent = Tasklet.spawn(() -> {
            local.set("from grandparent");
            return Tasklet.spawn(() -> {
                local.set("from parent");
                return Tasklet.spawn(local::find).join(SAFETY);
            }).join(SAFETY);
        });

        assertThat(grandparent.join(SAFETY)).contains("from parent");
    }

    @Test
    void nonRecursiveLookupDoesNotWalkUpTheParentChain() {
        TaskLocal<String> local = new TaskLocal<>(false);

        Tasklet<Optional<String>> parent = Tasklet.spawn(() -> {
            local.set("parent only");
            return Tasklet.spawn(local::find).join(SAFETY);
        });

        assertThat(parent.join(SAFETY)).isEmpty();
        assertThat(local.isRecursive()).isFalse();
    }

    @Test
    void setAndRemoveAffectOnlyTheCurrentTasklet() {
        TaskLocal<String> local = new TaskLocal<>(true);

        Tasklet<List<Optional<String>>> parent = Tasklet.spawn(() -> {
            local.set("parent");
            List<Optional<String>> seenByChild = Tasklet.spawn(() -> {
                local.set("child");
                Optional<String> own = local.find();
                local.remove();
                Optional<String> afterRemove = local.find();
                return List.of(own, afterRemove);
            }).join(SAFETY);
            Tasklet.spawn(local::remove).join(SAFETY); // a child's remove never reaches the parent's value
            return List.of(seenByChild.get(0), seenByChild.get(1), local.find());
        });

        assertThat(parent.join(SAFETY)).containsExactly(
                Optional.of("child"),         // the child's own value shadows the parent's
                Optional.of("parent"),        // removed: the lookup reaches the parent again
                Optional.of("parent"));       // the parent's value was never touched
    }

    @Test
    void daemonTaskletsDoNotSeeTheirSpawnersValues() {
        TaskLocal<String> local = new TaskLocal<>(true);

        Tasklet<Optional<String>> parent = Tasklet.spawn(() -> {
            local.set("not for daemons");
            return Tasklet.named("daemon").daemon(true).spawn(local::find).join(SAFETY);
        });

        assertThat(parent.join(SAFETY)).isEmpty();
    }

    @Test
    void valuesOfAFinishedParentAreNoLongerSeenByItsOrphans() {
        TaskLocal<String> local = new TaskLocal<>(true);
        CountDownLatch parentDone = new CountDownLatch(1);
        Tasklet<Tasklet<Optional<String>>> parent = Tasklet.spawn(() -> {
            local.set("gone with the parent");
            return Tasklet.spawn(() -> {
                block(parentDone);
                return local.find();
            });
        });
        Tasklet<Optional<String>> orphan = parent.join(SAFETY);

        parentDone.countDown();

        assertThat(orphan.join(SAFETY)).isEmpty();
    }

    @Test
    void onPlatformThreadsValuesArePerThread() throws Exception {
        TaskLocal<String> local = new TaskLocal<>(true);
        local.set("test thread");
        try {
            Optional<String> seenByOtherThread = Caller.PLATFORM_THREAD.call(() -> {
                Optional<String> before = local.find();
                local.set("other thread");
                return before;
            });
            Optional<String> seenByTasklet = Tasklet.spawn(local::find).join(SAFETY);

            assertThat(seenByOtherThread).isEmpty();
            assertThat(seenByTasklet).as("a tasklet spawned from a platform thread is a root").isEmpty();
            assertThat(local.get()).isEqualTo("test thread");
        } finally {
            local.remove();
        }
        assertThat(local.find()).isEmpty();
    }

    // ---- propagated task-locals ----

    @Test
    void propagatedReturnsTheSameRecursiveInstanceForTheSameKey() {
        TaskLocal<String> first = TaskLocal.propagated("test.tasklocal.same-key");
        TaskLocal<String> second = TaskLocal.propagated("test.tasklocal.same-key");
        TaskLocal<String> other = TaskLocal.propagated("test.tasklocal.other-key");

        assertThat(second).isSameAs(first);
        assertThat(other).isNotSameAs(first);
        assertThat(first.isRecursive()).isTrue();
        assertThat(first.contextKey()).contains("test.tasklocal.same-key");
        assertThat(new TaskLocal<String>(true).contextKey()).isEmpty();
    }

    @Test
    void propagatedTaskLocalIsSeenByDescendants() {
        TaskLocal<String> local = TaskLocal.propagated("test.tasklocal.descendants");

        Tasklet<Optional<String>> parent = Tasklet.spawn(() -> {
            local.set("inherited");
            return Tasklet.spawn(local::find).join(SAFETY);
        });

        assertThat(parent.join(SAFETY)).contains("inherited");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void propagatedWithBlankKeyThrowsIllegalArgumentException(String key) {
        assertThatThrownBy(() -> TaskLocal.propagated(key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contextKey must not be blank")
                .hasNoCause();
    }

    @Test
    void propagationCaptureAndRestoreRoundTripThePropagatedValues() {
        TaskLocal<String> user = TaskLocal.propagated("test.tasklocal.user");
        TaskLocal<Integer> tenant = TaskLocal.propagated("test.tasklocal.tenant");
        TaskLocal<String> plain = new TaskLocal<>(true);

        Map<String, Object> captured = Tasklet.spawn(() -> {
            user.set("alice");
            tenant.set(7);
            plain.set("not propagated");
            return Propagation.capture();
        }).join(SAFETY);

        assertThat(captured).containsEntry("test.tasklocal.user", "alice")
                .containsEntry("test.tasklocal.tenant", 7)
                .doesNotContainValue("not propagated");

        Tasklet<List<Object>> receiver = Tasklet.spawn(() -> {
            assertThat(user.find()).isEmpty();
            Propagation.restore(captured);
            Propagation.restore(Map.of("test.tasklocal.unknown-key", "ignored"));
            return List.of(user.get(), tenant.get(), Propagation.capture());
        });
        List<Object> seen = receiver.join(SAFETY);
        assertThat(seen.get(0)).isEqualTo("alice");
        assertThat(seen.get(1)).isEqualTo(7);
        assertThat(seen.get(2)).isEqualTo(captured);
        assertThat(Propagation.isEmpty()).isFalse();
    }
}
