package io.concurrence;

import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.concurrence.internal.Propagation;

/**
 * A value per tasklet, the tasklet counterpart of a {@link ThreadLocal}.
 *
 * <p>With {@code recursive}, a lookup that finds no value in the current tasklet walks up the parent
 * chain and returns the nearest ancestor's value; {@link #set} and {@link #remove} affect the current
 * tasklet only. Daemon tasklets have no parent, so they see only their own values.
 *
 * <p>A tasklet's values are dropped when it finishes. Outside a tasklet (a platform thread), values are
 * per thread.
 *
 * <p>Thread-safe. A value set happens-before a child's lookup that finds it.
 *
 * @param <T> the type of the value
 * @since 0.1
 */
public final class TaskLocal<T> {

    /** Values of threads that are not tasklets (tasklets keep theirs in the tasklet). */
    private static final ThreadLocal<Map<TaskLocal<?>, Object>> NON_TASKLET_VALUES =
            ThreadLocal.withInitial(HashMap::new);

    private final boolean recursive;
    private final @Nullable String contextKey;

    /** Creates a task-local whose lookups see the current tasklet's value only. */
    public TaskLocal() {
        this(false, null);
    }

    /**
     * Creates a task-local.
     *
     * @param recursive whether a lookup that misses walks up the parent chain
     */
    public TaskLocal(boolean recursive) {
        this(recursive, null);
    }

    private TaskLocal(boolean recursive, @Nullable String contextKey) {
        this.recursive = recursive;
        this.contextKey = contextKey;
    }

    /**
     * The (recursive) task-local whose value travels into the Reactor {@code Context} under
     * {@code contextKey} when a tasklet awaits a publisher, and back into tasklets that
     * {@code Reactive.mono} starts from a context holding that key. One key names one task-local: calling
     * this again with the same key returns the same instance.
     *
     * @param contextKey the Reactor context key, not blank
     * @param <T> the type of the value
     * @return the task-local for that key
     * @throws IllegalArgumentException if the key is blank
     */
    @SuppressWarnings("unchecked")
    public static <T> TaskLocal<T> propagated(String contextKey) {
        Objects.requireNonNull(contextKey, "contextKey");
        if (contextKey.isBlank()) {
            throw new IllegalArgumentException("contextKey must not be blank");
        }
        return (TaskLocal<T>) Propagation.register(contextKey, key -> new TaskLocal<>(true, key));
    }

    /**
     * Whether lookups walk up the parent chain.
     *
     * @return true for a recursive task-local
     */
    public boolean isRecursive() {
        return recursive;
    }

    /**
     * The Reactor context key of a {@linkplain #propagated(String) propagated} task-local.
     *
     * @return the key, or empty for a plain task-local
     */
    public Optional<String> contextKey() {
        return Optional.ofNullable(contextKey);
    }

    /**
     * The value for the current tasklet (or, if recursive, its nearest ancestor that has one).
     *
     * @return the value
     * @throws NoSuchElementException if there is none
     */
    public T get() {
        return find().orElseThrow(() -> new NoSuchElementException("No value for " + this + " in "
                + Tasklet.findCurrent().map(Tasklet::toString).orElse(Thread.currentThread().toString())
                + (recursive ? " or its ancestors" : "") + "; call set(value) first, or use find()"));
    }

    /**
     * The value for the current tasklet (or, if recursive, its nearest ancestor that has one).
     *
     * @return the value, or empty
     */
    @SuppressWarnings("unchecked")
    public Optional<T> find() {
        Optional<Tasklet<?>> current = Tasklet.findCurrent();
        if (current.isEmpty()) {
            return Optional.ofNullable((T) NON_TASKLET_VALUES.get().get(this));
        }
        for (Tasklet<?> t = current.get(); t != null; t = recursive ? t.parentOrNull() : null) {
            Object value = t.localValue(this);
            if (value != null) {
                return Optional.of((T) value);
            }
        }
        return Optional.empty();
    }

    /**
     * Sets the current tasklet's value.
     *
     * @param value the value, not null (use {@link #remove()} to clear)
     */
    public void set(T value) {
        Objects.requireNonNull(value, "value");
        Optional<Tasklet<?>> current = Tasklet.findCurrent();
        if (current.isPresent()) {
            current.get().setLocalValue(this, value);
        } else {
            NON_TASKLET_VALUES.get().put(this, value);
        }
    }

    /** Removes the current tasklet's value (never an ancestor's). */
    public void remove() {
        Optional<Tasklet<?>> current = Tasklet.findCurrent();
        if (current.isPresent()) {
            current.get().setLocalValue(this, null);
        } else {
            NON_TASKLET_VALUES.get().remove(this);
        }
    }

    @Override
    public String toString() {
        return "TaskLocal@" + Integer.toHexString(System.identityHashCode(this))
                + (contextKey != null ? "[" + contextKey + "]" : "");
    }
}
