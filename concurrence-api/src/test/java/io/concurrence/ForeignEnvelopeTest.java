package io.concurrence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.concurrence.internal.Mailboxes;

/**
 * Envelopes made outside the core (as remoting makes them for messages from another process), delivered with
 * {@link Mailboxes#deliver}: taken like any other, and failed with {@link CallFailedException} when they can never
 * be answered.
 */
class ForeignEnvelopeTest {

    record Ping(int n) implements Call<Integer> {
    }

    record Note(String text) implements Message {
    }

    /** A foreign envelope: its answer completes a future, the way a remote one would travel back. */
    static final class Foreign implements Envelope {
        final Message message;
        final boolean call;
        final CompletableFuture<Object> answer = new CompletableFuture<>();

        Foreign(Message message, boolean call) {
            this.message = message;
            this.call = call;
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
            return call;
        }

        @Override
        public boolean isAnswered() {
            return answer.isDone();
        }

        @Override
        public void reply(@Nullable Object result) {
            answer.complete(result);
        }

        @Override
        public void fail(Throwable error) {
            answer.completeExceptionally(error);
        }
    }

    @Test
    void aForeignCallIsTakenAndAnsweredLikeALocalOne() throws Exception {
        Tasklet<Void> receiver = Tasklet.receiver(envelope -> {
            if (envelope.message() instanceof Ping ping) {
                envelope.reply(ping.n() + 1);
            }
        });
        Foreign call = new Foreign(new Ping(41), true);
        assertThat(Mailboxes.deliver(receiver, call)).isTrue();
        assertThat(call.answer.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        receiver.kill();
    }

    @Test
    void aForeignSendArrivesWithNoSender() throws Exception {
        CompletableFuture<Envelope> seen = new CompletableFuture<>();
        Tasklet<Void> receiver = Tasklet.receiver(seen::complete);
        Foreign send = new Foreign(new Note("hi"), false);
        assertThat(Mailboxes.deliver(receiver, send)).isTrue();
        Envelope envelope = seen.get(10, TimeUnit.SECONDS);
        assertThat(envelope.message()).isEqualTo(new Note("hi"));
        assertThat(envelope.sender()).isEmpty();
        assertThat(envelope.expectsReply()).isFalse();
        receiver.kill();
    }

    @Test
    void aForeignCallToAFinishedTaskletFailsAtOnce() throws Exception {
        Tasklet<Integer> done = Tasklet.spawn(() -> 1);
        done.join(TaskletTestSupport.SAFETY);
        Foreign call = new Foreign(new Ping(1), true);
        assertThat(Mailboxes.deliver(done, call)).isFalse();
        assertThat(call.answer).isCompletedExceptionally();
        assertThat(call.answer.handle((v, e) -> e).get()).isInstanceOf(CallFailedException.class)
                .hasMessageContaining("was not delivered");
    }

    @Test
    void aForeignCallTakenAndNeverAnsweredFailsWhenItsTakerFinishes() throws Exception {
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Tasklet<Void> taker = Tasklet.spawn(() -> {
            Tasklet.receive();
            taken.countDown();
            finish.await();
            return null;
        });
        Foreign call = new Foreign(new Ping(7), true);
        assertThat(Mailboxes.deliver(taker, call)).isTrue();
        assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(call.answer).isNotDone();
        finish.countDown();
        taker.join(TaskletTestSupport.SAFETY);
        assertThat(call.answer.handle((v, e) -> e).get(10, TimeUnit.SECONDS)).isInstanceOf(CallFailedException.class)
                .hasMessageContaining("finished without replying");
    }
}
