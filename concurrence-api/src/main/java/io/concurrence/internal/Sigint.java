package io.concurrence.internal;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT (Ctrl-C) handling for {@code Concurrence.dispatch}, on {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}), the one supported way to handle a signal in-process. Kept in this one class so
 * that the rest of the code does not touch the unsupported API.
 */
public final class Sigint {

    private static final Logger LOG = LoggerFactory.getLogger(Sigint.class);

    /** An installed handler; {@link #restore()} puts the previous one back. */
    public interface Registration {
        void restore();
    }

    private Sigint() {
    }

    /** Runs {@code action} on SIGINT instead of ending the JVM, until the registration is restored. */
    public static Registration install(Runnable action) {
        Signal interrupt = new Signal("INT");
        @Nullable SignalHandler previous;
        try {
            previous = Signal.handle(interrupt, signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("SIGINT cannot be handled in this JVM (e.g. -Xrs); Ctrl-C ends the JVM directly", e);
            return () -> { };
        }
        return () -> {
            try {
                Signal.handle(interrupt, previous);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("Could not restore the previous SIGINT handler", e);
            }
        };
    }

    /** Raises SIGINT in this process (for tests). */
    public static void raise() {
        Signal.raise(new Signal("INT"));
    }
}
