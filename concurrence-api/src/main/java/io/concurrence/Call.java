package io.concurrence;

/**
 * A message that expects a reply of type {@code R}: send it with {@link Tasklet#call(Call, java.time.Duration)},
 * answer it with {@link Envelope#reply(Object)} or {@link Envelope#fail(Throwable)}.
 *
 * @param <R> the type of the reply
 * @since 0.1
 */
public interface Call<R> extends Message {
}
