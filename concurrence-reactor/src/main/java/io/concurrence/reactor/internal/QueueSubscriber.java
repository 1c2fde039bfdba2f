package io.concurrence.reactor.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import io.concurrence.internal.Deadlines;
import io.concurrence.internal.Parking;

/**
 * A subscriber that buffers at most {@code prefetch} elements and hands them to one consuming tasklet,
 * which blocks in {@link #poll} until an element, the end, or an error arrives.
 *
 * <p>Demand is driven by the consumer: {@code prefetch} elements are requested up front, and each time
 * the consumer has taken {@code limit} (three quarters of the prefetch) that many more. A consumer that
 * stops taking therefore stops the producer; with Reactor Netty, a socket whose reader stops stops reading
 * from the network, and the peer's writes back up.
 *
 * <p>{@link #cancel()} cancels upstream and hands every buffered element, and any that still arrives, to
 * the {@code discard} action (e.g. releasing Netty buffers), so nothing leaks.
 */
public final class QueueSubscriber<T> implements CoreSubscriber<T>, Parking.Waitable {

    private static final VarHandle SUBSCRIPTION;
    private static final VarHandle DRAINING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SUBSCRIPTION = lookup.findVarHandle(QueueSubscriber.class, "subscription", Subscription.class);
            DRAINING = lookup.findVarHandle(QueueSubscriber.class, "draining", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int prefetch;
    private final int limit;
    private final Context context;
    /** What to do with an element that will never be consumed; null: Reactor's discard hook. */
    private final @Nullable Consumer<? super T> discard;
    /** The context for Reactor's discard hook; see {@link Bridge#discardContext}. Set by onSubscribe. */
    private volatile Context discardContext;
    /** Multi-consumer: the consumer polls while a cancel may drain from another thread. */
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();

    private volatile @Nullable Subscription subscription;
    /** Written before {@link #done}; read after it. */
    private @Nullable Throwable error;
    private volatile boolean done;
    private volatile boolean cancelled;
    /** The consumer while it is parked; read by producers to wake it. */
    private volatile @Nullable Thread waiter;
    /** Elements taken since the last request; consumer only. */
    private int consumed;
    /** Guards {@link #drainDiscarding()}: more than zero while one thread drains. */
    private volatile int draining;

    /**
     * @param prefetch how many elements to buffer at most, at least 1
     * @param discard what to do with an element that will never be consumed; null for Reactor's discard
     *        hook (a {@code doOnDiscard} placed last in the chain)
     */
    public QueueSubscriber(int prefetch, Context context, @Nullable Consumer<? super T> discard) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
        }
        this.prefetch = prefetch;
        this.limit = Math.max(1, prefetch - (prefetch >> 2));
        this.context = context;
        this.discard = discard;
        this.discardContext = context;
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        discardContext = Bridge.discardContext(s, context);
        if (SUBSCRIPTION.compareAndSet(this, null, s)) {
            s.request(prefetch);
        } else {
            s.cancel();
        }
    }

    @Override
    public void onNext(T t) {
        if (cancelled) {
            discardOne(t);
            return;
        }
        queue.offer(t);
        if (cancelled) {
            drainDiscarding(); // cancel() may have drained before this element was queued
            return;
        }
        wake();
    }

    @Override
    public void onError(Throwable t) {
        if (done || cancelled) {
            Operators.onErrorDropped(t, context);
            return;
        }
        error = t;
        done = true;
        wake();
    }

    @Override
    public void onComplete() {
        done = true;
        wake();
    }

    @Override
    public boolean isReady() {
        return done || cancelled || !queue.isEmpty();
    }

    /**
     * Blocks until an element is available and takes it; null at the end of the stream.
     *
     * @param deadline a {@link Deadlines} deadline for this wait
     * @param timeout the caller's timeout, for the exception message
     * @throws io.concurrence.TimeoutException if the deadline passes first (the subscription is kept)
     * @throws io.concurrence.TaskletExit if the consumer is killed (the subscription is kept)
     * @throws RuntimeException the upstream error, see {@link Bridge#propagate}
     */
    public @Nullable T poll(long deadline, @Nullable Duration timeout, String operation) {
        for (;;) {
            T t = queue.poll();
            if (t != null) {
                replenish();
                return t;
            }
            if (done || cancelled) {
                t = queue.poll();
                if (t != null) {
                    replenish();
                    return t;
                }
                Throwable failure = error;
                if (failure != null && !cancelled) {
                    throw Bridge.propagate(failure, operation);
                }
                return null;
            }
            waiter = Thread.currentThread();
            Parking.Wake wake;
            try {
                wake = Parking.park(this, deadline, this);
            } finally {
                waiter = null;
            }
            if (wake == Parking.Wake.INTERRUPTED) {
                if (!isReady()) {
                    throw Parking.killed(operation);
                }
                Parking.restoreInterrupt();
            } else if (wake == Parking.Wake.TIMED_OUT && !isReady()) {
                throw Deadlines.timeout(operation, timeout, deadline);
            }
        }
    }

    /** Takes an element if one is buffered, without waiting; null if none. */
    public @Nullable T tryPoll() {
        T t = queue.poll();
        if (t != null) {
            replenish();
        }
        return t;
    }

    /** Whether the stream has ended (completed, failed or cancelled) and every element has been taken. */
    public boolean isFinished() {
        return (done || cancelled) && queue.isEmpty();
    }

    /** Cancels upstream and discards what is buffered, now and later. Idempotent; any thread. */
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        Subscription s = (Subscription) SUBSCRIPTION.getAndSet(this, Operators.cancelledSubscription());
        if (s != null && s != Operators.cancelledSubscription()) {
            s.cancel();
        }
        drainDiscarding();
        wake();
    }

    private void replenish() {
        if (++consumed == limit) {
            consumed = 0;
            Subscription s = subscription;
            if (s != null) {
                s.request(limit);
            }
        }
    }

    private void wake() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    private void drainDiscarding() {
        if ((int) DRAINING.getAndAdd(this, 1) != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            for (T t; (t = queue.poll()) != null; ) {
                discardOne(t);
            }
            missed = (int) DRAINING.getAndAdd(this, -missed) - missed;
            if (missed == 0) {
                return;
            }
        }
    }

    private void discardOne(T t) {
        try {
            if (discard == null) {
                Operators.onDiscard(t, discardContext);
                return;
            }
            discard.accept(t);
        } catch (RuntimeException e) {
            Operators.onErrorDropped(e, context);
        }
    }

    @Override
    public String toString() {
        return "Await of a Flux";
    }
}
