package io.concurrence.http.internal;

import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

/**
 * A response body whose cancellation never harms the connection's next user.
 *
 * <p>Why: Reactor Netty hands a kept-alive connection back to its pool as soon as the last bytes of a
 * response have <em>arrived</em>, even if they still sit unread in the exchange's inbound queue. Cancelling
 * that exchange's {@code receive()} afterwards closes the channel, which by then may carry another
 * tasklet's exchange. So a cancel (a body closed early, a timed-out or killed read) is decided on the
 * connection's event loop, where the exchange's state cannot change under us:
 * <ul>
 * <li>the exchange has terminated (the whole response arrived; the connection may be pooled again): the
 *     rest is <em>drained</em> (requested in full and released here), and nothing is cancelled;</li>
 * <li>it has not: the subscription is cancelled, which closes this exchange's connection, the only safe
 *     outcome for a half-read response.</li>
 * </ul>
 * After a cancel, elements and terminal signals are no longer passed downstream: elements are released
 * here.
 *
 * <p>The end of the body is passed downstream only once the connection is back in the pool (or closed):
 * Reactor Netty completes the body a moment before it releases the connection, and a tasklet that read the
 * body to its end and sends again at once would otherwise find the pool without a free connection and open
 * another.
 */
final class ClientBodyFlux extends Flux<ByteBuf> {

    private final Flux<ByteBuf> source;
    private final EventLoop eventLoop;
    private final ClientExchange exchange;

    ClientBodyFlux(Flux<ByteBuf> source, EventLoop eventLoop, ClientExchange exchange) {
        this.source = source;
        this.eventLoop = eventLoop;
        this.exchange = exchange;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
        source.subscribe(new GuardSubscriber(actual, eventLoop, exchange));
    }

    private static final class GuardSubscriber implements CoreSubscriber<ByteBuf>, Subscription {

        private final CoreSubscriber<? super ByteBuf> actual;
        private final EventLoop eventLoop;
        private final ClientExchange exchange;
        /** Set once by onSubscribe, before {@code actual} can request or cancel. */
        private @Nullable Subscription upstream;
        /** Set by cancel (any thread); read by the signalling event loop. */
        private volatile boolean cancelled;

        GuardSubscriber(CoreSubscriber<? super ByteBuf> actual, EventLoop eventLoop, ClientExchange exchange) {
            this.actual = actual;
            this.eventLoop = eventLoop;
            this.exchange = exchange;
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
        public void onNext(ByteBuf buffer) {
            if (cancelled) {
                buffer.release();
                return;
            }
            actual.onNext(buffer);
        }

        @Override
        public void onError(Throwable error) {
            if (!cancelled) {
                actual.onError(error);
            }
        }

        @Override
        public void onComplete() {
            exchange.whenReleased(() -> {
                if (!cancelled) {
                    actual.onComplete();
                }
            });
        }

        @Override
        public void request(long n) {
            Subscription s = upstream;
            if (!cancelled && s != null) {
                s.request(n);
            }
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            if (eventLoop.inEventLoop()) {
                settle();
                return;
            }
            try {
                eventLoop.execute(this::settle);
            } catch (RejectedExecutionException e) {
                Subscription s = upstream; // the loop is shutting down: its channels are closing anyway
                if (s != null) {
                    s.cancel();
                }
            }
        }

        /** On the event loop: drain a finished exchange, cancel (and so close) an unfinished one. */
        private void settle() {
            Subscription s = upstream;
            if (s == null) {
                return;
            }
            if (exchange.isTerminated()) {
                s.request(Long.MAX_VALUE);
            } else {
                s.cancel();
            }
        }
    }
}
