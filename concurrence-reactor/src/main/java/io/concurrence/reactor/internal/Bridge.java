package io.concurrence.reactor.internal;

import java.util.Map;

import org.reactivestreams.Subscription;

import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import io.concurrence.ConcurrenceException;
import io.concurrence.TimeoutException;
import io.concurrence.internal.Propagation;

/**
 * What every wait on a publisher shares: the thread check, the context carrying propagated task-locals,
 * and the translation of upstream errors.
 */
public final class Bridge {

    private Bridge() {
    }

    /**
     * Refuses to block a thread that Reactor marks {@code NonBlocking} (Netty event loops,
     * {@code Schedulers.parallel()}): blocking there would stall every connection on the loop, or deadlock.
     *
     * @throws IllegalStateException naming the thread
     */
    public static void checkMayBlock(String operation) {
        if (Schedulers.isInNonBlockingThread()) {
            throw new IllegalStateException(operation + " called on non-blocking thread "
                    + Thread.currentThread().getName() + "; blocking here would stall the event loop."
                    + " Call it from a tasklet (Tasklet.spawn, or Reactive.mono from Reactor code)");
        }
    }

    /** The Reactor context for a subscription made by the current tasklet: its propagated task-locals. */
    public static Context context() {
        Map<String, Object> values = Propagation.capture();
        return values.isEmpty() ? Context.empty() : Context.of(values);
    }

    /**
     * The context to discard values with. Discard hooks ({@code doOnDiscard}) live in the context seen by
     * the operators upstream of them, not in the final subscriber's own; when the subscription is the last
     * operator's subscriber (as with a {@code doOnDiscard} placed last), its context holds the hook.
     */
    public static Context discardContext(Subscription subscription, Context own) {
        return subscription instanceof CoreSubscriber<?> upstream ? upstream.currentContext() : own;
    }

    /** The propagated task-local values found in a Reactor context, by key. */
    public static Map<String, Object> propagatedValues(ContextView context) {
        if (context.isEmpty() || Propagation.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> values = new java.util.HashMap<>();
        context.forEach((key, value) -> {
            if (key instanceof String name) {
                values.put(name, value);
            }
        });
        return values;
    }

    /**
     * The exception to throw for an upstream error: unchecked ones as they are, checked ones wrapped in
     * {@link ConcurrenceException}, Reactor's {@code java.util.concurrent.TimeoutException} as
     * {@link TimeoutException}; with a suppressed marker whose stack trace shows where the caller waited.
     * Errors are rethrown as they are.
     */
    public static RuntimeException propagate(Throwable error, String operation) {
        RuntimeException thrown;
        if (error instanceof java.util.concurrent.TimeoutException timeout) {
            thrown = new TimeoutException(operation + " timed out upstream: " + timeout.getMessage());
            thrown.initCause(timeout);
        } else if (error instanceof RuntimeException runtime) {
            thrown = runtime;
        } else if (error instanceof Error fatal) {
            markCallSite(fatal, operation);
            throw fatal;
        } else {
            thrown = new ConcurrenceException(operation + " failed: " + error, error);
        }
        markCallSite(thrown, operation);
        return thrown;
    }

    private static void markCallSite(Throwable error, String operation) {
        for (Throwable suppressed : error.getSuppressed()) {
            if (suppressed instanceof CallSite) {
                return; // already marked: do not grow a shared exception on every rethrow
            }
        }
        error.addSuppressed(new CallSite(operation));
    }

    /** A suppressed marker whose stack trace is the caller's: where it waited when the error arrived. */
    static final class CallSite extends Exception {
        private static final long serialVersionUID = 1L;

        CallSite(String operation) {
            super("#" + operation + " terminated with an error");
        }
    }
}
