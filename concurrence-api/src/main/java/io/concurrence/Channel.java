package io.concurrence;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.concurrence.internal.Deadlines;
import io.concurrence.internal.Parking;

/**
 * A channel between tasklets: rendezvous by default, as in the seed, or buffered.
 *
 * <p>On a rendezvous channel ({@code new Channel<>()}), {@link #send} blocks until a receiver takes the
 * value and {@link #receive} blocks until a sender offers one. On a {@linkplain #buffered(int) buffered}
 * channel, {@code send} blocks only while the buffer is full. Waiting senders and receivers are served in
 * arrival order. {@link #balance()} counts them: positive for waiting senders, negative for waiting
 * receivers.
 *
 * <p>{@link #close()} wakes every waiting sender and receiver with {@link ChannelClosedException}; after
 * it, {@code send} throws and {@code receive} drains what is buffered, then throws. A channel is
 * {@link Iterable}: iteration receives until the channel is closed and drained.
 * <pre>{@code
 * Channel<String> lines = Channel.buffered(16);
 * Tasklet.spawn(() -> { for (String line : lines) System.out.println(line); });
 * lines.send("hello");
 * lines.close();
 * }</pre>
 *
 * <p>Thread-safe; values must not be null. Sending a value happens-before its receipt.
 *
 * @param <T> the type of the values
 * @since 0.1
 */
public final class Channel<T> implements Iterable<T> {

    private static final Logger LOG = LoggerFactory.getLogger(Channel.class);

    /*
     * Implementation overview.
     *
     * One ReentrantLock guards the buffer, the two FIFO queues of waiting parties (ChannelWaiter) and the
     * closed flag. The lock is held for a few field updates only, never while parking. A send that finds
     * a waiting receiver hands the value straight to it; a receive that finds a waiting sender takes its
     * value straight from it (after first taking the buffer's head, when there is a buffer, and moving that
     * sender's value into the buffer, which keeps FIFO order). Otherwise the caller queues a ChannelWaiter
     * and parks outside the lock (Parking.park).
     *
     * Each waiter's outcome is set once by CAS. A counterpart completes a plain waiter under the lock; the
     * waiter cancels itself (timeout, kill) under the lock too. So, while the lock is held, a queued plain
     * waiter cannot change, and a select registration (whose group may complete through another channel,
     * or be cancelled without this lock) is the only party whose CAS can fail: such a stale registration is
     * dropped from the queue and the next one is tried. A waiter whose cancel loses the race has received
     * (or delivered) its value and returns normally, re-asserting a consumed interrupt; nothing is lost.
     */

    /** The absence of a value (values themselves are never null). */
    private static final Object NOTHING = new Object();

    private static final int OFFERED = 0;
    private static final int FULL = 1;
    private static final int CLOSED = 2;

    private final ReentrantLock lock = new ReentrantLock();
    /** 0 for a rendezvous channel, {@code Integer.MAX_VALUE} for a mailbox. */
    private final int capacity;
    /** Buffered values (and bombs); created on first use. Guarded by {@link #lock}. */
    private @Nullable ArrayDeque<Object> buffer;
    /** Guarded by {@link #lock}. */
    private final WaiterQueue senders = new WaiterQueue();
    /** Guarded by {@link #lock}. */
    private final WaiterQueue receivers = new WaiterQueue();
    /** Guarded by {@link #lock}; set once. */
    private boolean closed;
    /** Actions to run when the channel closes; guarded by {@link #lock}, null when none. */
    private @Nullable List<Runnable> closeActions;
    /** A waiter completed under the lock, to wake once it is released; guarded by {@link #lock}. */
    private @Nullable ChannelWaiter toWake;
    /** What this channel is the engine of (a mailbox), for messages and {@code Tasklet.tree()}; or null. */
    private final @Nullable Object owner;

    /** What {@link #sendException} sends: the receiver throws {@code exception}. */
    private record Bomb(RuntimeException exception) {
    }

    /** Creates a rendezvous channel: {@code send} waits for a receiver, {@code receive} for a sender. */
    public Channel() {
        this(0);
    }

    private Channel(int capacity) {
        this(capacity, null);
    }

    private Channel(int capacity, @Nullable Object owner) {
        this.capacity = capacity;
        this.owner = owner;
    }

    /**
     * Creates a channel that buffers up to {@code capacity} values: {@code send} blocks only while it is full.
     *
     * @param capacity the buffer size, at least 1
     * @param <T> the type of the values
     * @return a new buffered channel
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <T> Channel<T> buffered(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity
                    + "; use new Channel<>() for a rendezvous channel");
        }
        return new Channel<>(capacity);
    }

    /** An unbounded channel, the engine of {@code owner} (a {@link Mailbox}), which names it in messages. */
    static <T> Channel<T> unbounded(Object owner) {
        return new Channel<>(Integer.MAX_VALUE, owner);
    }

    /**
     * Blocks until a receiver takes {@code value} (rendezvous) or the buffer has room for it.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link Timeout}.
     * <b>Kill:</b> throws {@link TaskletExit}; the value is withdrawn and the balance restored.
     * <b>Threads:</b> any thread, concurrently.
     *
     * @param value the value, not null
     * @throws ChannelClosedException if the channel is or becomes closed before the value is taken
     * @throws TimeoutException if the ambient deadline passes first (the value is withdrawn)
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void send(T value) {
        send(Objects.requireNonNull(value, "value"), null, "Channel.send");
    }

    /**
     * Blocks until a receiver takes {@code value} (rendezvous) or the buffer has room for it, for at most
     * {@code timeout}.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link Timeout}; zero or negative
     * means "only if that can happen at once". <b>Kill:</b> throws {@link TaskletExit}; the value is
     * withdrawn and the balance restored. <b>Threads:</b> any thread, concurrently.
     *
     * @param value the value, not null
     * @param timeout how long to wait at most
     * @throws ChannelClosedException if the channel is or becomes closed before the value is taken
     * @throws TimeoutException if the deadline passes first (the value is withdrawn)
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void send(T value, Duration timeout) {
        send(Objects.requireNonNull(value, "value"), Objects.requireNonNull(timeout, "timeout"), "Channel.send");
    }

    /**
     * Sends an exception: the receiver that takes it throws {@code exception} from its {@code receive}.
     * Blocks like {@link #send(Object)}.
     *
     * @param exception what the receiver will throw
     * @throws ChannelClosedException if the channel is or becomes closed before a receiver takes it
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void sendException(RuntimeException exception) {
        send(new Bomb(Objects.requireNonNull(exception, "exception")), null, "Channel.sendException");
    }

    /**
     * Sends an exception, waiting at most {@code timeout}: the receiver that takes it throws
     * {@code exception}. Blocks like {@link #send(Object, Duration)}.
     *
     * @param exception what the receiver will throw
     * @param timeout how long to wait at most
     * @throws ChannelClosedException if the channel is or becomes closed before a receiver takes it
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void sendException(RuntimeException exception, Duration timeout) {
        send(new Bomb(Objects.requireNonNull(exception, "exception")), Objects.requireNonNull(timeout, "timeout"),
                "Channel.sendException");
    }

    /**
     * Offers {@code value} without waiting: hands it to a waiting receiver or buffers it if there is room.
     *
     * @param value the value, not null
     * @return whether the value was taken or buffered
     * @throws ChannelClosedException if the channel is closed
     */
    public boolean offer(T value) {
        Objects.requireNonNull(value, "value");
        int result = offerItem(value);
        if (result == CLOSED) {
            throw closedException("Channel.offer");
        }
        return result == OFFERED;
    }

    /**
     * Blocks until a value is available and returns it.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link Timeout}.
     * <b>Kill:</b> throws {@link TaskletExit} and leaves the queue as if it had never waited.
     * <b>Threads:</b> any thread, concurrently.
     *
     * @return the next value
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws RuntimeException the exception a sender sent with {@link #sendException}
     */
    public T receive() {
        return unwrap(receiveItem(null, "Channel.receive"));
    }

    /**
     * Blocks until a value is available, for at most {@code timeout}, and returns it.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link Timeout}; zero or negative
     * means "only a value that is available at once". <b>Kill:</b> throws {@link TaskletExit} and leaves the
     * queue as if it had never waited. <b>Threads:</b> any thread, concurrently.
     *
     * @param timeout how long to wait at most
     * @return the next value
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws RuntimeException the exception a sender sent with {@link #sendException}
     */
    public T receive(Duration timeout) {
        return unwrap(receiveItem(Objects.requireNonNull(timeout, "timeout"), "Channel.receive"));
    }

    /**
     * Takes a value if one is available at once (buffered, or offered by a waiting sender).
     *
     * @return the value, or empty (also when the channel is closed and drained)
     * @throws RuntimeException the exception a sender sent with {@link #sendException}
     */
    public Optional<T> poll() {
        Object item;
        lock();
        try {
            item = take();
        } finally {
            unlock();
        }
        return item == NOTHING ? Optional.empty() : Optional.of(unwrap(item));
    }

    /**
     * Whether a receiver is waiting ({@code balance() < 0}).
     *
     * @return true if at least one receiver waits
     */
    public boolean hasReceiver() {
        return balance() < 0;
    }

    /**
     * Whether a sender is waiting ({@code balance() > 0}); on a buffered channel, senders wait only while
     * the buffer is full.
     *
     * @return true if at least one sender waits
     */
    public boolean hasSender() {
        return balance() > 0;
    }

    /**
     * The number of waiting senders, or minus the number of waiting receivers. A snapshot.
     *
     * @return the balance
     */
    public int balance() {
        lock();
        try {
            return senders.size() - receivers.size();
        } finally {
            unlock();
        }
    }

    /**
     * The number of buffered values (always 0 on a rendezvous channel). A snapshot.
     *
     * @return the number of values waiting in the buffer
     */
    public int size() {
        lock();
        try {
            return buffer == null ? 0 : buffer.size();
        } finally {
            unlock();
        }
    }

    /**
     * The buffer capacity: 0 for a rendezvous channel.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Closes the channel: waiting senders and receivers throw {@link ChannelClosedException}, further
     * sends throw it, and receives drain the buffer first. Idempotent.
     */
    public void close() {
        List<Runnable> actions;
        lock();
        try {
            actions = closeLocked();
        } finally {
            unlock();
        }
        runCloseActions(actions);
    }

    /**
     * Runs {@code action} when the channel is closed, on the thread that closes it, after the waiting
     * senders and receivers have been woken; at once, on the calling thread, if it is closed already. An
     * exception from the action is logged. For bridging channels to other sources, e.g. cancelling a
     * subscription that feeds the channel.
     *
     * @param action what to run; must not block
     */
    public void onClose(Runnable action) {
        Objects.requireNonNull(action, "action");
        lock();
        try {
            if (!closed) {
                if (closeActions == null) {
                    closeActions = new ArrayList<>(2);
                }
                closeActions.add(action);
                return;
            }
        } finally {
            unlock();
        }
        runCloseActions(List.of(action));
    }
    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        lock();
        try {
            return closed;
        } finally {
            unlock();
        }
    }

    /**
     * An iterator that {@linkplain #receive() receives} in {@code hasNext()} (blocking) and ends when the
     * channel is closed and drained. Each iterator is for one tasklet at a time.
     *
     * @return a receiving iterator
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private Object next = NOTHING;

            @Override
            public boolean hasNext() {
                if (next != NOTHING) {
                    return true;
                }
                try {
                    next = receiveItem(null, "Channel iteration");
                    return true;
                } catch (ChannelClosedException closedAndDrained) {
                    return false;
                }
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("channel closed and drained");
                }
                Object item = next;
                next = NOTHING;
                return unwrap(item);
            }
        };
    }

    @Override
    public String toString() {
        if (owner != null) {
            return owner.toString();
        }
        lock();
        try {
            return "Channel[" + (capacity == 0 ? "rendezvous" : "capacity=" + capacity)
                    + ", buffered=" + (buffer == null ? 0 : buffer.size())
                    + ", balance=" + (senders.size() - receivers.size())
                    + (closed ? ", closed]" : "]");
        } finally {
            unlock();
        }
    }

    // ---- the engine, shared with Mailbox and Select ----

    /** Spins before blocking on the lock: it is held for a few field updates, and parking costs far more. */
    private static final int LOCK_SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 64 : 0;

    /**
     * Releases the channel lock, then wakes the party a hand-off under it completed: woken after the
     * release, it does not run into the lock (possibly on another core) while it is still held.
     */
    private void unlock() {
        ChannelWaiter completed = toWake;
        toWake = null;
        lock.unlock();
        if (completed != null) {
            completed.wake();
        }
    }

    /**
     * Takes the channel lock. The critical sections are a handful of field updates; a contended
     * {@link ReentrantLock} would park a virtual thread (microseconds) to wait for nanoseconds, so the lock
     * is first retried for a few spins.
     */
    private void lock() {
        if (lock.tryLock()) {
            return;
        }
        for (int spins = LOCK_SPINS; spins > 0; spins--) {
            Thread.onSpinWait();
            if (lock.tryLock()) {
                return;
            }
        }
        lock.lock();
    }

    private void send(Object item, @Nullable Duration timeout, String operation) {
        ChannelWaiter waiter;
        long deadline;
        lock();
        try {
            if (closed) {
                throw closedException(operation);
            }
            if (handOff(item) || bufferItem(item)) {
                return;
            }
            deadline = Deadlines.effective(timeout);
            if (Deadlines.hasPassed(deadline)) {
                throw Deadlines.timeout(operation, timeout, deadline);
            }
            waiter = ChannelWaiter.forCurrentThread(item);
            senders.add(waiter);
        } finally {
            unlock();
        }
        await(waiter, senders, deadline, timeout, operation);
    }

    /** Receives one item (a value or a bomb), blocking; see {@link #receive(Duration)}. */
    Object receiveItem(@Nullable Duration timeout, String operation) {
        ChannelWaiter waiter;
        long deadline;
        lock();
        try {
            Object item = take();
            if (item != NOTHING) {
                return item;
            }
            if (closed) {
                throw closedException(operation);
            }
            deadline = Deadlines.effective(timeout);
            if (Deadlines.hasPassed(deadline)) {
                throw Deadlines.timeout(operation, timeout, deadline);
            }
            waiter = ChannelWaiter.forCurrentThread(null);
            receivers.add(waiter);
        } finally {
            unlock();
        }
        // await(), written out: a parked receiver keeps a frame per method between its tasklet's run and the
        // park that C2 did not inline, and await, compiled on its own first (hot, with its exception paths),
        // was often one of them (PERFORMANCE.md, tasklet-memory)
        Parking.Wake wake = Parking.park(waiter, deadline, this);
        if (wake != Parking.Wake.READY || waiter.closedOut()) {
            afterWait(wake, waiter, receivers, deadline, timeout, operation);
        }
        return Objects.requireNonNull(waiter.item);
    }

    /** Parks a queued plain waiter until it is served, closed out, timed out or killed. */
    private void await(ChannelWaiter waiter, WaiterQueue queue, long deadline, @Nullable Duration timeout,
                       String operation) {
        Parking.Wake wake = Parking.park(waiter, deadline, this);
        if (wake != Parking.Wake.READY || waiter.closedOut()) {
            afterWait(wake, waiter, queue, deadline, timeout, operation);
        }
    }

    /**
     * The end of a wait that did not simply succeed: withdraws the waiter after a timeout or a kill unless a
     * counterpart served it first (then re-asserts a consumed interrupt), and throws for a closed channel.
     */
    private void afterWait(Parking.Wake wake, ChannelWaiter waiter, WaiterQueue queue, long deadline,
                           @Nullable Duration timeout, String operation) {
        if (wake != Parking.Wake.READY) {
            if (cancel(waiter, queue)) {
                throw wake == Parking.Wake.TIMED_OUT
                        ? Deadlines.timeout(operation, timeout, deadline)
                        : Parking.killed(operation);
            }
            if (wake == Parking.Wake.INTERRUPTED) {
                Parking.restoreInterrupt();
            }
        }
        if (waiter.closedOut()) {
            throw closedException(operation);
        }
    }

    /** Withdraws a plain waiter, unless a counterpart served it first. */
    private boolean cancel(ChannelWaiter waiter, WaiterQueue queue) {
        lock();
        try {
            if (!waiter.tryComplete(ChannelWaiter.CANCELLED)) {
                return false;
            }
            queue.remove(waiter);
            return true;
        } finally {
            unlock();
        }
    }

    /** Offers without waiting: {@link #OFFERED}, {@link #FULL} or {@link #CLOSED}. */
    int offerItem(Object item) {
        lock();
        try {
            if (closed) {
                return CLOSED;
            }
            return handOff(item) || bufferItem(item) ? OFFERED : FULL;
        } finally {
            unlock();
        }
    }

    /** Whether {@link #offerItem} refused because the channel is closed. */
    static boolean isClosedResult(int offerResult) {
        return offerResult == CLOSED;
    }

    /** Closes the channel and returns what was still buffered (for a mailbox's dead letters). */
    List<Object> closeAndDrain() {
        List<Runnable> actions;
        List<Object> rest;
        lock();
        try {
            actions = closeLocked();
            rest = buffer == null ? List.of() : new ArrayList<>(buffer);
            if (buffer != null) {
                buffer.clear();
            }
        } finally {
            unlock();
        }
        runCloseActions(actions);
        return rest;
    }

    /** Select: the value taken at once, the select completed elsewhere, the channel done, or now waiting. */
    enum Registration { TOOK, GROUP_DONE, CLOSED_AND_DRAINED, WAITING }

    /**
     * Registers select {@code registration}: takes a value at once if there is one (and the select has not
     * completed through another channel), otherwise queues the registration as a receiver.
     */
    Registration register(ChannelWaiter.Registration registration) {
        lock();
        try {
            if (registration.group.outcome() != null) {
                return Registration.GROUP_DONE;
            }
            Object item = peek();
            if (item != NOTHING) {
                registration.item = item;
                if (!registration.fire(ChannelWaiter.DELIVERED)) {
                    registration.item = null;
                    return Registration.GROUP_DONE;
                }
                take();
                return Registration.TOOK;
            }
            if (closed) {
                return Registration.CLOSED_AND_DRAINED;
            }
            receivers.add(registration);
            return Registration.WAITING;
        } finally {
            unlock();
        }
    }

    /** Removes a select registration that is still queued. */
    void deregister(ChannelWaiter.Registration registration) {
        lock();
        try {
            receivers.remove(registration);
        } finally {
            unlock();
        }
    }

    /** Returns a received item, throwing a bomb's exception. */
    @SuppressWarnings("unchecked")
    static <T> T unwrap(Object item) {
        if (item instanceof Bomb bomb) {
            throw bomb.exception();
        }
        return (T) item;
    }

    ChannelClosedException closedException(String operation) {
        return new ChannelClosedException(operation + " on a closed channel: " + this);
    }

    // ---- under the lock ----

    /** Closes; returns the close actions to run once the lock is released. */
    private List<Runnable> closeLocked() {
        if (closed) {
            return List.of();
        }
        closed = true;
        for (ChannelWaiter r; (r = receivers.poll()) != null; ) {
            if (r.fire(ChannelWaiter.CLOSED)) {
                r.group().wake();
            }
        }
        for (ChannelWaiter s; (s = senders.poll()) != null; ) {
            if (s.fire(ChannelWaiter.CLOSED)) {
                s.wake();
            }
        }
        List<Runnable> actions = closeActions == null ? List.of() : closeActions;
        closeActions = null;
        return actions;
    }

    private static void runCloseActions(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("A Channel.onClose action failed", e);
            }
        }
    }

    /** Hands {@code item} to the first live waiting receiver. */
    private boolean handOff(Object item) {
        for (ChannelWaiter r; (r = receivers.poll()) != null; ) {
            r.item = item;
            if (r.fire(ChannelWaiter.DELIVERED)) {
                toWake = r.group();
                return true;
            }
            r.item = null; // a select registration whose select completed elsewhere
        }
        return false;
    }

    private boolean bufferItem(Object item) {
        if (capacity == 0) {
            return false;
        }
        if (buffer == null) {
            buffer = new ArrayDeque<>(Math.min(capacity, 16));
        }
        if (buffer.size() >= capacity) {
            return false;
        }
        buffer.addLast(item);
        return true;
    }

    /** Takes the next item: the buffer's head (refilled from a waiting sender) or a waiting sender's value. */
    private Object take() {
        if (buffer != null && !buffer.isEmpty()) {
            Object item = buffer.pollFirst();
            Object refill = takeFromSender();
            if (refill != NOTHING) {
                buffer.addLast(refill);
            }
            return item;
        }
        return takeFromSender();
    }

    /** The item {@link #take()} would return, without taking it. */
    private Object peek() {
        if (buffer != null && !buffer.isEmpty()) {
            return buffer.peekFirst();
        }
        ChannelWaiter sender = senders.peek();
        return sender == null ? NOTHING : Objects.requireNonNull(sender.item);
    }

    private Object takeFromSender() {
        ChannelWaiter sender = senders.poll();
        if (sender == null) {
            return NOTHING;
        }
        sender.fire(ChannelWaiter.DELIVERED); // cannot fail: a plain sender cancels under this lock
        toWake = sender;
        return Objects.requireNonNull(sender.item);
    }
}
