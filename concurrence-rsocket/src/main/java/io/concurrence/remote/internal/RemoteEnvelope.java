package io.concurrence.remote.internal;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.concurrence.Envelope;
import io.concurrence.Message;
import io.concurrence.Tasklet;

/**
 * A message that arrived from another process, in a tasklet's mailbox. Its answer travels back to the caller
 * through {@code answer}; answering never blocks, and only the first answer counts (a late one, for a caller that
 * gave up, is dropped by the transport).
 */
final class RemoteEnvelope implements Envelope {

    /** How an answer travels back: a reply value, or a failure. */
    interface Answer {
        void reply(@Nullable Object result);

        void fail(Throwable error);
    }

    private final Message message;
    private final @Nullable Answer answer;
    private final AtomicBoolean answered = new AtomicBoolean();

    private RemoteEnvelope(Message message, @Nullable Answer answer) {
        this.message = message;
        this.answer = answer;
    }

    static RemoteEnvelope send(Message message) {
        return new RemoteEnvelope(message, null);
    }

    static RemoteEnvelope call(Message message, Answer answer) {
        return new RemoteEnvelope(message, answer);
    }

    @Override
    public Message message() {
        return message;
    }

    @Override
    public Optional<Tasklet<?>> sender() {
        return Optional.empty();
    }

    @Override
    public boolean expectsReply() {
        return answer != null;
    }

    @Override
    public boolean isAnswered() {
        return answered.get();
    }

    @Override
    public void reply(@Nullable Object result) {
        answer(a -> a.reply(result), "reply");
    }

    @Override
    public void fail(Throwable error) {
        answer(a -> a.fail(error), "fail");
    }

    private void answer(Consumer<Answer> how, String what) {
        Answer a = answer;
        if (a == null) {
            throw new IllegalStateException(what + "() on a message that was sent, not called: "
                    + message.getClass().getName() + " expects no answer");
        }
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException(what + "(): the call " + message + " has been answered already");
        }
        how.accept(a);
    }

    @Override
    public String toString() {
        return "RemoteEnvelope[" + message + (answer != null ? ", call" : ", send") + "]";
    }
}
