package io.concurrence;

import static io.concurrence.TaskletTestSupport.SAFETY;
import static io.concurrence.TaskletTestSupport.await;
import static io.concurrence.TaskletTestSupport.block;
import static io.concurrence.TaskletTestSupport.killAndJoin;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(60)
class TaskletTreeTest {

    @Test
    void parentIsTheSpawningTasklet() {
        CountDownLatch spawned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Tasklet<Void>> child = new AtomicReference<>();
        Tasklet<Void> parent = Tasklet.named("parent").spawn(() -> {
            child.set(Tasklet.named("child").spawn(() -> block(release)));
            spawned.countDown();
            block(release);
        });
        try {
            await(spawned);

            assertThat(child.get().parent()).containsSame(parent);
            assertThat(parent.children()).containsExactly(child.get());
            assertThat(Tasklet.roots()).contains(parent).doesNotContain(child.get());
        } finally {
            release.countDown();
            killAndJoin(child.get(), parent);
        }
    }

    @Test
    void daemonHasNoParentAndIsARoot() {
        CountDownLatch spawned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Tasklet<Void>> daemon = new AtomicReference<>();
        Tasklet<Void> parent = Tasklet.spawn(() -> {
            daemon.set(Tasklet.named("daemon").daemon(true).spawn(() -> block(release)));
            spawned.countDown();
            block(release);
        });
        try {
            await(spawned);

            assertThat(daemon.get().parent()).isEmpty();
            assertThat(parent.children()).isEmpty();
            assertThat(Tasklet.roots()).contains(daemon.get(), parent);
        } finally {
            release.countDown();
            killAndJoin(daemon.get(), parent);
        }
    }

    @Test
    void taskletSpawnedFromPlatformThreadIsARoot() {
        CountDownLatch release = new CountDownLatch(1);
        Tasklet<Void> root = Tasklet.spawn(() -> block(release));
        try {
            assertThat(root.parent()).isEmpty();
            assertThat(Tasklet.roots()).contains(root);
        } finally {
            release.countDown();
            killAndJoin(root);
        }
        assertThat(Tasklet.roots()).doesNotContain(root);
    }

    @Test
    void childrenContainsLiveChildrenAndAChildIsRemovedWhenItFinishes() {
        CountDownLatch spawned = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch releaseRest = new CountDownLatch(1);
        List<Tasklet<?>> children = new ArrayList<>();
        Tasklet<Void> parent = Tasklet.spawn(() -> {
            children.add(Tasklet.spawn(() -> block(releaseFirst)));
            children.add(Tasklet.spawn(() -> block(releaseRest)));
            spawned.countDown();
            block(releaseRest);
        });
        try {
            await(spawned);
            Tasklet<?> first = children.get(0);
            Tasklet<?> second = children.get(1);
            assertThat(parent.children()).containsExactlyInAnyOrder(first, second);

            releaseFirst.countDown();
            first.join(SAFETY);

            assertThat(parent.children()).containsExactly(second);
            assertThat(first.parent()).isEmpty();
            assertThat(Tasklet.roots()).doesNotContain(first);
        } finally {
            releaseFirst.countDown();
            releaseRest.countDown();
            killAndJoin(children.toArray(Tasklet<?>[]::new));
            killAndJoin(parent);
        }
    }

    @Test
    void childrenOutliveAParentThatFinishesFirstAndThenAppearAmongRoots() {
        CountDownLatch release = new CountDownLatch(1);
        Tasklet<Tasklet<Void>> parent = Tasklet.named("short-lived").spawn(
                () -> Tasklet.named("orphan").spawn(() -> block(release)));
        Tasklet<Void> orphan = parent.join(SAFETY);
        try {
            assertThat(parent.isDone()).isTrue();
            assertThat(orphan.isDone()).isFalse();
            assertThat(orphan.parent()).isEmpty();
            assertThat(parent.children()).isEmpty();
            assertThat(Tasklet.roots()).contains(orphan).doesNotContain(parent);

            release.countDown();
            orphan.join(SAFETY);

            assertThat(Tasklet.roots()).doesNotContain(orphan);
        } finally {
            release.countDown();
            killAndJoin(orphan);
        }
    }

    @Test
    void treeRendersThisTaskletFirstThenDescendantsDepthFirstIndentedTwoSpacesPerLevel() {
        CountDownLatch ready = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        List<Tasklet<?>> all = new ArrayList<>();
        Tasklet<Void> root = Tasklet.named("tree-root").spawn(() -> {
            Tasklet<Void> a = Tasklet.named("tree-a").spawn(() -> {
                Tasklet.named("tree-a1").spawn(() -> block(release));
                ready.countDown();
                block(release);
            });
            Tasklet<Void> b = Tasklet.named("tree-b").spawn(() -> {
                ready.countDown();
                block(release);
            });
            all.add(a);
            all.add(b);
            ready.countDown();
            block(release);
        });
        try {
            await(ready);

            List<String> lines = root.tree().lines().toList();

            assertThat(lines).hasSize(4);
            assertLine(lines.get(0), "tree-root", 0);
            int a = indexOf(lines, "tree-a");
            int b = indexOf(lines, "tree-b");
            int a1 = indexOf(lines, "tree-a1");
            assertLine(lines.get(a), "tree-a", 1);
            assertLine(lines.get(b), "tree-b", 1);
            assertLine(lines.get(a1), "tree-a1", 2);
            assertThat(a1).as("a child follows its parent, depth-first").isEqualTo(a + 1);
            assertThat(List.of(a, b, a1)).containsExactlyInAnyOrder(1, 2, 3);

            List<String> subtree = all.get(0).tree().lines().toList();
            assertThat(subtree).hasSize(2);
            assertLine(subtree.get(0), "tree-a", 0);
            assertLine(subtree.get(1), "tree-a1", 1);
        } finally {
            release.countDown();
            for (Tasklet<?> child : all) {
                killAndJoin(child.children().toArray(Tasklet<?>[]::new));
            }
            killAndJoin(all.toArray(Tasklet<?>[]::new));
            killAndJoin(root);
        }
    }

    @Test
    void finishedTaskletsDisappearFromTree() {
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch releaseLeaf = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Tasklet<Void>> leaf = new AtomicReference<>();
        AtomicReference<Tasklet<Void>> middle = new AtomicReference<>();
        Tasklet<Void> root = Tasklet.named("fading-root").spawn(() -> {
            middle.set(Tasklet.named("fading-middle").spawn(() -> {
                leaf.set(Tasklet.named("fading-leaf").spawn(() -> block(releaseLeaf)));
                ready.countDown();
                block(release);
            }));
            block(release);
        });
        try {
            await(ready);
            assertThat(root.tree()).containsPattern(wholeWord("fading-leaf"));

            releaseLeaf.countDown();
            leaf.get().join(SAFETY);

            List<String> lines = root.tree().lines().toList();
            assertThat(lines).hasSize(2);
            assertLine(lines.get(0), "fading-root", 0);
            assertLine(lines.get(1), "fading-middle", 1);
            assertThat(root.tree()).doesNotContainPattern(wholeWord("fading-leaf"));
        } finally {
            releaseLeaf.countDown();
            release.countDown();
            killAndJoin(leaf.get(), middle.get(), root);
        }
    }

    @Test
    void stateIsWhatTreeShowsInBrackets() {
        Tasklet<Void> sleeper = Tasklet.named("state-sleeper").spawn(() -> Tasklet.sleep(SAFETY.multipliedBy(10)));
        try {
            long deadline = System.nanoTime() + SAFETY.toNanos();
            while (!sleeper.state().equals("waiting on Tasklet.sleep") && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000); // a bounded retry: the sleeper parks soon after it starts
            }

            assertThat(sleeper.state()).isEqualTo("waiting on Tasklet.sleep");
            assertThat(sleeper.tree()).isEqualTo("state-sleeper [waiting on Tasklet.sleep]");
        } finally {
            killAndJoin(sleeper);
        }
        assertThat(sleeper.state()).isEqualTo("done");
        assertThat(sleeper.tree()).isEqualTo("state-sleeper [done]");
    }

    @Test
    void treeOfAFinishedTaskletIsItsOwnLine() {
        Tasklet<Void> done = Tasklet.named("already-done").spawn(() -> { });
        done.join(SAFETY);

        assertThat(done.tree().lines().toList()).singleElement()
                .satisfies(line -> assertLine(line, "already-done", 0));
    }

    @Test
    void rootsNeverContainFinishedTaskletsWhenParentsAndChildrenFinishConcurrently() {
        int parents = 200;
        int childrenPerParent = 5;
        for (int round = 0; round < 5; round++) {
            CountDownLatch spawned = new CountDownLatch(parents);
            CountDownLatch go = new CountDownLatch(1);
            List<Tasklet<List<Tasklet<Void>>>> parentTasklets = new ArrayList<>();
            for (int p = 0; p < parents; p++) {
                parentTasklets.add(Tasklet.spawn(() -> {
                    List<Tasklet<Void>> children = new ArrayList<>();
                    for (int c = 0; c < childrenPerParent; c++) {
                        children.add(Tasklet.spawn(() -> {
                            block(go);
                            randomYields();
                        }));
                    }
                    spawned.countDown();
                    block(go);
                    randomYields();
                    return children;
                }));
            }
            await(spawned);

            go.countDown();

            List<Tasklet<?>> all = new ArrayList<>(parentTasklets);
            for (Tasklet<List<Tasklet<Void>>> parent : parentTasklets) {
                all.addAll(parent.join(SAFETY));
            }
            Tasklet.joinAll(all, SAFETY);
            assertThat(all).hasSize(parents * (childrenPerParent + 1)).allMatch(Tasklet::isDone);
            assertThat(Tasklet.roots()).as("roots after round %d", round).doesNotContainAnyElementsOf(all);
        }
    }

    private static void randomYields() {
        int yields = ThreadLocalRandom.current().nextInt(20);
        for (int i = 0; i < yields; i++) {
            Thread.yield();
        }
    }

    private static Pattern wholeWord(String name) {
        return Pattern.compile("\\b" + Pattern.quote(name) + "\\b");
    }

    private static int indexOf(List<String> lines, String name) {
        Pattern pattern = wholeWord(name);
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        throw new AssertionError("no line names " + name + " in " + lines);
    }

    /** The line is indented {@code 2 * level} spaces and names {@code name} as a whole word. */
    private static void assertLine(String line, String name, int level) {
        Matcher indent = Pattern.compile("^( *)\\S").matcher(line);
        assertThat(indent.find()).as("line %s has content", line).isTrue();
        assertThat(indent.group(1)).as("indentation of %s", line).hasSize(2 * level);
        assertThat(line).containsPattern(wholeWord(name));
    }
}
