package io.concurrence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.concurrence.Channel;
import io.concurrence.Tasklet;

/**
 * Tasklets on a given virtual-thread factory, and virtual threads scheduled by a given executor (the test JVM
 * opens {@code java.base/java.lang}, as the HTTP server's event-loop-carrier mode requires).
 */
@org.junit.jupiter.api.Timeout(60)
class TaskletThreadsTest {

    private static final Duration SAFETY = Duration.ofSeconds(10);

    @Test
    void spawnStartsAChildTaskletOnTheGivenFactory() {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory virtual = Thread.ofVirtual().factory();
        ThreadFactory counting = task -> {
            made.incrementAndGet();
            return virtual.newThread(task);
        };

        Tasklet<Tasklet<?>> parent = Tasklet.spawn(() -> {
            Channel<Tasklet<?>> seen = new Channel<>();
            Channel<String> release = new Channel<>();
            Tasklet<Void> child = TaskletThreads.spawn(counting, () -> {
                seen.send(Tasklet.current());
                release.receive(SAFETY);
            });
            assertThat(seen.receive(SAFETY)).isSameAs(child);
            assertThat(child.parent()).containsSame(Tasklet.current());
            release.send("done", SAFETY);
            child.join(SAFETY);
            return child;
        });

        assertThat(parent.join(SAFETY).isDone()).isTrue();
        assertThat(made).hasValue(1);
    }

    @Test
    void scheduledThreadsRunEveryContinuationThroughTheExecutor() throws Exception {
        ExecutorService carrier = Executors.newSingleThreadExecutor(task -> new Thread(task, "test-carrier"));
        try {
            AtomicInteger continuations = new AtomicInteger();
            Executor scheduler = continuation -> {
                continuations.incrementAndGet();
                carrier.execute(continuation);
            };
            ThreadFactory threads = TaskletThreads.scheduledBy(scheduler);
            assertThat(threads).as("scheduledBy needs --add-opens java.base/java.lang: %s",
                    TaskletThreads.unavailableReason()).isNotNull();

            List<String> carriers = new CopyOnWriteArrayList<>();
            CountDownLatch release = new CountDownLatch(1);
            Tasklet<Void> tasklet = TaskletThreads.spawn(threads, () -> {
                carriers.add(carrierName());
                awaitQuietly(release);                            // parks: unmounts from the carrier
                carriers.add(carrierName());
            });
            // The carrier runs other work while the tasklet is parked: the tasklet is not pinned to it.
            carrier.submit(() -> carriers.add("probe")).get(SAFETY.toSeconds(), TimeUnit.SECONDS);
            release.countDown();
            tasklet.join(SAFETY);

            assertThat(carriers).containsExactly("test-carrier", "probe", "test-carrier");
            assertThat(continuations.get()).as("the start and the resume after the park").isEqualTo(2);
        } finally {
            carrier.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The virtual thread's carrier, as its toString names it ({@code VirtualThread[#n]/runnable@carrier}). */
    private static String carrierName() {
        String description = Thread.currentThread().toString();
        return description.substring(description.indexOf('@') + 1);
    }
}
