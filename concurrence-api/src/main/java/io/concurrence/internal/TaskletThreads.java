package io.concurrence.internal;

import java.lang.reflect.Constructor;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import io.concurrence.Tasklet;

/**
 * Tasklets whose virtual threads come from a given factory, and virtual-thread factories whose threads are
 * scheduled by a given {@link Executor} (their carriers are that executor's threads).
 *
 * <p>The second uses a JDK-internal constructor, {@code java.lang.ThreadBuilders.VirtualThreadBuilder(Executor)},
 * present in JDK 21 to 25 and reachable only when {@code java.base/java.lang} is opened to this module
 * ({@code --add-opens java.base/java.lang=ALL-UNNAMED} on the class path, {@code =io.concurrence} on the
 * module path). Without it, {@link #scheduledBy} returns null and callers fall back to ordinary tasklets.
 */
public final class TaskletThreads {

    private static volatile @Nullable BiFunction<ThreadFactory, Runnable, Tasklet<Void>> spawner;

    private static final @Nullable Constructor<?> BUILDER;
    private static final @Nullable String UNAVAILABLE;

    static {
        Constructor<?> builder = null;
        String unavailable = null;
        try {
            Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            builder = type.getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            builder = null;
            unavailable = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        BUILDER = builder;
        UNAVAILABLE = unavailable;
    }

    private TaskletThreads() {
    }

    /** Called once by {@code Tasklet}'s static initializer. */
    public static void install(BiFunction<ThreadFactory, Runnable, Tasklet<Void>> tasklets) {
        spawner = Objects.requireNonNull(tasklets, "tasklets");
    }

    /**
     * Starts a tasklet, a child of the calling tasklet like {@link Tasklet#spawn(Runnable)}, on a thread from
     * {@code threads}, which must make unstarted virtual threads.
     */
    public static Tasklet<Void> spawn(ThreadFactory threads, Runnable body) {
        BiFunction<ThreadFactory, Runnable, Tasklet<Void>> s = spawner;
        if (s == null) {
            ensureTaskletInitialized();
            s = Objects.requireNonNull(spawner, "Tasklet did not install its spawner");
        }
        return s.apply(threads, body);
    }

    /**
     * A factory of virtual threads that {@code scheduler} runs: each time such a thread is started or
     * unparked, its continuation is handed to {@code scheduler.execute}, whose thread becomes the carrier
     * until the virtual thread parks or ends. The scheduler must run tasks on platform threads and must not
     * drop them (a dropped continuation is a virtual thread that never runs again).
     *
     * @return the factory, or null when the JDK does not give access (see {@link #unavailableReason()})
     */
    public static @Nullable ThreadFactory scheduledBy(Executor scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        Constructor<?> builder = BUILDER;
        if (builder == null) {
            return null;
        }
        try {
            return ((Thread.Builder.OfVirtual) builder.newInstance(scheduler)).factory();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Why {@link #scheduledBy} returns null on this JVM, or null when it does not. */
    public static @Nullable String unavailableReason() {
        return UNAVAILABLE;
    }

    private static void ensureTaskletInitialized() {
        try {
            Class.forName(Tasklet.class.getName(), true, Tasklet.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
