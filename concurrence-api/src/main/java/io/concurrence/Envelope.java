package io.concurrence;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a receiver takes from its mailbox: a {@link Message}, who sent it, and (for a {@link Call}) the way
 * to answer. The receiving code cannot tell, and need not care, whether the message came from a tasklet in
 * this process or from a remote one.
 *
 * <p>Answering never blocks. A reply to a caller that already gave up (timed out or was killed) is
 * dropped. A call that is taken from the mailbox and never answered fails at the caller with
 * {@link CallFailedException} when the tasklet that took it finishes; a receiver that hands calls on to
 * other tasklets must outlive the answers.
 *
 * <p>Thread-safe: any tasklet may answer. Not intended for implementation outside Concurrence.
 *
 * @since 0.1
 */
public interface Envelope {

    /**
     * The message.
     *
     * @return the message sent
     */
    Message message();

    /**
     * The tasklet that sent the message, if it was sent from a tasklet of this process.
     *
     * @return the sender, or empty for a platform thread or a remote sender
     */
    Optional<Tasklet<?>> sender();

    /**
     * Whether the sender waits for an answer ({@link Tasklet#call}).
     *
     * @return true for a call, false for a plain send
     */
    boolean expectsReply();

    /**
     * Whether {@link #reply} or {@link #fail} has been called (or the call was failed because its receiver
     * finished).
     *
     * @return true once answered; always false for a plain send
     */
    boolean isAnswered();

    /**
     * Answers the call: the caller's {@link Tasklet#call} returns {@code result}. Never blocks; dropped when
     * the caller has given up.
     *
     * @param result the reply, which must be of the call's reply type; may be null
     * @throws IllegalStateException if the message is not a call, or it has been answered already
     */
    void reply(@Nullable Object result);

    /**
     * Answers the call with an error: the caller's {@link Tasklet#call} throws {@link CallFailedException}
     * with {@code error} as the cause. Never blocks; dropped when the caller has given up.
     *
     * @param error why the call failed
     * @throws IllegalStateException if the message is not a call, or it has been answered already
     */
    void fail(Throwable error);
}
