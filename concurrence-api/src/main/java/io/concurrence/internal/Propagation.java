package io.concurrence.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.concurrence.TaskLocal;

/**
 * The registry of propagated task-locals ({@link TaskLocal#propagated(String)}): the bridge copies their
 * values into a Reactor {@code Context} when a tasklet awaits, and back into tasklets that
 * {@code Reactive.mono} starts.
 */
public final class Propagation {

    /** Context key to task-local; entries are never removed (a key names one task-local for the JVM's life). */
    private static final ConcurrentHashMap<String, TaskLocal<?>> LOCALS = new ConcurrentHashMap<>();

    private Propagation() {
    }

    /** The task-local registered under {@code contextKey}, created by {@code factory} on first use. */
    public static TaskLocal<?> register(String contextKey, Function<String, TaskLocal<?>> factory) {
        Objects.requireNonNull(contextKey, "contextKey");
        return LOCALS.computeIfAbsent(contextKey, factory);
    }

    /** Whether any task-local is propagated; lets the bridge skip context work entirely. */
    public static boolean isEmpty() {
        return LOCALS.isEmpty();
    }

    /** The current tasklet's values of every propagated task-local that has one, by context key. */
    public static Map<String, Object> capture() {
        if (LOCALS.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> values = new HashMap<>();
        LOCALS.forEach((key, local) -> local.find().ifPresent(value -> values.put(key, value)));
        return values;
    }

    /** Sets, in the current tasklet, the propagated task-locals whose keys appear in {@code values}. */
    @SuppressWarnings("unchecked")
    public static void restore(Map<String, ?> values) {
        values.forEach((key, value) -> {
            TaskLocal<Object> local = (TaskLocal<Object>) LOCALS.get(key);
            if (local != null && value != null) {
                local.set(value);
            }
        });
    }
}
