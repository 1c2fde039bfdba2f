package io.concurrence.reactor;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

import io.concurrence.Channel;
import io.concurrence.ChannelClosedException;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.internal.Deadlines;
import io.concurrence.internal.Parking;
import io.concurrence.internal.Propagation;
import io.concurrence.reactor.internal.Bridge;

/**
 * Interop for existing Reactor code: blocking code and channels as publishers, publishers as channels.
 * <pre>{@code
 * // In a WebFlux handler: run blocking code without blocking the event loop.
 * Mono<Order> order = Reactive.mono(() -> orderDao.load(id));     // a tasklet per subscription
 *
 * // A channel fed by tasklets, consumed by Reactor code, with backpressure.
 * Channel<Event> events = Channel.buffered(64);
 * Flux<Event> flux = Reactive.flux(events);
 * }</pre>
 *
 * <h2>Context</h2>
 * A tasklet started here restores, from the subscriber's Reactor {@code Context}, the values of the
 * {@linkplain io.concurrence.TaskLocal#propagated(String) propagated task-locals} whose keys are present;
 * and {@link Await} puts those task-locals' values into the context of what a tasklet awaits. A trace id
 * therefore follows a request from Reactor code into blocking code and back.
 *
 * @since 0.1
 */
public final class Reactive {

    private Reactive() {
    }

    /**
     * A Mono that, on each subscription, runs {@code body} in a new tasklet and emits its result (empty
     * for null). Cancelling the subscription {@linkplain Tasklet#kill() kills} the tasklet. An exception
     * from the body is the Mono's error.
     *
     * @param body blocking code
     * @param <T> the type of the result
     * @return a cold Mono
     */
    public static <T> Mono<T> mono(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return Mono.create(sink -> {
            Map<String, Object> context = Bridge.propagatedValues(sink.contextView());
            Tasklet<Void> tasklet = Tasklet.spawn(() -> {
                Propagation.restore(context);
                T value;
                try {
                    value = body.call();
                } catch (Throwable e) {
                    if (!Tasklet.current().isKilled()) {
                        sink.error(e);
                    }
                    return;
                }
                if (value == null) {
                    sink.success();
                } else {
                    sink.success(value);
                }
            });
            sink.onCancel(tasklet::kill);
        });
    }

    /**
     * A Mono that, on each subscription, runs {@code body} in a new tasklet and completes when it returns.
     * Cancelling the subscription kills the tasklet. An exception from the body is the Mono's error.
     *
     * @param body blocking code
     * @return a cold Mono
     */
    public static Mono<Void> mono(Runnable body) {
        Objects.requireNonNull(body, "body");
        return mono(() -> {
            body.run();
            return null;
        });
    }

    /**
     * A Flux of the values received from {@code channel}: on subscription a tasklet receives from the
     * channel, but only while the subscriber has outstanding demand, so a slow subscriber leaves values in
     * the channel and its senders block. The Flux completes when the channel is closed and drained, and
     * fails with the exception a sender sent with {@link Channel#sendException}. Cancelling the
     * subscription kills the receiving tasklet (a value it had just received is handed to Reactor's discard
     * hook). A {@link Channel#sendException} reaches the subscriber in order, behind the values sent before
     * it, when it requests them.
     *
     * <p>Each subscription competes for the channel's values; subscribe once.
     *
     * @param channel the channel to drain
     * @param <T> the type of the values
     * @return a cold Flux
     */
    public static <T> Flux<T> flux(Channel<T> channel) {
        Objects.requireNonNull(channel, "channel");
        return Flux.create(sink -> new ChannelPump<>(channel, sink).start());
    }

    /**
     * A channel fed from {@code flux}: a daemon tasklet subscribes and sends each element into a channel
     * buffering {@code capacity} values (0: a rendezvous channel). Backpressure runs both ways: the tasklet
     * blocks while the channel is full, and requests more from the Flux only as it sends. The channel is
     * closed when the Flux completes; a Flux error reaches receivers through
     * {@link Channel#sendException} after the values sent before it, then the channel is closed. Closing the
     * channel cancels the subscription.
     *
     * @param flux the publisher
     * @param capacity the channel's buffer, 0 or more
     * @param <T> the type of the elements
     * @return the channel to receive from
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> channel(Flux<T> flux, int capacity) {
        Objects.requireNonNull(flux, "flux");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 (rendezvous) or more, was " + capacity);
        }
        Channel<T> channel = capacity == 0 ? new Channel<>() : Channel.buffered(capacity);
        int prefetch = Math.max(1, Math.min(capacity, Await.DEFAULT_PREFETCH));
        Tasklet.named("reactive-channel").daemon(true).spawn(() -> {
            try (Stream<T> elements = Await.stream(flux, prefetch)) {
                // Receivers closing the channel cancel the subscription even while the Flux is quiet.
                channel.onClose(elements::close);
                elements.forEach(channel::send);
                channel.close();
            } catch (ChannelClosedException closedByReceiver) {
                // The receivers closed the channel: the stream's close cancelled the subscription.
            } catch (TaskletExit e) {
                channel.close();
            } catch (RuntimeException e) {
                try {
                    channel.sendException(e);
                } catch (ChannelClosedException closedByReceiver) {
                    // Nobody left to tell.
                }
                channel.close();
            }
        });
        return channel;
    }

    /** The tasklet behind {@link #flux(Channel)}: receives only while there is demand. */
    private static final class ChannelPump<T> {
        private final Channel<T> channel;
        private final FluxSink<T> sink;
        /** The pump tasklet's thread, once it runs; woken by new demand and cancellation. */
        private volatile @Nullable Thread thread;

        ChannelPump(Channel<T> channel, FluxSink<T> sink) {
            this.channel = channel;
            this.sink = sink;
        }

        void start() {
            Map<String, Object> context = Bridge.propagatedValues(sink.contextView());
            Tasklet<Void> pump = Tasklet.named("reactive-flux").daemon(true).spawn(() -> {
                thread = Thread.currentThread();
                Propagation.restore(context);
                run();
            });
            sink.onRequest(n -> wake());
            sink.onCancel(pump::kill);
            channel.onClose(this::wake);
        }

        private void run() {
            try {
                for (;;) {
                    if (Parking.park(this::mayEmit, Deadlines.NONE, this) == Parking.Wake.INTERRUPTED) {
                        return; // killed: the subscription was cancelled
                    }
                    if (sink.isCancelled()) {
                        return;
                    }
                    if (sink.requestedFromDownstream() == 0) {
                        sink.complete(); // woken by the close, with nothing left: completion needs no demand
                        return;
                    }
                    T value;
                    try {
                        value = channel.receive();
                    } catch (ChannelClosedException closedAndDrained) {
                        sink.complete();
                        return;
                    }
                    sink.next(value);
                }
            } catch (TaskletExit killed) {
                // cancelled while receiving
            } catch (RuntimeException e) {
                sink.error(e);
            }
        }

        private boolean mayEmit() {
            return sink.requestedFromDownstream() > 0 || sink.isCancelled()
                    || (channel.isClosed() && channel.size() == 0);
        }

        private void wake() {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public String toString() {
            return "Reactive.flux demand for " + channel;
        }
    }
}
