package io.concurrence;

/**
 * A message a tasklet can {@linkplain Tasklet#send(Message) send} to another. A marker: any object
 * implementing it can be sent.
 *
 * <p>Records and sealed interfaces are the intended style. A protocol is a sealed interface with nested
 * records, consumed by an exhaustive {@code switch}:
 * <pre>{@code
 * sealed interface CounterMsg extends Message permits Add, Get {}
 * record Add(int n) implements CounterMsg {}
 * record Get() implements CounterMsg, Call<Integer> {}
 *
 * Tasklet<Void> counter = Tasklet.receiver(env -> {
 *     if (env.message() instanceof CounterMsg m) {
 *         switch (m) {
 *             case Add a -> count += a.n();
 *             case Get g -> env.reply(count);
 *         }
 *     }
 * });
 * }</pre>
 *
 * <p>Messages cross threads: make them immutable (records of immutable values), or do not touch a message
 * after sending it.
 *
 * @since 0.1
 */
public interface Message {
}
