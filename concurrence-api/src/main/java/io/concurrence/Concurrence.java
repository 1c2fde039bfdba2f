package io.concurrence;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.concurrence.internal.Sigint;

/**
 * The entry point of a Concurrence program, as in the seed: {@link #dispatch(Runnable)} runs the main
 * tasklet and keeps the program alive until {@link #quit(int)} or Ctrl-C.
 * <pre>{@code
 * public static void main(String[] args) {
 *     System.exit(Concurrence.dispatch(() -> {
 *         Tasklet.spawn(() -> System.out.println("Hello World!"));
 *         Concurrence.quit(Concurrence.EXIT_OK);
 *     }));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class Concurrence {

    /** Exit code: success. */
    public static final int EXIT_OK = 0;
    /** Exit code: the main tasklet failed. */
    public static final int EXIT_ERROR = 1;
    /** Exit code: interrupted by SIGINT (Ctrl-C), or the dispatching thread was interrupted. */
    public static final int EXIT_SIGINT = 127;
    /** Exit code: a watchdog gave up (used by test harnesses, as in the seed). */
    public static final int EXIT_TIMEOUT = 128;

    private static final Logger LOG = LoggerFactory.getLogger(Concurrence.class);

    /** The running dispatch, if any; one per JVM at a time. */
    private static final AtomicReference<@Nullable Dispatch> ACTIVE = new AtomicReference<>();

    private Concurrence() {
    }

    /** One run of {@link #dispatch}: its exit code, set once by {@link #quit}. */
    private static final class Dispatch {
        private final CountDownLatch quit = new CountDownLatch(1);
        private final AtomicInteger exitCode = new AtomicInteger(Integer.MIN_VALUE);

        void quit(int code) {
            if (exitCode.compareAndSet(Integer.MIN_VALUE, code)) {
                quit.countDown();
            }
        }

        int await() {
            try {
                quit.await();
            } catch (InterruptedException e) {
                quit(EXIT_SIGINT);
                Thread.currentThread().interrupt();
            }
            return exitCode.get();
        }
    }

    /**
     * Runs {@code main} in a new tasklet named {@code main} and blocks the calling platform thread until
     * {@link #quit(int)} is called or the process gets SIGINT. As in the seed, the program does not end
     * when {@code main} returns; it runs until it quits. If {@code main} throws (other than
     * {@link TaskletExit}), the error is logged and dispatch returns {@link #EXIT_ERROR}.
     *
     * <p>When dispatch returns, the main tasklet and its live descendants have been
     * {@linkplain Tasklet#kill() killed} (asynchronously); daemons and other roots are left alone.
     *
     * <p><b>Threads:</b> a platform thread, typically the JVM's main thread; one dispatch per JVM at a time.
     * Interrupting the dispatching thread ends the dispatch with {@link #EXIT_SIGINT} (the interrupt flag
     * stays set).
     *
     * @param main the program's main code
     * @return the exit code: the one given to {@code quit}, {@link #EXIT_SIGINT} (127) on SIGINT, or
     *         {@link #EXIT_ERROR} (1) when {@code main} failed
     * @throws IllegalStateException if called from a tasklet, or while another dispatch runs
     */
    public static int dispatch(Runnable main) {
        Objects.requireNonNull(main, "main");
        Tasklet.findCurrent().ifPresent(t -> {
            throw new IllegalStateException("Concurrence.dispatch called from tasklet '" + t.name()
                    + "'; call it from a platform thread such as the JVM's main thread");
        });
        Dispatch dispatch = new Dispatch();
        if (!ACTIVE.compareAndSet(null, dispatch)) {
            throw new IllegalStateException("Concurrence.dispatch is already running; one dispatch per JVM at a"
                    + " time (call Concurrence.quit to end it)");
        }
        Sigint.Registration sigint = Sigint.install(() -> dispatch.quit(EXIT_SIGINT));
        Tasklet<Void> mainTasklet = null;
        try {
            mainTasklet = Tasklet.named("main").daemon(true).spawn(() -> {
                try {
                    main.run();
                } catch (TaskletExit e) {
                    throw e;
                } catch (RuntimeException | Error e) {
                    LOG.error("[main] the main tasklet failed; dispatch returns exit code {}", EXIT_ERROR, e);
                    dispatch.quit(EXIT_ERROR);
                    throw e;
                }
            });
            return dispatch.await();
        } finally {
            ACTIVE.compareAndSet(dispatch, null);
            sigint.restore();
            if (mainTasklet != null) {
                TaskletTree.killTree(mainTasklet);
            }
        }
    }

    /**
     * Ends the running {@link #dispatch} with {@code exitCode}: dispatch returns it. The first call wins;
     * a call while no dispatch runs does nothing. Never blocks; may be called from any thread.
     *
     * @param exitCode the code dispatch returns ({@link #EXIT_OK} for success)
     */
    public static void quit(int exitCode) {
        Dispatch dispatch = ACTIVE.get();
        if (dispatch == null) {
            LOG.debug("Concurrence.quit({}) called while no dispatch runs; ignored", exitCode);
            return;
        }
        dispatch.quit(exitCode);
    }
}
