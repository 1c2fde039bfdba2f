package io.concurrence.db.internal;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import io.concurrence.TimeoutException;
import io.concurrence.reactor.Await;

/**
 * The items of one statement's execution on one connection, queued between the event loop that decodes them and
 * the tasklet that reads them, with bounded demand: a ResultSet that is read row by row holds at most
 * {@code prefetch} rows in memory however large the result.
 *
 * <p>It never cancels its subscription. Cancelling an R2DBC MySQL exchange half-way can leave the connection
 * stalled (r2dbc-mysql #347, #348, #349), so a reader that gives up instead {@linkplain #abandon() abandons} the
 * stream: the rest is requested and dropped, and the connection is free again once the server has finished
 * ({@link #settled()}). The caller makes the server finish early with {@code KILL QUERY}.
 *
 * <p>The tasklet waits for items through {@link Await} only, so timeouts and kills apply to every wait.
 */
final class RowStream implements CoreSubscriber<Object> {

    /** Returned by {@link #take(Duration)} when the execution has finished and every item was taken. */
    static final Object END = new Object();

    /** Single producer (the connection's event loop), single consumer (the reader): Reactor's chunked SPSC queue. */
    private final Queue<Object> queue = Queues.unbounded(Queues.SMALL_BUFFER_SIZE).get();
    private final AtomicReference<@Nullable MonoSink<Void>> waiter = new AtomicReference<>();
    private final Sinks.Empty<Void> settled = Sinks.empty();
    private final int prefetch;
    private final int replenish;
    private volatile @Nullable Subscription upstream;
    private volatile boolean done;
    private volatile @Nullable Throwable error;
    private volatile boolean unbounded;
    private volatile boolean abandoned;
    private volatile boolean wakeQueued;
    private int taken;

    private RowStream(int prefetch) {
        this.prefetch = prefetch;
        this.replenish = Math.max(1, prefetch - (prefetch >> 2));
    }

    /**
     * Subscribes now to the items {@code items} makes, requesting {@code prefetch} of them ahead of the reader.
     * {@code items} gets a test of whether the stream was abandoned, so that rows nobody will read are not decoded.
     */
    static RowStream start(java.util.function.Function<java.util.function.BooleanSupplier, Flux<Object>> items,
            int prefetch) {
        RowStream stream = new RowStream(Math.max(1, prefetch));
        items.apply(stream::abandoned).subscribe(stream);
        return stream;
    }

    @Override
    public void onSubscribe(Subscription s) {
        upstream = s;
        s.request(unbounded || abandoned ? Long.MAX_VALUE : prefetch);
    }

    @Override
    public void onNext(Object item) {
        if (abandoned) {
            return;
        }
        queue.offer(item);
        wakeAfterThisRead();
    }

    /**
     * Wakes a waiting reader once the event loop has decoded everything of the current read (a task queued behind
     * it on the same loop), not once per row: the reader then takes a whole batch of rows without parking in
     * between. Off an event loop, wakes at once.
     */
    private void wakeAfterThisRead() {
        if (waiter.get() == null || wakeQueued) {
            return;
        }
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        if (loop == null) {
            wake();
            return;
        }
        wakeQueued = true;
        loop.execute(this::queuedWake);
    }

    private void queuedWake() {
        wakeQueued = false;
        wake();
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        done = true;
        wake();
        settled.tryEmitEmpty();
    }

    @Override
    public void onComplete() {
        done = true;
        wake();
        settled.tryEmitEmpty();
    }

    /**
     * The next item, waiting at most {@code timeout} (null: only the ambient deadline) for it to arrive.
     *
     * @return an item, or {@link #END}
     * @throws io.concurrence.TimeoutException when the wait times out (the stream is left as it is)
     * @throws io.concurrence.TaskletExit when the tasklet is killed while waiting
     * @throws RuntimeException the execution's error, once the items before it were taken
     */
    Object take(@Nullable Duration timeout) {
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        while (true) {
            Object item = queue.poll();
            if (item != null) {
                taken();
                return item;
            }
            if (done) {
                item = queue.poll();
                if (item != null) {
                    taken();
                    return item;
                }
                Throwable failure = error;
                if (failure != null) {
                    error = null;
                    throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                }
                return END;
            }
            Mono<Void> arrival = Mono.create(this::park);
            if (timeout == null) {
                Await.of(arrival);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no result within " + timeout.toMillis() + " ms");
                }
                Await.of(arrival, Duration.ofNanos(left));
            }
        }
    }

    /** The next item if one is there now, else null (also at the end). */
    @Nullable Object poll() {
        Object item = queue.poll();
        if (item != null) {
            taken();
        }
        return item;
    }

    /** Whether every item was taken and the execution finished (successfully or not). */
    boolean finished() {
        return done && queue.isEmpty();
    }

    /**
     * Reads the rest ahead into memory: another statement needs the connection while this result is still open
     * (JDBC allows it; MySQL cannot interleave two results on one connection).
     */
    void readAhead() {
        if (!unbounded) {
            unbounded = true;
            Subscription s = upstream;
            if (s != null) {
                s.request(Long.MAX_VALUE);
            }
        }
    }

    /** Gives up on the items: the rest is requested and dropped. Idempotent. */
    void abandon() {
        if (!abandoned) {
            abandoned = true;
            unbounded = true;
            Subscription s = upstream;
            if (s != null) {
                s.request(Long.MAX_VALUE);
            }
        }
    }

    boolean abandoned() {
        return abandoned;
    }

    /** Completes when the execution has finished on the server, successfully or not. */
    Mono<Void> settled() {
        return settled.asMono();
    }

    /** Whether the execution has finished on the server. */
    boolean isSettled() {
        return done;
    }

    private void taken() {
        if (!unbounded && ++taken >= replenish) {
            int n = taken;
            taken = 0;
            Subscription s = upstream;
            if (s != null) {
                s.request(n);
            }
        }
    }

    private void park(MonoSink<Void> sink) {
        waiter.set(sink);
        sink.onDispose(() -> waiter.compareAndSet(sink, null));
        if (!queue.isEmpty() || done) {
            wake();
        }
    }

    private void wake() {
        MonoSink<Void> sink = waiter.getAndSet(null);
        if (sink != null) {
            sink.success();
        }
    }
}
