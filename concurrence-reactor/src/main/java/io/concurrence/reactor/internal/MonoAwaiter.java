package io.concurrence.reactor.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import io.concurrence.internal.Deadlines;
import io.concurrence.internal.Parking;

/**
 * Subscribes to a {@link Mono} and parks the calling tasklet until it signals.
 *
 * <p>The outcome is decided once, by CAS on {@code state}: the first signal ({@code onNext},
 * {@code onComplete} or {@code onError}) moves it from WAITING to DONE, or the waiter moves it to
 * CANCELLED when its deadline passes or it is killed, and then cancels the subscription. A value that
 * arrives after the waiter gave up is handed to Reactor's discard hook (a {@code doOnDiscard} placed last
 * in the chain, nearest to the awaiter), so that a resource such as a pooled connection is not lost.
 */
public final class MonoAwaiter<T> implements CoreSubscriber<T>, Parking.Waitable {

    private static final int WAITING = 0;
    private static final int DONE = 1;
    private static final int CANCELLED = 2;

    private static final VarHandle STATE;
    private static final VarHandle SUBSCRIPTION;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(MonoAwaiter.class, "state", int.class);
            SUBSCRIPTION = lookup.findVarHandle(MonoAwaiter.class, "subscription", Subscription.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread waiter;
    private final Context context;
    /** Written by the signalling thread before the CAS to DONE; read by the waiter after it. */
    private @Nullable T value;
    private @Nullable Throwable error;
    private volatile int state;
    /** Set once by onSubscribe; replaced by {@link Operators#cancelledSubscription()} on cancel. */
    private volatile @Nullable Subscription subscription;
    /** The context a late value is discarded with; see {@link Bridge#discardContext}. Set by onSubscribe. */
    private volatile Context discardContext;

    private MonoAwaiter(Context context) {
        this.waiter = Thread.currentThread();
        this.context = context;
        this.discardContext = context;
    }

    /**
     * Subscribes to {@code mono} and waits for its value (null when empty).
     *
     * @param operation the caller's name for messages, e.g. {@code "Await.of"}
     */
    public static <T> @Nullable T await(Mono<T> mono, @Nullable Duration timeout, String operation) {
        Bridge.checkMayBlock(operation);
        long deadline = Deadlines.effective(timeout);
        MonoAwaiter<T> awaiter = new MonoAwaiter<>(Bridge.context());
        mono.subscribe(awaiter);
        if (awaiter.state == WAITING) {
            Parking.Wake wake = Parking.park(awaiter, deadline, awaiter);
            if (wake != Parking.Wake.READY) {
                if (awaiter.cancel()) {
                    throw wake == Parking.Wake.TIMED_OUT
                            ? Deadlines.timeout(operation, timeout, deadline)
                            : Parking.killed(operation);
                }
                if (wake == Parking.Wake.INTERRUPTED) {
                    Parking.restoreInterrupt();
                }
            }
        }
        Throwable failure = awaiter.error;
        if (failure != null) {
            throw Bridge.propagate(failure, operation);
        }
        return awaiter.value;
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        discardContext = Bridge.discardContext(s, context);
        if (SUBSCRIPTION.compareAndSet(this, null, s)) {
            s.request(Long.MAX_VALUE);
        } else {
            s.cancel(); // cancelled before it arrived, or a second subscription (a misbehaving source)
        }
    }

    @Override
    public void onNext(T t) {
        if (state != WAITING) {
            Operators.onDiscard(t, discardContext);
            return;
        }
        value = t;
        if (!STATE.compareAndSet(this, WAITING, DONE)) {
            value = null;
            Operators.onDiscard(t, discardContext);
            return;
        }
        LockSupport.unpark(waiter);
    }

    @Override
    public void onError(Throwable t) {
        if (state != WAITING) {
            Operators.onErrorDropped(t, context);
            return;
        }
        error = t;
        if (STATE.compareAndSet(this, WAITING, DONE)) {
            LockSupport.unpark(waiter);
        } else {
            error = null;
            Operators.onErrorDropped(t, context);
        }
    }

    @Override
    public void onComplete() {
        if (STATE.compareAndSet(this, WAITING, DONE)) {
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public boolean isReady() {
        return state != WAITING;
    }

    /** Gives up: returns false if the outcome arrived first. */
    private boolean cancel() {
        if (!STATE.compareAndSet(this, WAITING, CANCELLED)) {
            return false;
        }
        Subscription s = (Subscription) SUBSCRIPTION.getAndSet(this, Operators.cancelledSubscription());
        if (s != null && s != Operators.cancelledSubscription()) {
            s.cancel();
        }
        return true;
    }

    @Override
    public String toString() {
        return "Await of a Mono";
    }
}
