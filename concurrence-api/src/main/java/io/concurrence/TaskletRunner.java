package io.concurrence;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.concurrence.internal.Deadlines;

/**
 * The task of a tasklet's virtual thread, and how the thread knows its tasklet: it is installed as the
 * thread's uncaught-exception handler, a field every {@link Thread} has. {@code Tasklet.current()} is then
 * one field read, and a tasklet needs no {@link ThreadLocal} map (about 140 bytes a tasklet, more than the
 * rest of its bookkeeping). It also holds the tasklet's ambient {@link Timeout} stack for
 * {@link Deadlines}.
 *
 * <p>The handler is never called for its own sake: {@link Tasklet} catches everything its body throws.
 */
final class TaskletRunner implements Runnable, Thread.UncaughtExceptionHandler, Deadlines.AmbientSlot {

    private static final Logger LOG = LoggerFactory.getLogger(TaskletRunner.class);

    final Tasklet<?> tasklet;
    /** The top of the tasklet's ambient deadline stack; read and written by the tasklet's thread only. */
    private Deadlines.@Nullable Frame ambient;

    TaskletRunner(Tasklet<?> tasklet) {
        this.tasklet = tasklet;
    }

    /** The tasklet running the current thread, or null. */
    static @Nullable Tasklet<?> current() {
        return Thread.currentThread().getUncaughtExceptionHandler() instanceof TaskletRunner runner
                ? runner.tasklet : null;
    }

    @Override
    public void run() {
        tasklet.run();
    }

    @Override
    public Deadlines.@Nullable Frame ambient() {
        return ambient;
    }

    @Override
    public void ambient(Deadlines.@Nullable Frame top) {
        ambient = top;
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        LOG.error("[{}] uncaught exception in the thread of tasklet {}", thread.getName(), tasklet, error);
    }
}
