package io.concurrence;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link Tasklet#call(Call, java.time.Duration)} when the receiver answered with
 * {@link Envelope#fail(Throwable)} (the cause is that error), or when the call cannot be answered at all:
 * the receiver had finished before the call arrived, or finished without replying. It fails promptly in
 * those cases; it never waits out its timeout.
 *
 * @since 0.1
 */
public class CallFailedException extends ConcurrenceException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates a call failure.
     *
     * @param message which call failed, and why
     * @param cause the receiver's error, or null when the call was never answered
     */
    public CallFailedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
