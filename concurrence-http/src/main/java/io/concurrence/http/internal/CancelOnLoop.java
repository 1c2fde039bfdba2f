package io.concurrence.http.internal;

import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;

import io.netty.channel.Channel;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.util.context.Context;

/**
 * An exchange whose cancellation (a tasklet timed out or killed while it waited for the response head) runs
 * on the event loop of the exchange's connection, once the connection is known.
 *
 * <p>Why: a cancel issued from the tasklet's thread reaches Reactor Netty, which decides there that the
 * response is still pending and schedules the connection's close on its event loop. If the response arrives
 * in between, the loop completes it and hands the connection back to the pool, where the next exchange takes
 * it and sends its request; then the close scheduled for the old exchange runs and fails the new one
 * ("Connection prematurely closed BEFORE response"). Decided on the loop, the cancel sees the exchange as it
 * is: still pending (the connection closes with it, nothing else uses it) or complete (nothing to cancel; the
 * late response is abandoned by the discard hook, which drains it and keeps the connection).
 *
 * <p>Before the connection is known (still being acquired) the cancel runs at once: nothing has been sent.
 */
final class CancelOnLoop<T> extends MonoOperator<T, T> {

    private final ConnectionSlot slot;

    CancelOnLoop(Mono<T> source, ConnectionSlot slot) {
        super(source);
        this.slot = slot;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        source.subscribe(new Relay<>(actual, slot));
    }

    /** Where the exchange records its connection's channel as the request goes out (on the event loop). */
    static final class ConnectionSlot {
        private volatile @Nullable Channel channel;

        void set(Channel channel) {
            this.channel = channel;
        }

        @Nullable Channel get() {
            return channel;
        }
    }

    private static final class Relay<T> implements CoreSubscriber<T>, Subscription {

        private final CoreSubscriber<? super T> actual;
        private final ConnectionSlot slot;
        /** Set once by onSubscribe, before {@code actual} can request or cancel. */
        private @Nullable Subscription upstream;

        Relay(CoreSubscriber<? super T> actual, ConnectionSlot slot) {
            this.actual = actual;
            this.slot = slot;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            actual.onSubscribe(this);
        }

        @Override
        public void onNext(T value) {
            actual.onNext(value);
        }

        @Override
        public void onError(Throwable error) {
            actual.onError(error);
        }

        @Override
        public void onComplete() {
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            Subscription s = upstream;
            if (s != null) {
                s.request(n);
            }
        }

        @Override
        public void cancel() {
            Subscription s = upstream;
            if (s == null) {
                return;
            }
            Channel channel = slot.get();
            if (channel == null || channel.eventLoop().inEventLoop()) {
                s.cancel();
                return;
            }
            try {
                channel.eventLoop().execute(s::cancel);
            } catch (RejectedExecutionException e) {
                s.cancel(); // the loop is shutting down: its channels are closing anyway
            }
        }
    }
}
