package io.concurrence;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import io.concurrence.internal.Parking;

/**
 * A party blocked on a channel: a plain sender with its offered value, a plain receiver, or a
 * {@link Select}'s group (the select's own waiter, queued nowhere). A select's registration on one channel
 * is a {@link Registration}, which completes its group instead of itself.
 *
 * <p>The {@code outcome} of a plain waiter or a group is set exactly once, by CAS. A plain waiter's is
 * {@link #DELIVERED_OUTCOME} or {@link #CLOSED_OUTCOME}, set by a counterpart ({@link #fire}); a group's is the
 * registration that fired. Either may instead be set to {@link #CANCELLED} by the waiting thread itself
 * (timeout, kill). Everything a counterpart writes into a waiter ({@code item}, a registration's
 * {@code signal}) is written before that CAS, under the channel lock, so the waiter sees it once it sees
 * the outcome.
 *
 * <p>A plain waiter is all that a parked {@code send} or {@code receive} holds (PERFORMANCE.md's
 * tasklet-memory scenario): five fields, 32 bytes with compressed oops; whether it is queued follows from
 * its links (see {@link WaiterQueue#remove}).
 */
class ChannelWaiter implements Parking.Waitable {

    /** {@link Registration#signal}: the value was handed over (a receiver got {@link #item}). */
    static final int DELIVERED = 1;
    /** {@link Registration#signal}: the channel closed while this party waited. */
    static final int CLOSED = 2;

    /** The outcome of a wait given up by its own thread. */
    static final Object CANCELLED = new Object() {
        @Override
        public String toString() {
            return "CANCELLED";
        }
    };
    /** The outcome of a plain waiter whose value was handed over. */
    private static final Object DELIVERED_OUTCOME = new Object() {
        @Override
        public String toString() {
            return "DELIVERED";
        }
    };
    /** The outcome of a plain waiter that the channel's close woke. */
    private static final Object CLOSED_OUTCOME = new Object() {
        @Override
        public String toString() {
            return "CLOSED";
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
    /** Sender: the offered value. Receiver: the value received. Guarded by the channel lock. */
    @Nullable Object item;
    /** Links of the channel's {@link WaiterQueue}; guarded by the channel lock. */
    @Nullable ChannelWaiter prev;
    @Nullable ChannelWaiter next;

    /** Null while waiting, then see the class comment. Unused by a {@link Registration}. */
    private volatile @Nullable Object outcome;

    /**
     * A plain sender (with its item) or receiver waiting on a channel, or a select group (the shared waiter
     * of several registrations; no item), for the current thread.
     */
    static ChannelWaiter forCurrentThread(@Nullable Object item) {
        return new ChannelWaiter(Thread.currentThread(), item);
    }

    private ChannelWaiter(Thread thread, @Nullable Object item) {
        this.thread = thread;
        this.item = item;
    }

    /** The waiter to wake when this party fires: itself, or a registration's group. */
    ChannelWaiter group() {
        return this;
    }

    /**
     * Completes this party, which a counterpart found queued, under the channel lock: {@code signal} is
     * {@link #DELIVERED} or {@link #CLOSED}. Does not wake the waiter (see {@link #tryComplete}).
     *
     * @return false if the party had completed already (a select registration whose select completed
     *         elsewhere, or was cancelled)
     */
    boolean fire(int signal) {
        return tryComplete(signal == CLOSED ? CLOSED_OUTCOME : DELIVERED_OUTCOME);
    }

    /** Whether a plain waiter was woken by the channel's close. */
    boolean closedOut() {
        return outcome == CLOSED_OUTCOME;
    }

    /**
     * Sets this waiter's outcome if it has none. Does not wake the waiter: the caller does, with
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

    /** The outcome: null while waiting. */
    @Nullable Object outcome() {
        return outcome;
    }

    @Override
    public boolean isReady() {
        return outcome != null;
    }

    /** What a select's group is shown as while it waits (its park blocker); plain waiters are never shown. */
    @Override
    public String toString() {
        return "Select";
    }

    /**
     * A select's registration on one channel, queued there as a receiver. Firing it records the signal and
     * completes the group with this registration.
     */
    static final class Registration extends ChannelWaiter {

        /** The select group this registers for; set at construction. */
        final ChannelWaiter group;
        /** The channel this registration is queued on; set at construction. */
        final Channel<?> channel;
        /** {@link #DELIVERED} or {@link #CLOSED}; written by the counterpart under the channel lock before the CAS. */
        int signal;

        Registration(ChannelWaiter group, Channel<?> channel) {
            super(group.thread, null);
            this.group = group;
            this.channel = channel;
        }

        @Override
        ChannelWaiter group() {
            return group;
        }

        @Override
        boolean fire(int signal) {
            this.signal = signal;
            return group.tryComplete(this);
        }

        @Override
        public String toString() {
            return "Select registration on " + channel;
        }
    }
}
