package io.concurrence;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import io.concurrence.internal.Parking;

/**
 * A party blocked on a channel: a sender with its offered value, a receiver, or one channel's registration
 * of a {@link Select}. Registrations of one select share a <em>group</em> (the select's own waiter); plain
 * senders and receivers are their own group.
 *
 * <p>The group's {@code outcome} is set exactly once, by CAS: to the registration that fired (a value was
 * delivered or taken, or the channel closed) or to {@link #CANCELLED} by the waiting thread itself (timeout,
 * kill). Everything a counterpart writes into a registration ({@code item}, {@code signal}) is written
 * before that CAS, under the registration's channel lock, so the waiter sees it once it sees the outcome.
 */
final class ChannelWaiter implements Parking.Waitable {

    /** {@link #signal}: the value was handed over (a receiver got {@link #item}, a sender's item was taken). */
    static final int DELIVERED = 1;
    /** {@link #signal}: the channel closed while this party waited. */
    static final int CLOSED = 2;

    /** The outcome of a wait given up by its own thread. */
    static final Object CANCELLED = new Object() {
        @Override
        public String toString() {
            return "CANCELLED";
        }
    };

    private static final VarHandle OUTCOME;

    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(ChannelWaiter.class, "outcome", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The waiting thread; set at construction. */
    final Thread thread;
    /** This waiter, or the select group it registers for; set at construction. */
    final ChannelWaiter group;
    /** The channel this registration is queued on (null for a select group itself); set at construction. */
    final @Nullable Channel<?> channel;

    /** Sender: the offered value. Receiver: the value received. Guarded by the channel lock. */
    @Nullable Object item;
    /** {@link #DELIVERED} or {@link #CLOSED}; written by the counterpart under the channel lock before the CAS. */
    int signal;
    /** Links of the channel's {@link WaiterQueue}; guarded by the channel lock. */
    @Nullable ChannelWaiter prev;
    @Nullable ChannelWaiter next;
    /** Whether this registration is in a queue; guarded by the channel lock. */
    boolean queued;

    /** Group only: null while waiting, then the registration that fired, or {@link #CANCELLED}. */
    private volatile @Nullable Object outcome;

    /** A plain sender (with its item) or receiver, waiting on {@code channel}. */
    ChannelWaiter(Channel<?> channel, @Nullable Object item) {
        this.thread = Thread.currentThread();
        this.group = this;
        this.channel = channel;
        this.item = item;
    }

    /** A select group: the shared waiter of several registrations. */
    ChannelWaiter() {
        this.thread = Thread.currentThread();
        this.group = this;
        this.channel = null;
    }

    /** A registration of select {@code group} on {@code channel}. */
    ChannelWaiter(ChannelWaiter group, Channel<?> channel) {
        this.thread = group.thread;
        this.group = group;
        this.channel = channel;
    }

    /**
     * Sets this group's outcome if it has none. Does not wake the waiter: the caller does, with
     * {@link #wake()}, once it has released the channel lock (so that the woken tasklet does not run into
     * a lock still held).
     *
     * @return whether this call set the outcome
     */
    boolean tryComplete(Object result) {
        return OUTCOME.compareAndSet(this, null, result);
    }

    /** Unparks the waiting thread. */
    void wake() {
        LockSupport.unpark(thread);
    }

    /** The group's outcome: null while waiting. */
    @Nullable Object outcome() {
        return outcome;
    }

    @Override
    public boolean isReady() {
        return outcome != null;
    }

    @Override
    public String toString() {
        return channel == null ? "Select" : "waiter on " + channel;
    }
}
