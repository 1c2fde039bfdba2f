package io.concurrence.http.internal;

import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketException;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Operators;

import io.concurrence.internal.Deadlines;
import io.concurrence.internal.Parking;

/**
 * The body of a streamed response: the handler's tasklet emits buffers, Reactor Netty subscribes and
 * requests them as the connection becomes writable. The tasklet waits for demand before each buffer, so a
 * client that reads slowly stops the handler's writes instead of filling the heap.
 *
 * <p>One subscriber (Reactor Netty's), one emitting tasklet. Signals to the subscriber come from the
 * tasklet only, so they are serialized.
 */
final class BodyPublisher implements Publisher<ByteBuf>, Subscription, Parking.Waitable {

    private static final VarHandle REQUESTED;

    static {
        try {
            REQUESTED = MethodHandles.lookup().findVarHandle(BodyPublisher.class, "requested", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String peer;
    /** Set once, on the event loop, by Reactor Netty's subscription. */
    private volatile @Nullable Subscriber<? super ByteBuf> subscriber;
    /** Outstanding demand; added to by the subscriber, taken by the tasklet. */
    private volatile long requested;
    private volatile boolean cancelled;
    /** The tasklet while it waits for demand; read by the event loop to wake it. */
    private volatile @Nullable Thread waiter;
    /** Body bytes handed to the subscriber; written by the tasklet, read for the access log once the body ends. */
    private volatile long emitted;

    BodyPublisher(String peer) {
        this.peer = peer;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuf> s) {
        if (subscriber != null) {
            Operators.error(s, new IllegalStateException("a response body is sent once"));
            return;
        }
        subscriber = s;
        s.onSubscribe(this);
        wake();
    }

    @Override
    public void request(long n) {
        if (n > 0) {
            long current;
            long next;
            do {
                current = requested;
                next = current + n < 0 ? Long.MAX_VALUE : current + n;
            } while (!REQUESTED.compareAndSet(this, current, next));
            wake();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        wake();
    }

    /** Whether the subscriber (Reactor Netty, as the connection closed) cancelled the body. */
    boolean isCancelled() {
        return cancelled;
    }

    @Override
    public boolean isReady() {
        return cancelled || subscriber != null && requested > 0;
    }

    /**
     * Emits one buffer once there is demand (the tasklet blocks until then).
     *
     * @throws UncheckedIOException if the connection has gone (the buffer is released)
     */
    void emit(ByteBuf buffer) {
        try {
            awaitDemand();
        } catch (RuntimeException | Error e) {
            buffer.release();
            throw e;
        }
        if (cancelled) {
            buffer.release();
            throw gone();
        }
        REQUESTED.getAndAdd(this, -1L);
        emitted += buffer.readableBytes(); // one writer, the tasklet
        subscriberOrFail().onNext(buffer);
    }

    /** The body bytes emitted so far. */
    long emitted() {
        return emitted;
    }

    /** Ends the body (waits for the subscription, not for demand). */
    void complete() {
        awaitSubscription();
        if (!cancelled) {
            subscriberOrFail().onComplete();
        }
    }

    /** Aborts the body: Reactor Netty closes the connection. */
    void fail(Throwable error) {
        Subscriber<? super ByteBuf> s = subscriber;
        if (s != null && !cancelled) {
            s.onError(error);
        }
    }

    private void awaitDemand() {
        if (isReady()) {
            return;
        }
        waitFor(this);
    }

    private void awaitSubscription() {
        if (subscriber != null || cancelled) {
            return;
        }
        waitFor(() -> subscriber != null || cancelled);
    }

    private void waitFor(Parking.Waitable condition) {
        long deadline = Deadlines.ambient();
        waiter = Thread.currentThread();
        Parking.Wake wake;
        try {
            wake = Parking.park(condition, deadline, this);
        } finally {
            waiter = null;
        }
        if (wake == Parking.Wake.TIMED_OUT) {
            throw Deadlines.timeout("HttpResponse write to " + peer + " (the client is not reading)", null, deadline);
        }
        if (wake == Parking.Wake.INTERRUPTED) {
            throw Parking.killed("HttpResponse write");
        }
    }

    private Subscriber<? super ByteBuf> subscriberOrFail() {
        Subscriber<? super ByteBuf> s = subscriber;
        if (s == null) {
            throw new IllegalStateException("no subscriber");
        }
        return s;
    }

    private UncheckedIOException gone() {
        return new UncheckedIOException(new SocketException("the connection to " + peer + " is closed"));
    }

    private void wake() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public String toString() {
        return "response body to " + peer;
    }
}
