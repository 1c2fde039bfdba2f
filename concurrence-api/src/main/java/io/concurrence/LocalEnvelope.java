package io.concurrence;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.concurrence.internal.Parking;

/**
 * An envelope sent between tasklets of this process. For a call it is also the caller's reply slot: the
 * caller parks on it, and {@code reply}/{@code fail} set its outcome once, by CAS, and unpark the caller.
 * A caller that gives up CASes the outcome to {@link #CANCELLED}, so a late answer finds it taken and is
 * dropped, never blocking the replier.
 */
final class LocalEnvelope implements Envelope, Parking.Waitable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEnvelope.class);

    private static final Object CANCELLED = new Object();
    private static final Object NULL_REPLY = new Object();

    private static final VarHandle OUTCOME;

    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(LocalEnvelope.class, "outcome", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A failed answer: the receiver's error, or (error null) why the call could not be answered. */
    private record Failure(@Nullable Throwable error, @Nullable String unanswered) {
    }

    private final Message message;
    private final @Nullable Tasklet<?> sender;
    /** The thread waiting in {@code call}; null for a plain send. */
    private final @Nullable Thread caller;
    /** Null while unanswered; then the reply ({@link #NULL_REPLY} for null), a {@link Failure}, or CANCELLED. */
    private volatile @Nullable Object outcome;

    private LocalEnvelope(Message message, @Nullable Tasklet<?> sender, @Nullable Thread caller) {
        this.message = message;
        this.sender = sender;
        this.caller = caller;
    }

    /** An envelope for a plain send from the current thread. */
    static LocalEnvelope send(Message message) {
        return new LocalEnvelope(message, Tasklet.findCurrentOrNull(), null);
    }

    /** An envelope for a call from the current thread, which will wait on it. */
    static LocalEnvelope call(Call<?> message) {
        return new LocalEnvelope(message, Tasklet.findCurrentOrNull(), Thread.currentThread());
    }

    @Override
    public Message message() {
        return message;
    }

    @Override
    public Optional<Tasklet<?>> sender() {
        return Optional.ofNullable(sender);
    }

    @Override
    public boolean expectsReply() {
        return caller != null;
    }

    @Override
    public boolean isAnswered() {
        Object o = outcome;
        return o != null && o != CANCELLED;
    }

    @Override
    public void reply(@Nullable Object result) {
        answer(result == null ? NULL_REPLY : result, "reply");
    }

    @Override
    public void fail(Throwable error) {
        answer(new Failure(Objects.requireNonNull(error, "error"), null), "fail");
    }

    /** Fails the call because it can never be answered; no-op when it has been answered or abandoned. */
    void failUnanswered(String why) {
        if (caller != null && complete(new Failure(null, why))) {
            LOG.debug("{}", why);
        }
    }

    /**
     * Records which tasklet took this call from a mailbox (the current one), so that its end can fail the
     * call if it is still unanswered.
     */
    void takenBy(@Nullable Tasklet<?> tasklet) {
        if (caller != null && tasklet != null) {
            tasklet.trackUnanswered(this);
        }
    }

    @Override
    public boolean isReady() {
        return outcome != null;
    }

    /** Whether the call needs no more tracking: answered, or abandoned by its caller. */
    boolean isSettled() {
        return outcome != null;
    }

    /** Gives up waiting; returns false if the answer came first. */
    boolean cancel() {
        return OUTCOME.compareAndSet(this, null, CANCELLED);
    }

    /**
     * The caller's result after the wait: the reply, or the failure thrown.
     *
     * @throws CallFailedException if the call failed
     */
    @Nullable Object result(Tasklet<?> receiver) {
        Object o = Objects.requireNonNull(outcome);
        if (o instanceof Failure failure) {
            Throwable error = failure.error();
            if (error == null) {
                throw new CallFailedException(Objects.requireNonNull(failure.unanswered()), null);
            }
            throw new CallFailedException("Call " + message + " to tasklet '" + receiver.name() + "' failed: "
                    + error, error);
        }
        return o == NULL_REPLY ? null : o;
    }

    private void answer(Object result, String how) {
        if (caller == null) {
            throw new IllegalStateException("Cannot " + how + " to " + message + ": it was sent with send(), not"
                    + " call(), so nobody waits for an answer");
        }
        if (!complete(result)) {
            if (outcome == CANCELLED) {
                LOG.debug("Dropped the late {} to {}: the caller gave up", how, message);
                return;
            }
            throw new IllegalStateException("Cannot " + how + " to " + message + ": it has been answered already");
        }
    }

    private boolean complete(Object result) {
        if (!OUTCOME.compareAndSet(this, null, result)) {
            return false;
        }
        LockSupport.unpark(caller);
        return true;
    }

    @Override
    public String toString() {
        return "Envelope[" + message + (caller != null ? ", call" : "") + "]";
    }
}
