package io.concurrence.reactor;

import static io.concurrence.reactor.BridgeTestSupport.SAFETY;
import static io.concurrence.reactor.BridgeTestSupport.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoopGroup;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

import io.concurrence.Tasklet;

/**
 * Many tasklets awaiting at once, with the values delivered by Netty event loops (issue 3, "Tests": 10 000
 * concurrent tasklets awaiting Monos that complete on Netty event loops).
 */
@org.junit.jupiter.api.Timeout(120)
class AwaitLoadTest {

    private static final int TASKLETS = 10_000;
    /** How long all of them may take together: generous for 2 shared CI cores. */
    private static final Duration ALL_JOINED = Duration.ofSeconds(60);

    private static LoopResources loops;
    private static EventLoopGroup eventLoops;

    @BeforeAll
    static void startEventLoops() {
        loops = LoopResources.create("await-load", 2, true);
        eventLoops = loops.onServer(false);
    }

    @AfterAll
    static void stopEventLoops() {
        loops.disposeLater().block(SAFETY);
    }

    @Test
    void tenThousandTaskletsAwaitingMonosThatCompleteOnNettyEventLoopsAllGetTheirOwnValue() {
        Scheduler onEventLoops = Schedulers.fromExecutorService(eventLoops, "await-load");
        Set<String> signallingThreads = ConcurrentHashMap.newKeySet();
        long baseline = Tasklet.stats().alive();
        List<Tasklet<Integer>> tasklets = new ArrayList<>(TASKLETS);

        for (int i = 0; i < TASKLETS; i++) {
            int n = i;
            Duration delay = Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 21));
            tasklets.add(Tasklet.spawn(() -> Await.of(Mono.just(n)
                    .delayElement(delay, onEventLoops)
                    .doOnNext(v -> signallingThreads.add(Thread.currentThread().getName()))
                    .map(v -> v * 2))));
        }
        List<Tasklet.Result<Integer>> results = Tasklet.joinAll(tasklets, ALL_JOINED);

        assertThat(results).hasSize(TASKLETS);
        for (int i = 0; i < TASKLETS; i++) {
            Tasklet.Result<Integer> result = results.get(i);
            assertThat(result.exception()).as("tasklet %d failed", i).isNull();
            assertThat(result.value()).as("tasklet %d", i).isEqualTo(2 * i);
        }
        assertThat(signallingThreads).as("values delivered on the Netty event loops")
                .isNotEmpty()
                .allSatisfy(name -> assertThat(name).startsWith("await-load"));
        awaitUntil("every awaiting tasklet has finished", () -> Tasklet.stats().alive() <= baseline);
    }
}
