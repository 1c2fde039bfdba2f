package io.concurrence.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.concurrence.Call;
import io.concurrence.Envelope;
import io.concurrence.Message;
import io.concurrence.Tasklet;

/**
 * The diagnostics page's demo tasklets: a supervisor, {@code demo-supervisor}, spawns them as its children on
 * request and kills them all on request. They are named {@code demo-1}, {@code demo-2}, ... (numbers never
 * reused) and park so that the page shows a state: odd ones wait in {@link Tasklet#receive()}, even ones sleep
 * in a loop with an unread note in their mailbox (taken when they are killed). Thread-safe (everything goes
 * through the supervisor).
 */
final class DemoTasklets {

    /** The most demo tasklets one request may spawn. */
    static final int MAX_PER_REQUEST = 1000;

    /** What the supervisor takes. */
    sealed interface DemoMsg extends Message {
    }

    /** Spawns {@code n} demo tasklets; answers their names. */
    record Spawn(int n) implements DemoMsg, Call<List<String>> {
        Spawn {
            if (n < 1 || n > MAX_PER_REQUEST) {
                throw new IllegalArgumentException("n must be 1 to " + MAX_PER_REQUEST + "; got " + n);
            }
        }
    }

    /** Kills every live demo tasklet; answers how many were alive. */
    record KillAll() implements DemoMsg, Call<Integer> {
    }

    /** A note left unread in a sleeper's mailbox, so that the page shows a mailbox depth. */
    record Note(String text) implements Message {
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Tasklet<Void> supervisor;
    /** The last number given (the supervisor writes and reads it). */
    private int last;

    DemoTasklets() {
        supervisor = Tasklet.named("demo-supervisor").daemon(true).receiver(this::answer);
    }

    /** Spawns {@code n} demo tasklets (1 to {@value #MAX_PER_REQUEST}) and returns their names. */
    List<String> spawn(int n) {
        return supervisor.call(new Spawn(n), CALL_TIMEOUT);
    }

    /** Kills every live demo tasklet and returns how many there were. */
    int killAll() {
        Integer killed = supervisor.call(new KillAll(), CALL_TIMEOUT);
        return killed == null ? 0 : killed;
    }

    /** Kills the supervisor and its demo tasklets. Idempotent. */
    void close() {
        supervisor.children().forEach(Tasklet::kill);
        supervisor.kill();
    }

    private void answer(Envelope envelope) {
        if (!(envelope.message() instanceof DemoMsg message)) {
            envelope.fail(new IllegalArgumentException("the demo supervisor takes DemoMsg; got "
                    + envelope.message()));
            return;
        }
        switch (message) {
            case Spawn spawn -> envelope.reply(spawnDemos(spawn.n()));
            case KillAll killAll -> envelope.reply(killDemos());
        }
    }

    private List<String> spawnDemos(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int number = ++last;
            String name = "demo-" + number;
            if (number % 2 == 1) {
                Tasklet.named(name).spawn(() -> {
                    Tasklet.receive();
                });
            } else {
                Tasklet<Void> sleeper = Tasklet.named(name).spawn(() -> {
                    try {
                        for (;;) {
                            Tasklet.sleep(Duration.ofSeconds(1));
                        }
                    } finally {
                        // takes the note when killed: left in the mailbox, it would be logged as a dead letter
                        Tasklet.current().mailbox().poll();
                    }
                });
                sleeper.send(new Note("unread"));
            }
            names.add(name);
        }
        return names;
    }

    private int killDemos() {
        List<Tasklet<?>> demos = List.copyOf(supervisor.children());
        demos.forEach(Tasklet::kill);
        Tasklet.joinAll(demos, CALL_TIMEOUT);
        return demos.size();
    }
}
