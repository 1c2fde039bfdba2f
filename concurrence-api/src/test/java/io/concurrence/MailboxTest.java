package io.concurrence;

import static io.concurrence.ChannelTestSupport.SAFETY;
import static io.concurrence.ChannelTestSupport.SHORT;
import static io.concurrence.ChannelTestSupport.joinWithin;
import static io.concurrence.ChannelTestSupport.since;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.concurrence.TaskletTestSupport.Caller;

@org.junit.jupiter.api.Timeout(60)
class MailboxTest {

    record Note(int n) implements Message {
    }

    /** Holds a tasklet alive without receiving, until released. */
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void releaseTheGate() {
        gate.countDown();
    }

    /** A tasklet that never receives; it finishes when the gate opens. */
    private Tasklet<Void> idleUntilTheGateOpens() {
        return Tasklet.spawn(() -> {
            gate.await();
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void sendAppendsWithoutBlockingWhenNobodyReceives(Caller caller) throws Exception {
        int count = 10_000;
        Tasklet<List<Integer>> target = Tasklet.spawn(() -> {
            gate.await();
            List<Integer> received = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                received.add(((Note) Tasklet.receive(SAFETY).message()).n());
            }
            return received;
        });

        caller.run(() -> {
            for (int i = 0; i < count; i++) {
                target.send(new Note(i));
            }
        });

        assertThat(target.mailbox().size()).isEqualTo(count);
        gate.countDown();
        assertThat(joinWithin(target)).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
        assertThat(target.mailbox().size()).isZero();
    }

    @Test
    void mailboxIsFifoAndPollTakesWithoutWaiting() {
        Tasklet<Void> target = idleUntilTheGateOpens();
        Mailbox mailbox = target.mailbox();
        assertThat(mailbox.poll()).isEmpty();

        target.send(new Note(1));
        target.send(new Note(2));
        target.send(new Note(3));

        assertThat(mailbox.size()).isEqualTo(3);
        assertThat(mailbox.poll()).map(Envelope::message).contains(new Note(1));
        assertThat(mailbox.size()).isEqualTo(2);
        assertThat(mailbox.receive(SAFETY).message()).isEqualTo(new Note(2));
        assertThat(mailbox.poll()).map(Envelope::message).contains(new Note(3));
        assertThat(mailbox.poll()).isEmpty();
        assertThat(mailbox.size()).isZero();
    }

    @Test
    void taskletReceivesFromItsOwnMailboxInFifoOrder() {
        Tasklet<List<Message>> target = Tasklet.spawn(() -> {
            gate.await();
            return List.of(Tasklet.receive().message(), Tasklet.receive(SAFETY).message());
        });
        target.send(new Note(10));
        target.send(new Note(20));

        gate.countDown();

        assertThat(joinWithin(target)).containsExactly(new Note(10), new Note(20));
    }

    @Test
    void receiveWithTimeoutThrowsTimeoutExceptionWhenTheMailboxStaysEmpty() {
        long start = System.nanoTime();
        Tasklet<Envelope> target = Tasklet.spawn(() -> Tasklet.receive(SHORT));

        assertThatThrownBy(() -> target.join(SAFETY))
                .isInstanceOf(JoinException.class)
                .cause()
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Mailbox.receive")
                .hasMessageContaining("100 ms");
        assertThat(since(start)).isGreaterThanOrEqualTo(SHORT);
    }

    @Test
    void untimedReceiveHonoursTheAmbientTimeout() {
        Tasklet<Envelope> target = Tasklet.spawn(() -> {
            try (Timeout ignored = Timeout.push(SHORT)) {
                return Tasklet.receive();
            }
        });

        assertThatThrownBy(() -> target.join(SAFETY))
                .isInstanceOf(JoinException.class)
                .cause()
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Mailbox.receive")
                .hasMessageContaining("ambient Timeout");
    }

    @Test
    void mailboxReceiveFromAnotherThreadTimesOutWhenEmpty() {
        Tasklet<Void> target = idleUntilTheGateOpens();

        assertThatThrownBy(() -> target.mailbox().receive(SHORT))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Mailbox.receive")
                .hasNoCause();
    }

    @Test
    void receiveFromAPlatformThreadThrowsIllegalStateException() {
        assertThatThrownBy(Tasklet::receive)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a tasklet")
                .hasNoCause();
        assertThatThrownBy(() -> Tasklet.receive(SHORT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a tasklet")
                .hasNoCause();
    }

    @Test
    void envelopeSenderIsTheSendingTasklet() {
        Tasklet<Envelope> target = Tasklet.spawn(() -> Tasklet.receive(SAFETY));
        Tasklet<Void> sender = Tasklet.named("the-sender").spawn(() -> target.send(new Note(7)));

        Envelope envelope = joinWithin(target);

        joinWithin(sender);
        assertThat(envelope.message()).isEqualTo(new Note(7));
        assertThat(envelope.sender()).containsSame(sender);
        assertThat(envelope.expectsReply()).isFalse();
        assertThat(envelope.isAnswered()).isFalse();
    }

    @Test
    void envelopeSenderIsEmptyWhenSentFromAPlatformThread() {
        Tasklet<Envelope> target = Tasklet.spawn(() -> Tasklet.receive(SAFETY));

        target.send(new Note(8));

        Envelope envelope = joinWithin(target);
        assertThat(envelope.message()).isEqualTo(new Note(8));
        assertThat(envelope.sender()).isEmpty();
        assertThat(envelope.expectsReply()).isFalse();
    }

    @Test
    void sendCountsInTheMessagesSentStatistic() {
        Tasklet<Void> target = idleUntilTheGateOpens();
        long before = Tasklet.stats().messagesSent();

        target.send(new Note(1));
        target.send(new Note(2));

        assertThat(Tasklet.stats().messagesSent()).isGreaterThanOrEqualTo(before + 2);
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void sendToAFinishedTaskletIsACountedDeadLetter(Caller caller) throws Exception {
        Tasklet<Void> finished = Tasklet.spawn(() -> {
        });
        joinWithin(finished);
        long before = Tasklet.stats().deadLetters();

        caller.run(() -> {
            for (int i = 0; i < 3; i++) {
                assertThatCode(() -> finished.send(new Note(-1))).doesNotThrowAnyException();
            }
        });

        assertThat(Tasklet.stats().deadLetters()).isGreaterThanOrEqualTo(before + 3);
        assertThat(finished.mailbox().size()).isZero();
        assertThat(finished.mailbox().poll()).isEmpty();
    }

    @Test
    void messagesLeftInTheMailboxWhenTheTaskletFinishesAreDeadLetters() {
        Tasklet<Void> target = idleUntilTheGateOpens();
        target.send(new Note(1));
        target.send(new Note(2));
        target.send(new Note(3));
        assertThat(target.mailbox().size()).isEqualTo(3);
        long before = Tasklet.stats().deadLetters();

        gate.countDown();
        joinWithin(target);

        assertThat(Tasklet.stats().deadLetters()).isGreaterThanOrEqualTo(before + 3);
        assertThat(target.mailbox().size()).isZero();
        assertThatThrownBy(() -> target.mailbox().receive(SHORT))
                .as("the mailbox of a finished tasklet is closed")
                .isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("Mailbox.receive");
    }
}
