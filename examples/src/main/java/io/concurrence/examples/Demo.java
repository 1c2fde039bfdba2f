package io.concurrence.examples;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.concurrence.Call;
import io.concurrence.Channel;
import io.concurrence.Concurrence;
import io.concurrence.Message;
import io.concurrence.Select;
import io.concurrence.Tasklet;
import io.concurrence.TimeoutException;

/**
 * The README's demo: a two-second tour of the core, in the order of the seed's documentation (tasklets,
 * join, the tree, loop/interval/later, channels, messages and calls, timeouts). It quits by itself.
 */
public final class Demo {

    /** A counter's protocol: a sealed interface of records, consumed by an exhaustive switch. */
    sealed interface CounterMsg extends Message {
    }

    /** Add {@code n} to the count. */
    record Add(int n) implements CounterMsg {
    }

    /** Reply with the count. */
    record Get() implements CounterMsg, Call<Integer> {
    }

    /** Never answered in time: shows a call timing out. */
    record Slow() implements CounterMsg, Call<Integer> {
    }

    private Demo() {
    }

    /** The demo's body: runs inside {@link Concurrence#dispatch}. */
    static void main() {
        section("tasklets and join");
        Tasklet<Integer> t1 = Tasklet.spawn(() -> 10 + 20);
        Tasklet<Integer> t2 = Tasklet.named("adder").spawn(() -> 30 + 40);
        System.out.println("join(t1) = " + t1.join() + ", join(t2) = " + t2.join());

        section("the tasklet tree");
        tree();

        section("loop, interval, later");
        loopIntervalLater();

        section("channels and select");
        channels();

        section("messages and calls");
        messages();

        section("done");
        System.out.println(Tasklet.stats());
        Concurrence.quit(Concurrence.EXIT_OK);
    }

    private static void tree() {
        Channel<String> release = new Channel<>();
        Tasklet<Void> parent = Tasklet.named("parent").spawn(() -> {
            for (int i = 1; i <= 3; i++) {
                Tasklet.named("task" + i).spawn(() -> {
                    release.receive();
                });
            }
            Tasklet.joinChildren(Duration.ofSeconds(5));
        });
        while (release.balance() > -3) {
            Tasklet.sleep(Duration.ofMillis(5));
        }
        System.out.println(parent.tree());
        for (int i = 0; i < 3; i++) {
            release.send("go");
        }
        parent.join(Duration.ofSeconds(5));
        System.out.println("after the children finished: " + parent.children());
    }

    private static void loopIntervalLater() {
        AtomicInteger loops = new AtomicInteger();
        Channel<String> ticks = Channel.buffered(16);
        Tasklet<Void> looper = Tasklet.named("looper").loop(() -> {
            Tasklet.sleep(Duration.ofMillis(50));
            loops.incrementAndGet();
        });
        Tasklet<Void> ticker = Tasklet.named("ticker").interval(Duration.ofMillis(100), () -> ticks.offer("tick"));
        Tasklet<String> later = Tasklet.later(Duration.ofMillis(350), () -> "later, after 350 ms");
        System.out.println(later.join());
        looper.kill();
        ticker.kill();
        System.out.println("the loop ran " + (loops.get() >= 3 ? "several" : loops.get()) + " times, the interval"
                + " ticked " + (ticks.size() >= 2 ? "several" : ticks.size()) + " times");
    }

    private static void channels() {
        Channel<Integer> numbers = new Channel<>();
        Channel<String> words = Channel.buffered(4);
        Tasklet.named("numbers").spawn(() -> {
            for (int i = 1; i <= 3; i++) {
                numbers.send(i);
            }
            numbers.close();
        });
        Tasklet.named("words").spawn(() -> {
            for (String w : List.of("one", "two", "three")) {
                words.send(w);
            }
            words.close();
        });
        int received = 0;
        StringBuilder got = new StringBuilder();
        while (received < 6) {
            Select.Received<?> r = Select.receive(Duration.ofSeconds(5), numbers, words);
            got.append(r.channel() == numbers ? "#" : "").append(r.value()).append(' ');
            received++;
        }
        System.out.println("select received (order varies): " + got.toString().trim());
    }

    private static void messages() {
        int[] count = {0};
        Tasklet<Void> counter = Tasklet.named("counter").receiver(envelope -> {
            if (envelope.message() instanceof CounterMsg msg) {
                switch (msg) {
                    case Add add -> count[0] += add.n();
                    case Get get -> envelope.reply(count[0]);
                    case Slow slow -> Tasklet.sleep(Duration.ofMillis(300));
                }
            }
        });
        counter.send(new Add(5));
        counter.send(new Add(37));
        System.out.println("counter says " + counter.call(new Get(), Duration.ofSeconds(5)));
        try {
            counter.call(new Slow(), Duration.ofMillis(100));
        } catch (TimeoutException e) {
            System.out.println("timeout: " + e.getMessage());
        }
        counter.kill();
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(Demo::main));
    }
}
