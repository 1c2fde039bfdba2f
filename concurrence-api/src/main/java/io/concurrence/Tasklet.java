package io.concurrence;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.concurrence.internal.Deadlines;
import io.concurrence.internal.Mailboxes;
import io.concurrence.internal.Parking;
import io.concurrence.internal.TaskletThreads;

/**
 * A tasklet: a virtual thread plus bookkeeping (a name, a place in the parent/children tree, a
 * {@link Mailbox} and a result). Plain blocking code runs in it; blocking parks the tasklet, never an OS
 * thread.
 * <pre>{@code
 * Tasklet<Integer> t1 = Tasklet.spawn(() -> 10 + 20);
 * Tasklet<Integer> t2 = Tasklet.named("adder").spawn(() -> 30 + 40);
 * int sum = t1.join() + t2.join();                      // 100
 *
 * Tasklet<Void> ticker = Tasklet.interval(Duration.ofSeconds(1), () -> System.out.println("tick"));
 * ticker.kill();
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * {@link #spawn(Callable)} starts a tasklet at once. Its parent is the spawning tasklet, unless it is a
 * {@linkplain Builder#daemon(boolean) daemon} or was spawned from a thread that is not a tasklet: then it is
 * one of the {@linkplain #roots() roots}. When it finishes, in any way, it leaves its parent's
 * {@link #children()}; its own live children outlive it and become roots. Its result (value or exception)
 * is kept: every {@link #join()} returns the same outcome.
 *
 * <h2>Kill</h2>
 * {@link #kill()} is asynchronous: it interrupts the tasklet and returns. The Concurrence call the tasklet
 * is blocked in, or the next one it makes, throws {@link TaskletExit}; if that ends the body, a
 * {@code join} throws {@link JoinException} with the {@code TaskletExit} as its cause. Wait for the target
 * with {@link #join(Duration)}: once it returns or throws, the target's cleanup has run. A JDK call that
 * reacts to interrupts ({@code Thread.sleep}, {@code BlockingQueue.take}, ...) throws what the JDK throws;
 * CPU-bound code is not stopped until it blocks or checks {@code Thread.currentThread().isInterrupted()}.
 * The repeating tasklets ({@link #loop}, {@link #interval}, {@link #rate}, {@link #receiver}) stop at their
 * next iteration once killed, even if their body swallowed the {@code TaskletExit}.
 *
 * <h2>Messages</h2>
 * Each tasklet has an unbounded {@link Mailbox}. {@link #send(Message)} appends to it and never blocks;
 * {@link #call(Call, Duration)} sends and waits for the {@link Envelope#reply reply}; the tasklet takes
 * envelopes with {@link #receive()}. {@link #receiver(Consumer)} is a tasklet that loops over its mailbox.
 *
 * <h2>Threads</h2>
 * Thread-safe. Every method may be called from any thread, except {@link #current()} and
 * {@link #receive()}, which need the caller to be a tasklet. A tasklet's virtual thread knows its tasklet
 * through its uncaught-exception handler: do not replace it ({@code Thread.setUncaughtExceptionHandler})
 * from inside a tasklet, or the thread stops being recognised as one. Actions of a tasklet happen-before a
 * {@code join} of it returns or throws; actions before {@code spawn} happen-before the body starts.
 *
 * @param <T> the type of the tasklet's result
 * @since 0.1
 */
public final class Tasklet<T> {

    private static final Logger LOG = LoggerFactory.getLogger(Tasklet.class);

    private static final ThreadFactory THREADS = Thread.ofVirtual().factory();
    private static final Object SLEEPING = new Object() {
        @Override
        public String toString() {
            return "Tasklet.sleep";
        }
    };
    /** {@link #state} from the start of cleanup until the outcome is published. */
    private static final Object FINISHING = new Object() {
        @Override
        public String toString() {
            return "finishing";
        }
    };
    /** The mailbox of every finished tasklet that never had one: closed and empty. */
    private static final Mailbox CLOSED_MAILBOX = Mailbox.closed();

    private static final VarHandle PARENT;
    private static final VarHandle CHILDREN;
    private static final VarHandle MAILBOX;
    private static final VarHandle JOINERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PARENT = lookup.findVarHandle(Tasklet.class, "parent", Tasklet.class);
            CHILDREN = lookup.findVarHandle(Tasklet.class, "children", Set.class);
            MAILBOX = lookup.findVarHandle(Tasklet.class, "mailbox", Mailbox.class);
            JOINERS = lookup.findVarHandle(Tasklet.class, "joiners", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How a tasklet ended: a value, or what its body threw. */
    private record Outcome(@Nullable Object value, @Nullable Throwable failure) {
    }

    /**
     * The rarely used state: created by the constructor of a named tasklet, else on first use by the
     * tasklet's own thread (the only writer of the mutable fields), so that a tasklet that uses none of it
     * costs one reference.
     */
    private static final class Extras {
        /** The name given to {@link #named(String)}, or null. */
        final @Nullable String name;
        /** Task-local values; written by the tasklet, read by descendants (recursive lookups). */
        volatile @Nullable ConcurrentHashMap<TaskLocal<?>, Object> locals;
        /** Calls the tasklet took from a mailbox and has not answered; failed when it finishes. */
        @Nullable ArrayList<Envelope> unanswered;
        /** Size at which {@link #unanswered} is next swept of answered calls. */
        int unansweredSweepAt;

        Extras(@Nullable String name) {
            this.name = name;
        }
    }

    /*
     * Field layout: a parked tasklet's footprint is what PERFORMANCE.md's tasklet-memory scenario measures.
     * The id is the thread's id (unique and increasing too), the body, the "finishing" flag and the outcome
     * share one field, and the rarely used fields (the name among them) live in Extras: 48 bytes with
     * compressed oops.
     */

    private final Thread thread;
    /**
     * The body (a Callable or a Runnable) from construction; {@link #FINISHING} once the body has ended and
     * cleanup runs (which also drops the body for the GC); then the {@link Outcome}, published after cleanup
     * and read by joiners. Written by the tasklet's thread only (or by the spawner if the thread cannot start).
     */
    private volatile Object state;

    /** The live parent; CAS to null by whichever of this tasklet or its parent finishes first. */
    private volatile @Nullable Tasklet<?> parent;
    /** Live children; created lazily (CAS) by this tasklet's thread, which alone spawns children here. */
    private volatile @Nullable Set<Tasklet<?>> children;
    /** Created lazily (CAS) by any sender; replaced by a closed one when this tasklet finishes. */
    private volatile @Nullable Mailbox mailbox;
    /** The name, locals and unanswered calls; null until needed (see {@link Extras}). */
    private volatile @Nullable Extras extras;
    /** This root's place in {@link TaskletTree}'s registry, or -1; guarded by the registry's stripe lock. */
    private int rootSlot = -1;
    /** Set by {@link #kill()} (any thread); read by the repeating helpers and the tree. */
    private volatile boolean killed;
    /** Threads waiting in join: null, the one joining Thread, or a Set of them (CAS by joiners). */
    private volatile @Nullable Object joiners;
    /** Whether a dead letter to this tasklet has been logged (once per tasklet). */
    private volatile boolean deadLettersLogged;

    static {
        TaskletThreads.install((threads, body) -> start(null, false, body, threads));
        Mailboxes.install(Tasklet::deliver);
    }

    private Tasklet(@Nullable String name, @Nullable Tasklet<?> parent, Object body, ThreadFactory threads) {
        if (name != null) {
            this.extras = new Extras(name);
        }
        this.parent = parent;
        this.state = body;
        TaskletRunner runner = new TaskletRunner(this);
        this.thread = threads.newThread(runner);
        thread.setUncaughtExceptionHandler(runner);
        if (name != null) {
            thread.setName(name);
        }
    }

    // ---- creating tasklets ----

    /**
     * Starts a tasklet that runs {@code body}; its result is the body's return value.
     *
     * @param body the code to run
     * @param <T> the type of the result
     * @return the running tasklet, a child of the calling tasklet
     */
    public static <T> Tasklet<T> spawn(Callable<T> body) {
        return new Builder(null).spawn(body);
    }

    /**
     * Starts a tasklet that runs {@code body}.
     *
     * @param body the code to run
     * @return the running tasklet, a child of the calling tasklet
     */
    public static Tasklet<Void> spawn(Runnable body) {
        return new Builder(null).spawn(body);
    }

    /**
     * A builder for a tasklet with a name (shown by {@link #tree()}, logs and thread dumps).
     *
     * @param name the name, not blank
     * @return a builder; see {@link Builder#daemon(boolean)}
     * @throws IllegalArgumentException if the name is blank
     */
    public static Builder named(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a tasklet name must not be blank");
        }
        return new Builder(name);
    }

    /**
     * A builder for an unnamed tasklet (named {@code tasklet-<id>}).
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder(null);
    }

    /**
     * Starts a tasklet that calls {@code body} over and over until killed. An exception from the body is
     * logged and followed by a 1 s pause; the loop goes on. The body should block somewhere.
     *
     * @param body the code to repeat
     * @return the running tasklet
     */
    public static Tasklet<Void> loop(Runnable body) {
        return new Builder(null).loop(body);
    }

    /**
     * Starts a tasklet that sleeps {@code period}, calls {@code body}, and repeats until killed (the period
     * drifts by the body's running time). Exceptions from the body are logged; it keeps running.
     *
     * @param period the pause between calls, positive
     * @param body the code to repeat
     * @return the running tasklet
     */
    public static Tasklet<Void> interval(Duration period, Runnable body) {
        return new Builder(null).interval(period, body);
    }

    /**
     * Like {@link #interval(Duration, Runnable)}; with {@code immediate}, the first call comes at once
     * (and is protected like the others).
     *
     * @param period the pause between calls, positive
     * @param body the code to repeat
     * @param immediate whether to call the body once before the first pause
     * @return the running tasklet
     */
    public static Tasklet<Void> interval(Duration period, Runnable body, boolean immediate) {
        return new Builder(null).interval(period, body, immediate);
    }

    /**
     * Starts a tasklet that calls {@code body} {@code perSecond} times a second on average until killed,
     * correcting for drift: a late call is followed by earlier ones (up to about a second of backlog).
     * Exceptions from the body are logged; it keeps running.
     *
     * @param perSecond calls per second, positive and finite
     * @param body the code to repeat
     * @return the running tasklet
     */
    public static Tasklet<Void> rate(double perSecond, Runnable body) {
        return new Builder(null).rate(perSecond, body);
    }

    /**
     * Starts a tasklet that sleeps {@code delay}, then returns what {@code body} returns.
     *
     * @param delay the pause before the call
     * @param body the code to run
     * @param <T> the type of the result
     * @return the running tasklet
     */
    public static <T> Tasklet<T> later(Duration delay, Callable<T> body) {
        return new Builder(null).later(delay, body);
    }

    /**
     * Starts a tasklet that sleeps {@code delay}, then runs {@code body}.
     *
     * @param delay the pause before the call
     * @param body the code to run
     * @return the running tasklet
     */
    public static Tasklet<Void> later(Duration delay, Runnable body) {
        return new Builder(null).later(delay, body);
    }

    /**
     * Starts a tasklet that takes each envelope from its own mailbox and hands it to {@code handler}, until
     * killed. An exception from the handler is logged, and a call the handler left unanswered is failed with
     * that exception; the receiver goes on with the next envelope.
     *
     * @param handler the code run for each envelope
     * @return the running tasklet; send it messages
     */
    public static Tasklet<Void> receiver(Consumer<Envelope> handler) {
        return new Builder(null).receiver(handler);
    }

    // ---- the current tasklet ----

    /**
     * The tasklet running the caller.
     *
     * @return the current tasklet
     * @throws IllegalStateException if the caller is not a tasklet
     */
    public static Tasklet<?> current() {
        Tasklet<?> current = TaskletRunner.current();
        if (current == null) {
            throw new IllegalStateException("Tasklet.current() called from thread " + Thread.currentThread()
                    + ", which is not a tasklet; call it from code started by Tasklet.spawn or Concurrence.dispatch");
        }
        return current;
    }

    /**
     * The tasklet running the caller, if the caller is a tasklet.
     *
     * @return the current tasklet, or empty on any other thread
     */
    public static Optional<Tasklet<?>> findCurrent() {
        return Optional.ofNullable(TaskletRunner.current());
    }

    static @Nullable Tasklet<?> findCurrentOrNull() {
        return TaskletRunner.current();
    }

    /**
     * Blocks the caller for {@code duration}: a deliberate delay, which the ambient {@link Timeout} does
     * not cut short. Zero or negative returns at once (after a {@link #yieldNow()}).
     *
     * <p><b>Kill:</b> throws {@link TaskletExit}. <b>Threads:</b> any.
     *
     * @param duration how long to sleep
     * @throws TaskletExit if the calling tasklet is killed while sleeping
     */
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            yieldNow();
            return;
        }
        Parking.sleepUntil(Deadlines.after(duration), SLEEPING, "Tasklet.sleep");
    }

    /**
     * Lets other tasklets run on this carrier thread before continuing.
     *
     * @throws TaskletExit if the calling tasklet has been killed
     */
    public static void yieldNow() {
        if (Thread.interrupted()) {
            throw Parking.killed("Tasklet.yieldNow");
        }
        Thread.yield();
    }

    /**
     * Blocks until the current tasklet's mailbox has an envelope, and takes it.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link Timeout}. <b>Kill:</b> throws
     * {@link TaskletExit}. <b>Threads:</b> tasklets only.
     *
     * @return the next envelope
     * @throws IllegalStateException if the caller is not a tasklet
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public static Envelope receive() {
        return current().mailbox().receive();
    }

    /**
     * Blocks until the current tasklet's mailbox has an envelope, for at most {@code timeout}, and takes it.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link Timeout}. <b>Kill:</b>
     * throws {@link TaskletExit}. <b>Threads:</b> tasklets only.
     *
     * @param timeout how long to wait at most
     * @return the next envelope
     * @throws IllegalStateException if the caller is not a tasklet
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public static Envelope receive(Duration timeout) {
        return current().mailbox().receive(timeout);
    }

    // ---- the forest ----

    /**
     * The live tasklets with no live parent: daemons, tasklets spawned from platform threads, and orphans
     * whose parent finished first. A snapshot.
     *
     * @return the roots of the tasklet forest
     */
    public static Set<Tasklet<?>> roots() {
        return TaskletTree.roots();
    }

    /**
     * Counters for metrics: tasklets spawned and alive, messages sent, dead letters.
     *
     * @return a snapshot of the counters
     */
    public static Stats stats() {
        return TaskletTree.stats();
    }

    /**
     * Counters of the tasklet runtime, for metrics binders.
     *
     * @param spawned tasklets started since the JVM started
     * @param alive tasklets started and not yet finished
     * @param messagesSent messages sent with {@code send} or {@code call}
     * @param deadLetters messages that reached a finished tasklet
     */
    public record Stats(long spawned, long alive, long messagesSent, long deadLetters) {
    }

    // ---- joining ----

    /**
     * How a joined tasklet ended: exactly one of a value (for a success; it may be null) and a
     * {@link JoinException} (for a failure).
     *
     * @param value the result of a successful tasklet (null for a {@code Tasklet<Void>})
     * @param exception the failure, or null iff successful
     * @param <T> the type of the result
     */
    public record Result<T>(@Nullable T value, @Nullable JoinException exception) {

        /**
         * Validates the components.
         *
         * @param value the result of a successful tasklet
         * @param exception the failure, or null iff successful
         * @throws IllegalArgumentException if both are non-null
         */
        public Result {
            if (value != null && exception != null) {
                throw new IllegalArgumentException("a Result holds a value or an exception, not both");
            }
        }

        /**
         * Whether the tasklet succeeded.
         *
         * @return true iff {@link #exception()} is null
         */
        public boolean isSuccess() {
            return exception == null;
        }

        /**
         * The value, or the failure thrown.
         *
         * @return the value of a successful tasklet
         * @throws JoinException if the tasklet failed
         */
        public @Nullable T get() {
            if (exception != null) {
                throw exception;
            }
            return value;
        }
    }

    /**
     * Blocks until this tasklet finishes, and returns its result.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link Timeout}; the target keeps
     * running. <b>Kill:</b> throws {@link TaskletExit}. <b>Threads:</b> any thread but this tasklet's own,
     * any number concurrently.
     *
     * @return the body's return value
     * @throws JoinException if the body threw (its cause), including a {@link TaskletExit} after a kill
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if a tasklet joins itself
     */
    public @Nullable T join() {
        return valueOf(awaitOutcome(null, Deadlines.effective(null), "Tasklet.join"));
    }

    /**
     * Blocks until this tasklet finishes, for at most {@code timeout}, and returns its result.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link Timeout}; the target keeps
     * running. <b>Kill:</b> throws {@link TaskletExit}. <b>Threads:</b> any thread but this tasklet's own,
     * any number concurrently.
     *
     * @param timeout how long to wait at most
     * @return the body's return value
     * @throws JoinException if the body threw (its cause), including a {@link TaskletExit} after a kill
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if a tasklet joins itself
     */
    public @Nullable T join(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return valueOf(awaitOutcome(timeout, Deadlines.effective(timeout), "Tasklet.join"));
    }

    /**
     * Blocks until every tasklet in {@code tasklets} has finished, and returns their results in order.
     * Never throws for a failed tasklet: its {@link Result} holds the {@link JoinException}.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link Timeout}. <b>Kill:</b> throws
     * {@link TaskletExit}. <b>Threads:</b> any.
     *
     * @param tasklets the tasklets to join
     * @param <T> the type of their results
     * @return one result per tasklet, in the collection's order
     * @throws TimeoutException if the ambient deadline passes before all have finished
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public static <T> List<Result<T>> joinAll(Collection<? extends Tasklet<? extends T>> tasklets) {
        return joinAll(tasklets, null, Deadlines.effective(null));
    }

    /**
     * Blocks until every tasklet in {@code tasklets} has finished, with one overall {@code timeout}, and
     * returns their results in order. Never throws for a failed tasklet: its {@link Result} holds the
     * {@link JoinException}.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link Timeout}, for the whole
     * collection. <b>Kill:</b> throws {@link TaskletExit}. <b>Threads:</b> any.
     *
     * @param tasklets the tasklets to join
     * @param timeout how long to wait at most, in total
     * @param <T> the type of their results
     * @return one result per tasklet, in the collection's order
     * @throws TimeoutException if the deadline passes before all have finished
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public static <T> List<Result<T>> joinAll(Collection<? extends Tasklet<? extends T>> tasklets,
                                              Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return joinAll(tasklets, timeout, Deadlines.effective(timeout));
    }

    /**
     * {@link #joinAll(Collection)} over the current tasklet's children (in spawn order); empty when the
     * caller is not a tasklet.
     *
     * @return one result per child
     * @throws TimeoutException if the ambient deadline passes before all have finished
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public static List<Result<?>> joinChildren() {
        return List.copyOf(joinAll(currentChildren(), null, Deadlines.effective(null)));
    }

    /**
     * {@link #joinAll(Collection, Duration)} over the current tasklet's children (in spawn order); empty
     * when the caller is not a tasklet.
     *
     * @param timeout how long to wait at most, in total
     * @return one result per child
     * @throws TimeoutException if the deadline passes before all have finished
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public static List<Result<?>> joinChildren(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return List.copyOf(joinAll(currentChildren(), timeout, Deadlines.effective(timeout)));
    }

    // ---- this tasklet ----

    /**
     * The name given to {@link #named(String)}, or {@code tasklet-<id>}.
     *
     * @return the name
     */
    public String name() {
        String name = givenName();
        return name != null ? name : "tasklet-" + id();
    }

    /**
     * A number unique to this tasklet within the JVM, increasing in spawn order.
     *
     * @return the id
     */
    public long id() {
        return thread.threadId(); // assigned when the Tasklet's constructor creates the thread: spawn order
    }

    /**
     * Whether this tasklet has finished (and {@link #join()} would return at once).
     *
     * @return true once finished
     */
    public boolean isDone() {
        return state instanceof Outcome;
    }

    /**
     * Whether {@link #kill()} has been called on this tasklet.
     *
     * @return true once killed
     */
    public boolean isKilled() {
        return killed;
    }

    /**
     * Kills this tasklet: the Concurrence call it is blocked in, or the next one it makes, throws
     * {@link TaskletExit}. Asynchronous; does nothing if the tasklet has finished. See the class
     * documentation.
     */
    public void kill() {
        if (state instanceof Outcome) {
            return;
        }
        killed = true;
        thread.interrupt();
    }

    /**
     * The live parent.
     *
     * @return the parent, or empty for a root
     */
    public Optional<Tasklet<?>> parent() {
        return Optional.ofNullable(parent);
    }

    /**
     * The live children. A snapshot.
     *
     * @return the children that have not finished, in no particular order
     */
    public Set<Tasklet<?>> children() {
        Set<Tasklet<?>> set = children;
        return set == null ? Set.of() : Set.copyOf(set);
    }

    /**
     * Renders this tasklet and its live descendants, one line each, depth-first, indented two spaces per
     * level: the name, then the state in brackets ({@code running}, {@code waiting on ...}, {@code done}).
     *
     * @return the rendered tree, lines separated by {@code \n}
     */
    public String tree() {
        return TaskletTree.render(this);
    }

    /**
     * What this tasklet is doing now, as {@link #tree()} shows it in brackets: {@code running},
     * {@code waiting on <what>} when the object it is parked on is known (a channel, a mailbox, a timeout...),
     * {@code waiting} when it is blocked on something else, or {@code done}; prefixed with {@code killed, } once
     * {@link #kill()} has been called and the tasklet has not finished yet. A snapshot for diagnostics: it may
     * be stale when read, and its wording is for people, not for parsing.
     *
     * @return the state, as {@link #tree()} renders it
     */
    public String state() {
        return TaskletTree.state(this);
    }

    /**
     * This tasklet's mailbox.
     *
     * @return the mailbox (closed once the tasklet has finished)
     */
    public Mailbox mailbox() {
        for (;;) {
            Mailbox box = mailbox;
            if (box != null) {
                return box;
            }
            if (MAILBOX.compareAndSet(this, null, new Mailbox(this))) {
                return Objects.requireNonNull(mailbox);
            }
        }
    }

    /**
     * Appends {@code message} to this tasklet's mailbox. Never blocks. A message sent to a finished
     * tasklet is a dead letter: logged once per tasklet, counted in {@link #stats()}.
     *
     * @param message the message
     */
    public void send(Message message) {
        Objects.requireNonNull(message, "message");
        deliver(LocalEnvelope.send(message));
    }

    /** Appends {@code envelope}, or makes it a dead letter if this tasklet has finished. Never blocks. */
    private boolean deliver(Envelope envelope) {
        TaskletTree.messageSent();
        if (!mailbox().offer(envelope)) {
            deadLetter(envelope, "it was sent after the tasklet finished");
            return false;
        }
        return true;
    }

    /**
     * Sends {@code message} and blocks until this tasklet replies.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link Timeout}; on timeout the message
     * stays in the mailbox and a late reply is dropped. <b>Kill:</b> throws {@link TaskletExit}, and a late
     * reply is dropped. <b>Threads:</b> any thread but this tasklet's own.
     *
     * @param message the call
     * @param <R> the type of the reply
     * @return the reply
     * @throws CallFailedException if the receiver answered with {@link Envelope#fail}, had finished, or
     *         finished without replying (promptly, not after the timeout)
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if a tasklet calls itself
     */
    public <R> @Nullable R call(Call<R> message) {
        return callWithin(message, null);
    }

    /**
     * Sends {@code message} and blocks until this tasklet replies, for at most {@code timeout}.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link Timeout}; on timeout the
     * message stays in the mailbox and a late reply is dropped. Zero or negative sends nothing and throws.
     * <b>Kill:</b> throws {@link TaskletExit}, and a late reply is dropped. <b>Threads:</b> any thread but
     * this tasklet's own.
     *
     * @param message the call
     * @param timeout how long to wait at most
     * @param <R> the type of the reply
     * @return the reply
     * @throws CallFailedException if the receiver answered with {@link Envelope#fail}, had finished, or
     *         finished without replying (promptly, not after the timeout)
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if a tasklet calls itself
     */
    public <R> @Nullable R call(Call<R> message, Duration timeout) {
        return callWithin(message, Objects.requireNonNull(timeout, "timeout"));
    }

    @SuppressWarnings("unchecked")
    private <R> @Nullable R callWithin(Call<R> message, @Nullable Duration timeout) {
        Objects.requireNonNull(message, "message");
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("Tasklet '" + name() + "' called itself with " + message
                    + "; it would wait for its own reply");
        }
        // The operation's text is built only for an exception: a call that succeeds builds no string.
        long deadline = Deadlines.effective(timeout);
        if (Deadlines.hasPassed(deadline)) {
            throw Deadlines.timeout(callOperation(), timeout, deadline);
        }
        TaskletTree.messageSent();
        LocalEnvelope envelope = LocalEnvelope.call(message);
        if (!mailbox().offer(envelope)) {
            deadLetter(envelope, "the tasklet had finished");
        }
        Parking.Wake wake = Parking.park(envelope, deadline, envelope);
        if (wake != Parking.Wake.READY) {
            if (envelope.cancel()) {
                throw wake == Parking.Wake.TIMED_OUT
                        ? Deadlines.timeout(callOperation(), timeout, deadline)
                        : Parking.killed(callOperation());
            }
            if (wake == Parking.Wake.INTERRUPTED) {
                Parking.restoreInterrupt();
            }
        }
        return (R) envelope.result(this);
    }

    private String callOperation() {
        return "Tasklet.call of '" + name() + "'";
    }

    @Override
    public String toString() {
        return "Tasklet[" + name() + (givenName() != null ? "#" + id() : "") + "]";
    }

    // ---- builder ----

    /**
     * Configures and starts a tasklet: {@code Tasklet.named("worker").daemon(true).spawn(...)}. The factory
     * methods match the static ones of {@link Tasklet}.
     */
    public static final class Builder {

        private final @Nullable String name;
        private boolean daemon;

        private Builder(@Nullable String name) {
            this.name = name;
        }

        /**
         * Whether the tasklet is a daemon: it has no parent (it is one of the {@linkplain #roots() roots}),
         * so {@code joinChildren} and recursive {@link TaskLocal}s ignore it. Default: false.
         *
         * @param daemon true for a daemon
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Starts a tasklet running {@code body}; see {@link Tasklet#spawn(Callable)}.
         *
         * @param body the code to run
         * @param <T> the type of the result
         * @return the running tasklet
         */
        public <T> Tasklet<T> spawn(Callable<T> body) {
            return start(name, daemon, Objects.requireNonNull(body, "body"));
        }

        /**
         * Starts a tasklet running {@code body}; see {@link Tasklet#spawn(Runnable)}.
         *
         * @param body the code to run
         * @return the running tasklet
         */
        public Tasklet<Void> spawn(Runnable body) {
            return start(name, daemon, Objects.requireNonNull(body, "body"));
        }

        /**
         * Starts a looping tasklet; see {@link Tasklet#loop(Runnable)}.
         *
         * @param body the code to repeat
         * @return the running tasklet
         */
        public Tasklet<Void> loop(Runnable body) {
            return start(name, daemon, Repeating.loop(Objects.requireNonNull(body, "body")));
        }

        /**
         * Starts an interval tasklet; see {@link Tasklet#interval(Duration, Runnable)}.
         *
         * @param period the pause between calls, positive
         * @param body the code to repeat
         * @return the running tasklet
         */
        public Tasklet<Void> interval(Duration period, Runnable body) {
            return interval(period, body, false);
        }

        /**
         * Starts an interval tasklet; see {@link Tasklet#interval(Duration, Runnable, boolean)}.
         *
         * @param period the pause between calls, positive
         * @param body the code to repeat
         * @param immediate whether to call the body once before the first pause
         * @return the running tasklet
         */
        public Tasklet<Void> interval(Duration period, Runnable body, boolean immediate) {
            return start(name, daemon, Repeating.interval(period, Objects.requireNonNull(body, "body"), immediate));
        }

        /**
         * Starts a rate tasklet; see {@link Tasklet#rate(double, Runnable)}.
         *
         * @param perSecond calls per second, positive and finite
         * @param body the code to repeat
         * @return the running tasklet
         */
        public Tasklet<Void> rate(double perSecond, Runnable body) {
            return start(name, daemon, Repeating.rate(perSecond, Objects.requireNonNull(body, "body")));
        }

        /**
         * Starts a delayed tasklet; see {@link Tasklet#later(Duration, Callable)}.
         *
         * @param delay the pause before the call
         * @param body the code to run
         * @param <T> the type of the result
         * @return the running tasklet
         */
        public <T> Tasklet<T> later(Duration delay, Callable<T> body) {
            return start(name, daemon, Repeating.later(delay, Objects.requireNonNull(body, "body")));
        }

        /**
         * Starts a delayed tasklet; see {@link Tasklet#later(Duration, Runnable)}.
         *
         * @param delay the pause before the call
         * @param body the code to run
         * @return the running tasklet
         */
        public Tasklet<Void> later(Duration delay, Runnable body) {
            return later(delay, Repeating.once(Objects.requireNonNull(body, "body")));
        }

        /**
         * Starts a receiver tasklet; see {@link Tasklet#receiver(Consumer)}.
         *
         * @param handler the code run for each envelope
         * @return the running tasklet
         */
        public Tasklet<Void> receiver(Consumer<Envelope> handler) {
            return start(name, daemon, Repeating.receiver(Objects.requireNonNull(handler, "handler")));
        }
    }

    // ---- machinery ----

    /** Starts a tasklet whose body is a {@link Callable} or a {@link Runnable}. */
    private static <T> Tasklet<T> start(@Nullable String name, boolean daemon, Object body) {
        return start(name, daemon, body, THREADS);
    }

    /** Starts a tasklet on a virtual thread from {@code threads} (see {@link TaskletThreads}). */
    private static <T> Tasklet<T> start(@Nullable String name, boolean daemon, Object body, ThreadFactory threads) {
        Tasklet<?> parent = daemon ? null : TaskletRunner.current();
        Tasklet<T> tasklet = new Tasklet<>(name, parent, body, threads);
        TaskletTree.attach(tasklet, parent);
        try {
            tasklet.thread.start();
        } catch (RuntimeException | Error e) {
            tasklet.finish(null, e);
            throw e;
        }
        return tasklet;
    }

    /** The body of the tasklet's thread (see {@link TaskletRunner}). */
    void run() {
        Object value = null;
        Throwable failure = null;
        try {
            if (killed) {
                throw new TaskletExit("Tasklet '" + name() + "' was killed before it started");
            }
            Object task = state;
            if (task instanceof Callable<?> callable) {
                value = callable.call();
            } else {
                ((Runnable) task).run();
            }
        } catch (Throwable t) {
            failure = t;
        }
        // One call site, not a finally block (which javac copies to every exit): this method is the frame a
        // parked tasklet keeps, and the smaller its compiled code, the more likely it is inlined into the
        // thread's run method (one frame fewer on every parked stack).
        finish(value, failure);
    }

    /** Cleanup, in order, then the outcome is published and joiners are released. */
    private void finish(@Nullable Object value, @Nullable Throwable failure) {
        state = FINISHING;
        closeMailbox();
        failUnansweredCalls();
        TaskletTree.detach(this);
        Extras rare = extras;
        if (rare != null) {
            rare.locals = null;
        }
        if (failure != null && !(failure instanceof TaskletExit) && !hasJoiners()) {
            LOG.warn("[{}] tasklet failed (its join() will throw JoinException)", name(), failure);
        }
        TaskletTree.finished();
        state = new Outcome(value, failure);
        unparkJoiners();
    }

    private void closeMailbox() {
        Mailbox box = (Mailbox) MAILBOX.compareAndExchange(this, null, CLOSED_MAILBOX);
        if (box == null) {
            return;
        }
        for (Object left : box.closeAndDrain()) {
            deadLetter((Envelope) left, "the tasklet finished before taking it");
        }
    }

    private void deadLetter(Envelope envelope, String why) {
        TaskletTree.deadLetter();
        String what = (envelope.expectsReply() ? "Call " : "Message ") + envelope.message() + " to tasklet '"
                + name() + "' was not delivered: " + why;
        if (envelope instanceof LocalEnvelope local) {
            local.failUnanswered(what);
        } else if (envelope.expectsReply() && !envelope.isAnswered()) {
            envelope.fail(new CallFailedException(what, null));
        }
        if (!deadLettersLogged) {
            deadLettersLogged = true;
            LOG.warn("[{}] dead letter: {} (later dead letters to this tasklet are counted, not logged)", name(),
                    what);
        }
    }

    private void failUnansweredCalls() {
        Extras rare = extras;
        List<Envelope> calls = rare == null ? null : rare.unanswered;
        if (calls != null) {
            for (Envelope call : calls) {
                String why = "Tasklet '" + name() + "' finished without replying to " + call.message();
                if (call instanceof LocalEnvelope local) {
                    local.failUnanswered(why);
                } else if (!call.isAnswered()) {
                    call.fail(new CallFailedException(why, null));
                }
            }
            rare.unanswered = null;
        }
    }

    /**
     * Remembers a call this tasklet took from a mailbox, to fail it if the tasklet finishes without an
     * answer. Called by this tasklet's thread only (the taker), like {@link #failUnansweredCalls()}, so the
     * list needs no synchronization; answers only CAS the envelope. Answered calls are swept out whenever
     * the list has doubled, which keeps it as small as the calls actually pending, at O(1) amortized cost.
     */
    void trackUnanswered(Envelope call) {
        Extras rare = extras();
        ArrayList<Envelope> calls = rare.unanswered;
        if (calls == null) {
            calls = new ArrayList<>(4);
            rare.unanswered = calls;
            rare.unansweredSweepAt = 16;
        }
        calls.add(call);
        if (calls.size() >= rare.unansweredSweepAt) {
            calls.removeIf(c -> c instanceof LocalEnvelope local ? local.isSettled() : c.isAnswered());
            rare.unansweredSweepAt = Math.max(16, calls.size() * 2);
        }
    }

    /** The side object of rarely used state; created on first use. This tasklet's thread only. */
    private Extras extras() {
        Extras rare = extras;
        if (rare == null) {
            rare = new Extras(null);
            extras = rare;
        }
        return rare;
    }

    /** The name given to {@link #named(String)}, or null. */
    private @Nullable String givenName() {
        Extras rare = extras;
        return rare == null ? null : rare.name;
    }

    /** The outcome once published, else null. */
    private @Nullable Outcome outcomeOrNull() {
        return state instanceof Outcome done ? done : null;
    }

    private Outcome awaitOutcome(@Nullable Duration timeout, long deadline, String operation) {
        Outcome done = outcomeOrNull();
        if (done != null) {
            return done;
        }
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("Tasklet '" + name() + "' cannot join itself");
        }
        String what = operation + " of tasklet '" + name() + "'";
        if (Deadlines.hasPassed(deadline)) {
            throw Deadlines.timeout(what, timeout, deadline);
        }
        Thread self = Thread.currentThread();
        addJoiner(self);
        Parking.Wake wake;
        try {
            // finish() publishes the outcome, then unparks the joiners it sees: a joiner added too late to be
            // seen finds the outcome already set before it parks.
            wake = Parking.park(this::isDone, deadline, this);
        } finally {
            removeJoiner(self);
        }
        if (wake != Parking.Wake.READY) {
            if (outcomeOrNull() == null) {
                throw wake == Parking.Wake.TIMED_OUT
                        ? Deadlines.timeout(what, timeout, deadline)
                        : Parking.killed(what);
            }
            if (wake == Parking.Wake.INTERRUPTED) {
                Parking.restoreInterrupt();
            }
        }
        return Objects.requireNonNull(outcomeOrNull());
    }

    @SuppressWarnings("unchecked")
    private void addJoiner(Thread joiner) {
        for (;;) {
            Object current = joiners;
            if (current == null) {
                if (JOINERS.compareAndSet(this, null, joiner)) {
                    return;
                }
            } else if (current instanceof Set<?> set) {
                ((Set<Thread>) set).add(joiner);
                return;
            } else {
                Set<Thread> set = ConcurrentHashMap.newKeySet();
                set.add((Thread) current);
                set.add(joiner);
                if (JOINERS.compareAndSet(this, current, set)) {
                    return;
                }
            }
        }
    }

    private void removeJoiner(Thread joiner) {
        for (;;) {
            Object current = joiners;
            if (current == joiner) {
                if (JOINERS.compareAndSet(this, joiner, null)) {
                    return;
                }
            } else {
                if (current instanceof Set<?> set) {
                    set.remove(joiner);
                }
                return;
            }
        }
    }

    private boolean hasJoiners() {
        Object current = joiners;
        return current != null && !(current instanceof Set<?> set && set.isEmpty());
    }

    private void unparkJoiners() {
        Object current = joiners;
        if (current instanceof Thread joiner) {
            LockSupport.unpark(joiner);
        } else if (current instanceof Set<?> set) {
            for (Object joiner : set) {
                LockSupport.unpark((Thread) joiner);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private @Nullable T valueOf(Outcome done) {
        if (done.failure() != null) {
            throw new JoinException(this, done.failure());
        }
        return (T) done.value();
    }

    @SuppressWarnings("unchecked")
    private Result<T> resultOf(Outcome done) {
        return done.failure() != null
                ? new Result<>(null, new JoinException(this, done.failure()))
                : new Result<>((T) done.value(), null);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<Result<T>> joinAll(Collection<? extends Tasklet<? extends T>> tasklets,
                                               @Nullable Duration timeout, long deadline) {
        Objects.requireNonNull(tasklets, "tasklets");
        List<Result<T>> results = new ArrayList<>(tasklets.size());
        for (Tasklet<? extends T> tasklet : tasklets) {
            Tasklet<T> t = (Tasklet<T>) tasklet;
            results.add(t.resultOf(t.awaitOutcome(timeout, deadline, "Tasklet.joinAll")));
        }
        return results;
    }

    private static List<Tasklet<?>> currentChildren() {
        Tasklet<?> current = TaskletRunner.current();
        if (current == null) {
            return List.of();
        }
        List<Tasklet<?>> list = new ArrayList<>(current.children());
        list.sort(Comparator.comparingLong(Tasklet::id));
        return list;
    }

    // ---- package-private access for TaskletTree, TaskLocal, Repeating ----

    Thread thread() {
        return thread;
    }

    int rootSlot() {
        return rootSlot;
    }

    void rootSlot(int slot) {
        rootSlot = slot;
    }

    boolean isFinishing() {
        Object s = state;
        return s == FINISHING || s instanceof Outcome;
    }

    @Nullable Tasklet<?> parentOrNull() {
        return parent;
    }

    boolean casParent(Tasklet<?> expected, @Nullable Tasklet<?> value) {
        return PARENT.compareAndSet(this, expected, value);
    }

    @Nullable Set<Tasklet<?>> childrenOrNull() {
        return children;
    }

    Set<Tasklet<?>> childrenSet() {
        Set<Tasklet<?>> set = children;
        if (set == null) {
            Set<Tasklet<?>> created = ConcurrentHashMap.newKeySet();
            set = CHILDREN.compareAndSet(this, null, created) ? created : Objects.requireNonNull(children);
        }
        return set;
    }

    @Nullable Object localValue(TaskLocal<?> local) {
        Extras rare = extras;
        ConcurrentHashMap<TaskLocal<?>, Object> map = rare == null ? null : rare.locals;
        return map == null ? null : map.get(local);
    }

    /** Called by this tasklet's thread only (TaskLocal.set/remove act on the current tasklet). */
    void setLocalValue(TaskLocal<?> local, @Nullable Object value) {
        Extras rare = extras;
        ConcurrentHashMap<TaskLocal<?>, Object> map = rare == null ? null : rare.locals;
        if (map == null) {
            if (value == null) {
                return;
            }
            map = new ConcurrentHashMap<>();
            extras().locals = map;
        }
        if (value == null) {
            map.remove(local);
        } else {
            map.put(local, value);
        }
    }
}
