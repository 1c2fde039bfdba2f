package io.concurrence.it.cancel;

import static io.concurrence.it.cancel.StormTargets.PREFIX;
import static io.concurrence.it.cancel.StormTargets.SAFETY;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import io.concurrence.JoinException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.db.ConcurrenceDataSource;
import io.concurrence.http.HttpClient;
import io.concurrence.it.support.Bounded;
import io.concurrence.it.support.Figures;
import io.concurrence.it.support.Leaks;
import io.concurrence.it.support.Services;
import io.concurrence.it.support.Soak;

/**
 * Issue 9, "Cancellation and leaks": thousands of tasklets blocked in HTTP client exchanges, SQL queries and
 * remote calls, each stopped at a random moment — killed by another tasklet, or by its call's own timeout, or by
 * the ambient {@link io.concurrence.Timeout} — racing the answer, which comes after a random delay (or, for some
 * remote calls, never). Afterwards every pool is full, every connection usable, no tasklet of the storm is left,
 * no Netty buffer leaked, and every victim ended as its ending allows: {@link TaskletExit} for a kill, a timeout
 * exception for a timeout, or its correct answer if that came first (a wrong answer fails the test too: a
 * connection handed on in a bad state would show up there).
 */
class CancellationStormTest {

    private static final String TEST = "CancellationStormTest";
    private static final int VICTIMS = Soak.count(2_000, 10_000);
    /** Victims blocked at once: more than the pools hold, so that some are cancelled while waiting for one. */
    private static final int WORKERS = 48;
    /** The whole storm: far beyond what it takes, only against a hang. */
    private static final Duration STORM = Duration.ofMinutes(Soak.enabled() ? 20 : 5);
    /** How long pools, connections and tasklets may take to settle after the storm. */
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final int REMOTE_CHECKS = 32;

    private final long seed = Long.getLong("concurrence.storm.seed", System.nanoTime());
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

    /** How a victim ended. */
    private enum Outcome { COMPLETED, KILLED, TIMED_OUT }

    @Test
    void randomKillsAndTimeoutsLeavePoolsFullConnectionsUsableNoTaskletBehindAndNoBufferLeaked() throws Exception {
        Services.requireMysql();
        Leaks.assertTracking();
        long aliveBefore = Tasklet.stats().alive();
        System.out.println("[" + TEST + "] " + VICTIMS + " victims, seed " + seed
                + " (replay with -Dconcurrence.storm.seed=" + seed + ")");
        try (StormTargets targets = new StormTargets()) {
            long started = System.nanoTime();
            runStorm(targets);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertEveryPoolFull(targets);
            long lookups = 1;
            Bounded.until(() -> targets.remote.stats().calls() == lookups + targets.remoteCalls.get(), SETTLE,
                    "every remote call of the storm ended (none pending)",
                    () -> targets.remote.stats() + " of " + targets.remoteCalls.get() + " calls and 1 lookup");
            assertNoStormTaskletLeft(targets.receiver);
            assertEveryConnectionUsable(targets);
            assertEveryPoolFull(targets);
            recordFigures(took);
            assertThat(unexpected).as("victims that ended otherwise than their ending allows (seed %d)", seed)
                    .isEmpty();
        }
        Bounded.until(() -> Tasklet.stats().alive() <= aliveBefore, SETTLE,
                "as few tasklets alive as before the storm (" + aliveBefore + ")",
                () -> Tasklet.stats() + " " + Tasklet.roots().stream().map(Tasklet::tree).toList());
        Leaks.assertNoneReported();
    }

    private void runStorm(StormTargets targets) {
        AtomicInteger next = new AtomicInteger();
        Tasklet<Void> storm = Tasklet.named(PREFIX + "storm").spawn(() -> {
            for (int w = 0; w < WORKERS; w++) {
                Tasklet.named(PREFIX + "worker-" + w).spawn(() -> work(targets, next));
            }
            for (Tasklet.Result<?> result : Tasklet.joinChildren(STORM)) {
                assertThat(result.exception()).as("a worker failed").isNull();
            }
        });
        storm.join(STORM.plus(SETTLE));
        assertThat(next.get()).isGreaterThanOrEqualTo(VICTIMS);
    }

    /** A worker: starts victims one after the other, kills those whose plan says so, and checks each ending. */
    private void work(StormTargets targets, AtomicInteger next) {
        for (int i = next.getAndIncrement(); i < VICTIMS; i = next.getAndIncrement()) {
            Plan plan = Plan.draw(seed, i);
            Tasklet<String> victim = Tasklet.named(PREFIX + "victim-" + i).spawn(() -> targets.run(plan));
            if (plan.ending() == Plan.Ending.KILL) {
                Tasklet.sleep(plan.killAfter());
                victim.kill();
            }
            judge(plan, victim);
        }
    }

    private void judge(Plan plan, Tasklet<String> victim) {
        Outcome outcome;
        try {
            String answer = victim.join(SAFETY);
            if (!"ok".equals(answer)) {
                unexpected.add(plan + ": wrong answer: " + answer);
                return;
            }
            outcome = Outcome.COMPLETED;
        } catch (JoinException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TaskletExit) {
                outcome = Outcome.KILLED;
            } else if (cause instanceof TimeoutException || cause instanceof SQLTimeoutException) {
                outcome = Outcome.TIMED_OUT;
            } else {
                unexpected.add(plan + ": " + describe(cause));
                return;
            }
        } catch (TimeoutException e) {
            victim.kill();
            unexpected.add(plan + ": still blocked after " + SAFETY + ": " + victim.tree());
            return;
        }
        boolean allowed = outcome == Outcome.COMPLETED
                || (plan.ending() == Plan.Ending.KILL) == (outcome == Outcome.KILLED);
        if (plan.serverMillis() < 0 && outcome == Outcome.COMPLETED) {
            allowed = false;
        }
        if (!allowed) {
            unexpected.add(plan + ": ended " + outcome);
            return;
        }
        outcomes.computeIfAbsent(plan.kind() + " " + plan.ending() + " " + outcome, k -> new LongAdder())
                .increment();
    }

    private static String describe(Throwable t) {
        StringBuilder text = new StringBuilder(t.toString());
        for (Throwable cause = t.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause);
        }
        return text.toString();
    }

    private static void assertEveryPoolFull(StormTargets targets) {
        HttpClient http = targets.http;
        Bounded.until(() -> {
            HttpClient.PoolStats s = http.poolStats();
            return s.acquired() == 0 && s.pending() == 0 && s.idle() == s.allocated();
        }, SETTLE, "the HTTP client's pool: nothing acquired or pending, every open connection idle",
                http::poolStats);
        assertThat(http.poolStats().allocated()).isLessThanOrEqualTo(StormTargets.HTTP_POOL);
        for (ConcurrenceDataSource db : List.of(targets.db, targets.dbTimed)) {
            Bounded.until(() -> {
                ConcurrenceDataSource.PoolStats s = db.poolStats();
                return s.acquired() == 0 && s.pending() == 0 && s.idle() == s.allocated();
            }, SETTLE, "the DB pool " + db.name() + ": nothing acquired or pending, every open connection idle",
                    db::poolStats);
            assertThat(db.poolStats().size()).isEqualTo(StormTargets.DB_POOL);
        }
        assertThat(targets.remote.isConnected()).as("the remote client is connected").isTrue();
        assertThat(targets.remote.stats().reconnects()).as("remote reconnects").isZero();
    }

    private static void assertNoStormTaskletLeft(Tasklet<?> receiver) {
        Bounded.until(() -> stormTasklets(receiver).isEmpty(), SETTLE, "no tasklet of the storm left",
                () -> stormTasklets(receiver));
    }

    /** Every live tasklet named by the storm but for the remote receiver, wherever it is in the tree. */
    private static List<String> stormTasklets(Tasklet<?> receiver) {
        List<String> found = new ArrayList<>();
        Deque<Tasklet<?>> todo = new ArrayDeque<>(Tasklet.roots());
        while (!todo.isEmpty()) {
            Tasklet<?> tasklet = todo.pop();
            Set<Tasklet<?>> children = tasklet.children();
            todo.addAll(children);
            if (tasklet != receiver && tasklet.name().startsWith(PREFIX) && !tasklet.isDone()) {
                found.add(tasklet.tree());
            }
        }
        return found;
    }

    /**
     * Every connection of every pool in use at once, each answering correctly: a delayed HTTP exchange per
     * pooled connection, a query per connection of both DB pools, and remote calls.
     */
    private static void assertEveryConnectionUsable(StormTargets targets) {
        List<Tasklet<String>> checks = new ArrayList<>();
        long calls = targets.remote.stats().calls();
        for (int i = 0; i < StormTargets.HTTP_POOL; i++) {
            int tag = i;
            checks.add(Tasklet.named(PREFIX + "check-http-" + i)
                    .spawn(() -> targets.run(Plan.Kind.HTTP, tag, Plan.MAX_MILLIS)));
        }
        for (int i = 0; i < StormTargets.DB_POOL; i++) {
            int tag = i;
            checks.add(Tasklet.named(PREFIX + "check-db-" + i)
                    .spawn(() -> targets.run(Plan.Kind.DB, tag, Plan.MAX_MILLIS)));
            checks.add(Tasklet.named(PREFIX + "check-db-timed-" + i)
                    .spawn(() -> targets.runTimedDb(tag)));
        }
        for (int i = 0; i < REMOTE_CHECKS; i++) {
            int tag = i;
            checks.add(Tasklet.named(PREFIX + "check-remote-" + i)
                    .spawn(() -> targets.run(Plan.Kind.REMOTE, tag, Plan.MAX_MILLIS)));
        }
        for (Tasklet.Result<String> result : Tasklet.joinAll(checks, SETTLE)) {
            assertThat(result.exception()).as("a call after the storm").isNull();
            assertThat(result.value()).isEqualTo("ok");
        }
        assertThat(targets.remote.stats().calls()).isEqualTo(calls + REMOTE_CHECKS);
    }

    private void recordFigures(Duration took) {
        Figures.record(TEST, "victims (HTTP exchanges, SQL queries, remote calls)", VICTIMS);
        Map<String, Long> sorted = new TreeMap<>();
        outcomes.forEach((key, count) -> sorted.put(key, count.sum()));
        sorted.forEach((key, count) -> Figures.record(TEST, key, count));
        for (Outcome outcome : Outcome.values()) {
            long total = sorted.entrySet().stream().filter(e -> e.getKey().endsWith(" " + outcome))
                    .mapToLong(Map.Entry::getValue).sum();
            Figures.record(TEST, "victims " + outcome, total);
        }
        Figures.record(TEST, "victims ending otherwise (must be 0)", unexpected.size());
        Figures.record(TEST, "storm seconds", String.format("%.1f", took.toMillis() / 1000.0));
    }
}
