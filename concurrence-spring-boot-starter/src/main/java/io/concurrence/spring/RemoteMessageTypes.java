package io.concurrence.spring;

import java.util.List;
import java.util.Objects;

/**
 * Message types the application's {@code RemoteServer} and every {@code RemoteClient} of the starter allow to
 * cross, besides those named in the {@code allow} properties. Declare one bean (or several: they add up) listing
 * each protocol's sealed interface once:
 * <pre>{@code
 * @Bean
 * RemoteMessageTypes counterProtocol() {
 *     return RemoteMessageTypes.of(CounterMsg.class);
 * }
 * }</pre>
 *
 * @param types records, enums, and sealed interfaces (all their permitted records)
 * @since 0.1
 */
public record RemoteMessageTypes(List<Class<?>> types) {

    /** Copies {@code types}; none may be null. */
    public RemoteMessageTypes {
        types = List.copyOf(Objects.requireNonNull(types, "types"));
    }

    /**
     * The types given.
     *
     * @param types records, enums, and sealed interfaces (all their permitted records); none null
     * @return the types, in the order given
     */
    public static RemoteMessageTypes of(Class<?>... types) {
        return new RemoteMessageTypes(List.of(types));
    }
}
