package io.concurrence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The receiver's record of calls it took and has not answered: kept small while calls are answered, and
 * failed at the callers when the receiver finishes.
 */
@org.junit.jupiter.api.Timeout(60)
class UnansweredCallsTest {

    private static final Duration SAFETY = Duration.ofSeconds(10);
    private static final Duration LONG_CALL = Duration.ofSeconds(30);

    record Ask(int n) implements Call<Integer> {
    }

    @Test
    void theOneCallLeftUnansweredAmongManyFailsPromptlyWhenTheReceiverFinishes() {
        int calls = 500;
        int ignored = 321;
        Tasklet<Void> receiver = Tasklet.spawn(() -> {
            for (int i = 0; i < calls; i++) {
                Envelope envelope = Tasklet.receive();
                int n = ((Ask) envelope.message()).n();
                if (n != ignored) {
                    envelope.reply(n * 2);
                }
            }
        });
        List<Tasklet<Integer>> callers = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < calls; i++) {
            int n = i;
            callers.add(Tasklet.spawn(() -> {
                try {
                    return receiver.call(new Ask(n), LONG_CALL);
                } catch (CallFailedException e) {
                    assertThat(e).hasMessageContaining("finished without replying").hasMessageContaining("Ask[n=321]");
                    failures.incrementAndGet();
                    return -1;
                }
            }));
        }

        long start = System.nanoTime();
        List<Tasklet.Result<Integer>> results = Tasklet.joinAll(callers, SAFETY);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LONG_CALL);
        assertThat(failures).hasValue(1);
        for (int i = 0; i < calls; i++) {
            assertThat(results.get(i).get()).isEqualTo(i == ignored ? -1 : i * 2);
        }
        receiver.join(SAFETY);
    }

    @Test
    void callsTheirCallersGaveUpOnDoNotLingerAndDoNotFailAnyone() {
        Channel<String> release = new Channel<>();
        Tasklet<Void> receiver = Tasklet.spawn(() -> {
            for (int i = 0; i < 100; i++) {
                Tasklet.receive(); // never answered
            }
            release.receive();
        });
        for (int i = 0; i < 100; i++) {
            int n = i;
            assertThatThrownBy(() -> receiver.call(new Ask(n), Duration.ofMillis(1)))
                    .isInstanceOf(TimeoutException.class);
        }
        release.send("go");

        assertThat(receiver.join(SAFETY)).isNull();
    }
}
