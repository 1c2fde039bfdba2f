package io.concurrence.docs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.concurrence.Call;
import io.concurrence.Channel;
import io.concurrence.Concurrence;
import io.concurrence.JoinException;
import io.concurrence.TaskLocal;
import io.concurrence.Tasklet;
import io.concurrence.Timeout;
import io.concurrence.TimeoutException;

/** The snippets of docs/tasklets.md. */
final class TaskletsSnippets {

    /** How often {@link #sweep()} ran. */
    private static final AtomicInteger SWEPT = new AtomicInteger();

    private TaskletsSnippets() {
    }

    /** Compiled only: it exits the JVM. */
    // tag::dispatch[]
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(() -> {
            Tasklet.spawn(() -> System.out.println("Hello World!")).join();
            Concurrence.quit(Concurrence.EXIT_OK);
        }));
    }
    // end::dispatch[]

    @Snippet(output = {"Hello World!", "exit code 0"})
    static void dispatchReturnsTheExitCode() {
        int code = Concurrence.dispatch(() -> {
            Tasklet.spawn(() -> System.out.println("Hello World!")).join();
            Concurrence.quit(Concurrence.EXIT_OK);
        });
        System.out.println("exit code " + code);
    }

    @Snippet(output = {"hi", "done", "30 fetched"})
    static void spawn() {
        // tag::spawn[]
        Tasklet<Integer> t1 = Tasklet.spawn(() -> 10 + 20);               // starts at once
        Tasklet<Void> t2 = Tasklet.spawn(() -> System.out.println("hi"));  // a Runnable: Tasklet<Void>
        Tasklet<String> t3 = Tasklet.named("fetcher").spawn(() -> fetch()); // named: shown by tree(), logs, dumps
        Tasklet<Void> d = Tasklet.named("janitor").daemon(true).spawn(TaskletsSnippets::sweep); // no parent
        // end::spawn[]
        t2.join();
        d.join();
        System.out.println("done");   // after "hi": the two tasklets print nothing that could interleave
        System.out.println(t1.join() + " " + t3.join());
    }

    private static String fetch() {
        return "fetched";
    }

    private static void sweep() {
        SWEPT.incrementAndGet();
    }

    @Snippet(output = {"100", "tasklet-<id> failed: boom"})
    static void join() {
        // tag::join[]
        Tasklet<Integer> t1 = Tasklet.spawn(() -> 10 + 20);
        Tasklet<Integer> t2 = Tasklet.spawn(() -> 30 + 40);
        System.out.println(t1.join() + t2.join());                     // 100

        Tasklet<Void> bad = Tasklet.spawn(() -> {
            throw new IllegalStateException("boom");
        });
        try {
            bad.join(Duration.ofSeconds(1));
        } catch (JoinException e) {
            System.out.println(e.tasklet().name() + " failed: " + e.getCause().getMessage());
        }
        // end::join[]
    }

    @Snippet(output = {"0", "1", "4", "9", "16", "25", "36", "49", "64", "81"})
    static void joinAll() {
        // tag::joinAll[]
        List<Tasklet<Integer>> workers = IntStream.range(0, 10)
                .mapToObj(i -> Tasklet.spawn(() -> i * i)).toList();
        for (Tasklet.Result<Integer> r : Tasklet.joinAll(workers, Duration.ofSeconds(5))) {
            System.out.println(r.isSuccess() ? r.value() : "failed: " + r.exception().getCause());
        }
        // end::joinAll[]
    }

    @Snippet(output = "killed: TaskletExit")
    static void kill() {
        // tag::kill[]
        Channel<String> never = new Channel<>();
        Tasklet<String> waiter = Tasklet.spawn(() -> never.receive());
        waiter.kill();
        try {
            waiter.join(Duration.ofSeconds(1));    // once join returns or throws, the cleanup has run
        } catch (JoinException e) {
            System.out.println("killed: " + e.getCause().getClass().getSimpleName());   // killed: TaskletExit
        }
        // end::kill[]
        if (never.balance() != 0) {
            throw new AssertionError("the killed receive left the channel's balance at " + never.balance());
        }
    }

    private static final Channel<String> REQUESTS = Channel.buffered(1);
    private static final Channel<String> HANDLED = Channel.buffered(1);

    @Snippet
    static void helpers() {
        REQUESTS.send("request-1");
        Tasklet<Void> all = Tasklet.spawn(() -> {
            Channel<String> requests = REQUESTS;
            // tag::helpers[]
            Tasklet<Void> poller  = Tasklet.loop(() -> handle(requests.receive()));   // forever
            Tasklet<Void> ticker  = Tasklet.interval(Duration.ofSeconds(1), () -> System.out.println("tick"));
            Tasklet<Void> eager   = Tasklet.interval(Duration.ofSeconds(1), TaskletsSnippets::refresh, true); // now
            Tasklet<Void> metrics = Tasklet.rate(10, TaskletsSnippets::sample);         // 10 times a second
            Tasklet<String> once  = Tasklet.later(Duration.ofMillis(500), () -> "done");
            // end::helpers[]
            check(HANDLED.receive(Duration.ofSeconds(5)).equals("request-1"), "loop handled the request");
            check("done".equals(once.join(Duration.ofSeconds(5))), "later returned its value");
            for (Tasklet<Void> t : List.of(poller, ticker, eager, metrics)) {
                t.kill();
            }
        });
        all.join(Duration.ofSeconds(10));
    }

    private static void handle(String request) {
        HANDLED.send(request);
    }

    private static void refresh() {
    }

    private static void sample() {
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("expected: " + what);
        }
    }

    @Snippet(output = {"parent [waiting on Tasklet[task1#<id>]]", "  task1 [waiting on Tasklet.sleep]",
        "  task2 [waiting on Tasklet.sleep]", "  task3 [waiting on Tasklet.sleep]"})
    static void tree() {
        // tag::tree[]
        Tasklet<Void> parent = Tasklet.named("parent").spawn(() -> {
            for (int i = 1; i <= 3; i++) {
                Tasklet.named("task" + i).spawn(() -> Tasklet.sleep(Duration.ofSeconds(2)));
            }
            Tasklet.joinChildren(Duration.ofSeconds(5));
        });
        // end::tree[]
        String tree = awaitTree(parent);  // the children go to sleep in a moment: wait until the tree shows it
        // tag::tree[]
        System.out.println(parent.tree());
        // end::tree[]
        parent.kill();
        if (tree.isEmpty()) {
            throw new AssertionError("the tree never showed every child asleep");
        }
    }

    /** The tree once every child sleeps, or empty after a generous bound. */
    private static String awaitTree(Tasklet<?> parent) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            String tree = parent.tree();
            if (tree.lines().filter(l -> l.endsWith("[waiting on Tasklet.sleep]")).count() == 3
                    && tree.startsWith("parent [waiting on")) {
                return tree;
            }
            Tasklet.yieldNow();
        }
        return "";
    }

    @Snippet(output = "alice")
    static void taskLocal() {
        // tag::taskLocal[]
        TaskLocal<String> user = new TaskLocal<>(true);
        Tasklet.spawn(() -> {
            user.set("alice");
            Tasklet.spawn(() -> System.out.println(user.get())).join();   // alice, from the parent
        }).join();
        // end::taskLocal[]
    }

    @Snippet(output = "Tasklet.call of 'inventory' timed out: the ambient Timeout (pushed with 500 ms) expired")
    static void timeouts() {
        Channel<String> orders = Channel.buffered(1);
        orders.send("order-1");
        Tasklet<Void> inventory = Tasklet.named("inventory").receiver(envelope -> { });   // never answers
        Tasklet<Void> client = Tasklet.spawn(() -> {
            // tag::timeouts[]
            try (Timeout whole = Timeout.push(Duration.ofSeconds(30))) {
                String order = orders.receive();                      // at most 30 s
                try (Timeout step = Timeout.push(Duration.ofMillis(500))) {
                    Integer stock = inventory.call(new Check(order));  // at most 0.5 s (and never past the 30)
                    System.out.println(order + ": " + stock);
                }
            } catch (TimeoutException e) {
                // Tasklet.call of 'inventory' timed out: the ambient Timeout (pushed with 500 ms) expired
                System.out.println(e.getMessage());
            }
            // end::timeouts[]
        });
        client.join(Duration.ofSeconds(10));
        inventory.kill();
    }

    /** The call in the timeouts snippet. */
    record Check(String order) implements Call<Integer> {
    }
}
