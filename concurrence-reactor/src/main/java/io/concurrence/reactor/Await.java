package io.concurrence.reactor;

import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.internal.Deadlines;
import io.concurrence.reactor.internal.Bridge;
import io.concurrence.reactor.internal.MonoAwaiter;
import io.concurrence.reactor.internal.QueueSubscriber;

/**
 * The one place where a tasklet waits on a Reactor publisher.
 * <pre>{@code
 * String body = Await.of(httpClient.get().uri("/hello").responseContent().aggregate().asString(),
 *         Duration.ofSeconds(5));
 * List<Row> rows = Await.list(connection.createStatement("SELECT ...").execute().flatMap(...));
 * try (Stream<Event> events = Await.stream(eventFlux)) {
 *     events.limit(100).forEach(this::handle);       // closing the stream cancels the Flux
 * }
 * }</pre>
 *
 * <h2>Waiting</h2>
 * Each method subscribes on the calling thread (a source that completes synchronously never parks) and
 * parks the calling tasklet until the publisher signals. There is no thread-pool hop: the signal arrives on
 * whatever thread the publisher uses (a Netty event loop, say) and unparks the tasklet.
 *
 * <h2>Timeouts and kill</h2>
 * Every method honours the tighter of its {@code Duration} (when given) and the ambient
 * {@link io.concurrence.Timeout}. When the deadline passes it <b>cancels the subscription</b> and throws
 * {@link TimeoutException}; when the tasklet is {@linkplain io.concurrence.Tasklet#kill() killed} it cancels
 * the subscription and throws {@link TaskletExit}. So a killed tasklet's query, HTTP exchange or RSocket
 * request is cancelled and its connection goes back to its pool. A value that arrives after the wait gave
 * up, and elements still buffered when a stream is closed early, go to Reactor's discard hook: a
 * {@code doOnDiscard} placed last in the chain, nearest to {@code Await}.
 *
 * <h2>Errors</h2>
 * An upstream error is rethrown as is when unchecked, wrapped in
 * {@link io.concurrence.ConcurrenceException} (cause = the original) when checked, except that a
 * {@code java.util.concurrent.TimeoutException} (Reactor's {@code timeout()} operator) becomes
 * {@link TimeoutException}. A suppressed marker on the exception carries the stack trace of the
 * {@code Await} call, so the trace shows both where the error arose and where the tasklet waited.
 *
 * <h2>Threads</h2>
 * Any thread that may block: tasklets (the intended use) and platform threads. On a thread Reactor marks
 * {@code NonBlocking} (Netty event loops, {@code Schedulers.parallel()}), every method throws
 * {@link IllegalStateException} instead of deadlocking.
 *
 * <h2>Context</h2>
 * The subscription's Reactor {@code Context} holds the values of the calling tasklet's
 * {@linkplain io.concurrence.TaskLocal#propagated(String) propagated task-locals}, under their keys.
 *
 * @since 0.1
 */
public final class Await {

    /** The prefetch of {@link #stream(Flux)}: elements buffered ahead of the consumer. */
    public static final int DEFAULT_PREFETCH = 256;

    private Await() {
    }

    /**
     * Blocks until {@code mono} signals, and returns its value.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link io.concurrence.Timeout}; on
     * timeout the subscription is cancelled. <b>Kill:</b> throws {@link TaskletExit}; the subscription is
     * cancelled. <b>Threads:</b> any thread that may block.
     *
     * @param mono the publisher
     * @param <T> the type of the value
     * @return the value, or null for an empty Mono
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if called on a non-blocking thread
     * @throws RuntimeException the upstream error (checked ones wrapped in ConcurrenceException)
     */
    public static <T> @Nullable T of(Mono<T> mono) {
        return MonoAwaiter.await(Objects.requireNonNull(mono, "mono"), null, "Await.of");
    }

    /**
     * Blocks until {@code mono} signals, for at most {@code timeout}, and returns its value.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link io.concurrence.Timeout}; on
     * timeout the subscription is cancelled. <b>Kill:</b> throws {@link TaskletExit}; the subscription is
     * cancelled. <b>Threads:</b> any thread that may block.
     *
     * @param mono the publisher
     * @param timeout how long to wait at most
     * @param <T> the type of the value
     * @return the value, or null for an empty Mono
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if called on a non-blocking thread
     * @throws RuntimeException the upstream error (checked ones wrapped in ConcurrenceException)
     */
    public static <T> @Nullable T of(Mono<T> mono, Duration timeout) {
        return MonoAwaiter.await(Objects.requireNonNull(mono, "mono"), Objects.requireNonNull(timeout, "timeout"),
                "Await.of");
    }

    /**
     * Blocks until {@code mono} signals, and returns its value if it has one. Like {@link #of(Mono)}.
     *
     * @param mono the publisher
     * @param <T> the type of the value
     * @return the value, or empty for an empty Mono
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if called on a non-blocking thread
     * @throws RuntimeException the upstream error
     */
    public static <T> Optional<T> optional(Mono<T> mono) {
        return Optional.ofNullable(MonoAwaiter.await(Objects.requireNonNull(mono, "mono"), null, "Await.optional"));
    }

    /**
     * Blocks until {@code mono} signals, for at most {@code timeout}, and returns its value if it has one.
     * Like {@link #of(Mono, Duration)}.
     *
     * @param mono the publisher
     * @param timeout how long to wait at most
     * @param <T> the type of the value
     * @return the value, or empty for an empty Mono
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if called on a non-blocking thread
     * @throws RuntimeException the upstream error
     */
    public static <T> Optional<T> optional(Mono<T> mono, Duration timeout) {
        return Optional.ofNullable(MonoAwaiter.await(Objects.requireNonNull(mono, "mono"),
                Objects.requireNonNull(timeout, "timeout"), "Await.optional"));
    }

    /**
     * Blocks until {@code flux} completes, and returns all its elements. Like {@link #of(Mono)}; for
     * streams too large to hold, use {@link #stream(Flux)}.
     *
     * @param flux the publisher
     * @param <T> the type of the elements
     * @return the elements, in order (an unmodifiable list)
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if called on a non-blocking thread
     * @throws RuntimeException the upstream error
     */
    public static <T> List<T> list(Flux<T> flux) {
        return toList(MonoAwaiter.await(Objects.requireNonNull(flux, "flux").collectList(), null, "Await.list"));
    }

    /**
     * Blocks until {@code flux} completes, for at most {@code timeout} in all, and returns all its elements.
     * Like {@link #of(Mono, Duration)}.
     *
     * @param flux the publisher
     * @param timeout how long to wait at most, in all
     * @param <T> the type of the elements
     * @return the elements, in order (an unmodifiable list)
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws IllegalStateException if called on a non-blocking thread
     * @throws RuntimeException the upstream error
     */
    public static <T> List<T> list(Flux<T> flux, Duration timeout) {
        return toList(MonoAwaiter.await(Objects.requireNonNull(flux, "flux").collectList(),
                Objects.requireNonNull(timeout, "timeout"), "Await.list"));
    }

    /**
     * Subscribes to {@code flux} and returns its elements as a blocking {@link Stream}, with
     * {@value #DEFAULT_PREFETCH} elements of prefetch: demand follows consumption, so a consumer that stops
     * stops the producer. Close the stream (try-with-resources) to cancel the subscription; a stream read to
     * its end needs no close.
     *
     * <p><b>Timeout:</b> each wait for an element honours the ambient {@link io.concurrence.Timeout} in
     * force at that moment; on timeout the subscription is cancelled. <b>Kill:</b> the waiting call throws
     * {@link TaskletExit} and the subscription is cancelled. <b>Threads:</b> consume the stream from one
     * tasklet; it may be closed from any thread.
     *
     * @param flux the publisher
     * @param <T> the type of the elements
     * @return a sequential, ordered stream
     * @throws IllegalStateException if called on a non-blocking thread
     */
    public static <T> Stream<T> stream(Flux<T> flux) {
        return stream(flux, null, DEFAULT_PREFETCH);
    }

    /**
     * Like {@link #stream(Flux)}, with a deadline {@code timeout} from now for the whole stream: a wait for
     * an element past it cancels the subscription and throws {@link TimeoutException}.
     *
     * @param flux the publisher
     * @param timeout how long the whole stream may take
     * @param <T> the type of the elements
     * @return a sequential, ordered stream
     * @throws IllegalStateException if called on a non-blocking thread
     */
    public static <T> Stream<T> stream(Flux<T> flux, Duration timeout) {
        return stream(flux, Objects.requireNonNull(timeout, "timeout"), DEFAULT_PREFETCH);
    }

    /**
     * Like {@link #stream(Flux)}, buffering at most {@code prefetch} elements ahead of the consumer.
     *
     * @param flux the publisher
     * @param prefetch elements requested ahead, at least 1
     * @param <T> the type of the elements
     * @return a sequential, ordered stream
     * @throws IllegalArgumentException if {@code prefetch} is less than 1
     * @throws IllegalStateException if called on a non-blocking thread
     */
    public static <T> Stream<T> stream(Flux<T> flux, int prefetch) {
        return stream(flux, null, prefetch);
    }

    private static <T> Stream<T> stream(Flux<T> flux, @Nullable Duration timeout, int prefetch) {
        Objects.requireNonNull(flux, "flux");
        Bridge.checkMayBlock("Await.stream");
        long deadline = timeout == null ? Deadlines.NONE : Deadlines.after(timeout);
        var context = Bridge.context();
        QueueSubscriber<T> subscriber = new QueueSubscriber<>(prefetch, context, null);
        flux.subscribe(subscriber);
        Iterator<T> iterator = new Iterator<>() {
            private @Nullable T next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                Bridge.checkMayBlock("Await.stream");
                try {
                    next = subscriber.poll(Deadlines.earlier(deadline, Deadlines.ambient()), timeout, "Await.stream");
                } catch (RuntimeException | Error e) {
                    subscriber.cancel();
                    throw e;
                }
                return next != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the Flux has completed");
                }
                T t = Objects.requireNonNull(next);
                next = null;
                return t;
            }
        };
        Spliterator<T> spliterator = Spliterators.spliteratorUnknownSize(iterator,
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false).onClose(subscriber::cancel);
    }

    private static <T> List<T> toList(@Nullable List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }
}
