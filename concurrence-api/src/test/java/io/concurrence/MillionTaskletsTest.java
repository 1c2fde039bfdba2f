package io.concurrence;

import static io.concurrence.TaskletTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The seed's claim that tasklets are cheap enough to run a million of them, here within the test JVM's
 * 1 GiB heap.
 */
@org.junit.jupiter.api.Timeout(value = 5, unit = TimeUnit.MINUTES)
class MillionTaskletsTest {

    private static final int TASKLETS = 1_000_000;
    /** How many tasklets are alive at once: joined a wave at a time, so that finished ones can be collected. */
    private static final int WAVE = 100_000;
    /** The bound for one join: a wave of tasklets queues behind the others on 2 shared cores. */
    private static final Duration WAVE_SAFETY = Duration.ofMinutes(2);

    @Test
    void spawnsAndJoinsAMillionTrivialTasklets() {
        Tasklet.Stats before = Tasklet.stats();
        long sum = 0;
        List<Tasklet<Integer>> wave = new ArrayList<>(WAVE);

        for (int spawned = 0; spawned < TASKLETS; spawned += WAVE) {
            for (int i = 0; i < WAVE; i++) {
                wave.add(Tasklet.spawn(() -> 1));
            }
            for (Tasklet<Integer> tasklet : wave) {
                sum += tasklet.join(WAVE_SAFETY);
            }
            wave.clear();
        }

        assertThat(sum).isEqualTo(TASKLETS);
        assertThat(Tasklet.stats().spawned() - before.spawned()).isGreaterThanOrEqualTo(TASKLETS);
        awaitCondition("Tasklet.stats().alive() is back to " + before.alive(),
                () -> Tasklet.stats().alive() <= before.alive());
    }
}
