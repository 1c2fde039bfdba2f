package io.concurrence.http.internal;

import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2StreamChannel;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * The body of an HTTP/2 request, with each demand from the handler forwarded on the stream's event loop and
 * followed by a flush.
 *
 * <p>Why: the handler's tasklet asks for more body from outside the connection's read cycle. Reactor Netty then
 * re-enables reading on the stream channel, and Netty's stream channel (4.2) gives the bytes already read back
 * to flow control by writing a {@code WINDOW_UPDATE}; but when the stream's read is still marked in progress it
 * does not flush that frame. The client, its window spent, stops sending, and the handler waits for the rest of
 * the body forever (a 5 MiB upload stalled about one time in ten). Flushing the stream channel after the demand
 * sends the frame. A flush with nothing written does nothing.
 *
 * <p>One subscriber. Signals pass through unchanged.
 */
final class Http2BodyDemand implements Publisher<ByteBuf> {

    private final Publisher<ByteBuf> source;
    private final Channel stream;

    private Http2BodyDemand(Publisher<ByteBuf> source, Channel stream) {
        this.source = source;
        this.stream = stream;
    }

    /** {@code source} itself unless {@code channel} is an HTTP/2 stream. */
    static Publisher<ByteBuf> of(Publisher<ByteBuf> source, @Nullable Channel channel) {
        return channel instanceof Http2StreamChannel ? new Http2BodyDemand(source, channel) : source;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuf> subscriber) {
        source.subscribe(new Relay(subscriber, stream));
    }

    /** Passes signals down, and demand up on the event loop with a flush after it. */
    private static final class Relay implements CoreSubscriber<ByteBuf>, Subscription {
        private final Subscriber<? super ByteBuf> actual;
        private final Channel stream;
        /** Set by onSubscribe, before any request can arrive. */
        private volatile @Nullable Subscription upstream;

        Relay(Subscriber<? super ByteBuf> actual, Channel stream) {
            this.actual = actual;
            this.stream = stream;
        }

        @Override
        public Context currentContext() {
            return actual instanceof CoreSubscriber<?> core ? core.currentContext() : Context.empty();
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            actual.onSubscribe(this);
        }

        @Override
        public void onNext(ByteBuf buf) {
            actual.onNext(buf);
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
            EventLoop loop = stream.eventLoop();
            if (loop.inEventLoop()) {
                requestAndFlush(n);
                return;
            }
            try {
                loop.execute(() -> requestAndFlush(n));
            } catch (RejectedExecutionException shutDown) {
                Subscription s = upstream;
                if (s != null) {
                    s.request(n);
                }
            }
        }

        @Override
        public void cancel() {
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
        }

        private void requestAndFlush(long n) {
            Subscription s = upstream;
            if (s != null) {
                s.request(n);
                stream.flush();
            }
        }
    }
}
