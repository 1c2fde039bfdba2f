package io.concurrence;

import static io.concurrence.ChannelTestSupport.PROMPT;
import static io.concurrence.ChannelTestSupport.SAFETY;
import static io.concurrence.ChannelTestSupport.SHORT;
import static io.concurrence.ChannelTestSupport.awaitMailboxSize;
import static io.concurrence.ChannelTestSupport.joinWithin;
import static io.concurrence.ChannelTestSupport.killAndAssertExit;
import static io.concurrence.ChannelTestSupport.since;
import static io.concurrence.ChannelTestSupport.stop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.concurrence.TaskletTestSupport.Caller;

@org.junit.jupiter.api.Timeout(60)
class CallTest {

    /** A timeout far longer than any call here should take: a call that fails "promptly" beats it by far. */
    private static final Duration LONG_CALL = Duration.ofSeconds(30);

    record Echo(String text) implements Call<String> {
    }

    record Nothing() implements Call<String> {
    }

    record Note(String text) implements Message {
    }

    sealed interface CounterMsg extends Message permits Add, Get {
    }

    record Add(int n) implements CounterMsg {
    }

    record Get() implements CounterMsg, Call<Integer> {
    }

    /** The counter of the API's example: a sealed protocol consumed by an exhaustive switch. */
    static final class Counter implements Consumer<Envelope> {
        private int count;

        @Override
        public void accept(Envelope envelope) {
            if (envelope.message() instanceof CounterMsg message) {
                switch (message) {
                    case Add add -> count += add.n();
                    case Get get -> envelope.reply(count);
                }
            }
        }
    }

    /** Replies to an {@link Echo} with its text upper-cased, and to {@link Nothing} with null. */
    private static final Consumer<Envelope> ECHO = envelope -> {
        switch (envelope.message()) {
            case Echo echo -> envelope.reply(echo.text().toUpperCase());
            case Nothing nothing -> envelope.reply(null);
            default -> throw new IllegalArgumentException("unexpected " + envelope.message());
        }
    };

    private final List<Tasklet<?>> started = new ArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void stopStartedTasklets() {
        gate.countDown();
        started.forEach(ChannelTestSupport::stop);
    }

    private <T> Tasklet<T> started(Tasklet<T> tasklet) {
        started.add(tasklet);
        return tasklet;
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void callReturnsTheReply(Caller caller) throws Exception {
        Tasklet<Void> echo = started(Tasklet.named("echo").receiver(ECHO));

        String reply = caller.call(() -> echo.call(new Echo("hello"), SAFETY));

        assertThat(reply).isEqualTo("HELLO");
    }

    @Test
    void untimedCallReturnsTheReply() {
        Tasklet<Void> echo = started(Tasklet.receiver(ECHO));

        assertThat(echo.call(new Echo("untimed"))).isEqualTo("UNTIMED");
    }

    @Test
    void replyWithNullMakesCallReturnNull() {
        Tasklet<Void> echo = started(Tasklet.receiver(ECHO));

        assertThat(echo.call(new Nothing(), SAFETY)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void failMakesCallThrowCallFailedExceptionWithThatCause(Caller caller) {
        IllegalStateException error = new IllegalStateException("cannot echo that");
        Tasklet<Void> failing = started(Tasklet.named("failing").receiver(envelope -> envelope.fail(error)));

        assertThatThrownBy(() -> caller.call(() -> failing.call(new Echo("x"), SAFETY)))
                .isInstanceOf(CallFailedException.class)
                .hasMessageContaining("failing")
                .hasMessageContaining("cannot echo that")
                .cause()
                .isSameAs(error);
    }

    @Test
    void callThatTimesOutThrowsTimeoutExceptionAndALateReplyIsDropped() {
        Channel<Envelope> taken = new Channel<>();
        Tasklet<Void> slow = started(Tasklet.named("slow").spawn(() -> {
            Envelope envelope = Tasklet.receive();
            taken.send(envelope);
            gate.await();
            return null;
        }));
        long start = System.nanoTime();

        assertThatThrownBy(() -> slow.call(new Echo("too slow"), SHORT))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Tasklet.call of 'slow'")
                .hasMessageContaining("100 ms")
                .hasNoCause();
        assertThat(since(start)).isGreaterThanOrEqualTo(SHORT);

        Envelope late = taken.receive(SAFETY);
        assertThat(late.expectsReply()).isTrue();
        assertThatCode(() -> late.reply("too late")).doesNotThrowAnyException();
        assertThatCode(() -> late.fail(new IllegalStateException("too late as well")))
                .doesNotThrowAnyException();
    }

    @Test
    void callHonoursTheAmbientTimeout() {
        Tasklet<Void> silent = started(Tasklet.named("silent").spawn(() -> {
            gate.await();
            return null;
        }));

        assertThatThrownBy(() -> {
            try (Timeout ignored = Timeout.push(SHORT)) {
                silent.call(new Echo("x"));
            }
        })
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Tasklet.call of 'silent'")
                .hasMessageContaining("ambient Timeout");
    }

    @Test
    void callWithZeroTimeoutThrowsTimeoutExceptionWithoutSending() {
        Tasklet<Void> idle = started(Tasklet.named("idle").spawn(() -> {
            gate.await();
            return null;
        }));

        assertThatThrownBy(() -> idle.call(new Echo("now"), Duration.ZERO))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Tasklet.call of 'idle'")
                .hasNoCause();
        assertThat(idle.mailbox().size()).isZero();
    }

    @Test
    void replyToAPlainSendThrowsIllegalStateException() {
        Tasklet<Envelope> target = Tasklet.spawn(() -> Tasklet.receive(SAFETY));
        target.send(new Note("no reply expected"));
        Envelope envelope = joinWithin(target);

        assertThat(envelope.expectsReply()).isFalse();
        assertThatThrownBy(() -> envelope.reply("unwanted"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("it was sent with send(), not call()")
                .hasNoCause();
        assertThatThrownBy(() -> envelope.fail(new IllegalArgumentException("unwanted")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("it was sent with send(), not call()");
    }

    @Test
    void secondReplyThrowsIllegalStateException() {
        Tasklet<RuntimeException> twice = Tasklet.spawn(() -> {
            Envelope envelope = Tasklet.receive(SAFETY);
            envelope.reply("first");
            try {
                envelope.reply("second");
                return null;
            } catch (IllegalStateException expected) {
                return expected;
            }
        });

        String reply = twice.call(new Echo("twice"), SAFETY);

        assertThat(reply).isEqualTo("first");
        assertThat(joinWithin(twice))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("answered already");
    }

    @Test
    void failAfterReplyThrowsIllegalStateException() {
        Tasklet<RuntimeException> both = Tasklet.spawn(() -> {
            Envelope envelope = Tasklet.receive(SAFETY);
            envelope.reply("replied");
            try {
                envelope.fail(new IllegalStateException("too late to fail"));
                return null;
            } catch (IllegalStateException expected) {
                return expected;
            }
        });

        assertThat(both.call(new Echo("both"), SAFETY)).isEqualTo("replied");
        assertThat(joinWithin(both))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("answered already");
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void callToAFinishedTaskletFailsPromptly(Caller caller) {
        Tasklet<Void> finished = Tasklet.named("gone").spawn(() -> {
        });
        joinWithin(finished);
        long start = System.nanoTime();

        assertThatThrownBy(() -> caller.call(() -> finished.call(new Echo("anyone?"), LONG_CALL)))
                .isInstanceOf(CallFailedException.class)
                .hasMessageContaining("gone")
                .hasMessageContaining("finished")
                .hasNoCause();
        assertThat(since(start)).isLessThan(PROMPT);
    }

    @Test
    void callLeftInTheMailboxWhenTheReceiverFinishesFailsPromptly() {
        Tasklet<Void> target = Tasklet.named("leaving").spawn(() -> {
            gate.await();
            return null;
        });
        long start = System.nanoTime();
        Tasklet<String> caller = Tasklet.spawn(() -> target.call(new Echo("unread"), LONG_CALL));
        awaitMailboxSize(target, 1);

        gate.countDown();

        assertThatThrownBy(() -> caller.join(SAFETY))
                .isInstanceOf(JoinException.class)
                .cause()
                .isInstanceOf(CallFailedException.class)
                .hasMessageContaining("leaving")
                .hasNoCause();
        assertThat(since(start)).isLessThan(PROMPT);
    }

    @Test
    void receiverThatFinishesWithoutReplyingMakesTheCallFailPromptly() {
        Tasklet<Envelope> forgetful = Tasklet.named("forgetful").spawn(() -> Tasklet.receive(SAFETY));
        long start = System.nanoTime();

        assertThatThrownBy(() -> forgetful.call(new Echo("ignored"), LONG_CALL))
                .isInstanceOf(CallFailedException.class)
                .hasMessageContaining("forgetful")
                .hasMessageContaining("without replying")
                .hasNoCause();
        assertThat(since(start)).isLessThan(PROMPT);
        assertThat(joinWithin(forgetful).message()).isEqualTo(new Echo("ignored"));
    }

    @Test
    void receiverWhoseHandlerThrowsFailsTheCallAndKeepsServing() {
        IllegalArgumentException failure = new IllegalArgumentException("handler blew up");
        Tasklet<Void> fragile = started(Tasklet.named("fragile").receiver(envelope -> {
            if (envelope.message() instanceof Echo(String text) && text.equals("boom")) {
                throw failure;
            }
            ECHO.accept(envelope);
        }));

        assertThatThrownBy(() -> fragile.call(new Echo("boom"), SAFETY))
                .isInstanceOf(CallFailedException.class)
                .hasMessageContaining("fragile")
                .cause()
                .isSameAs(failure);
        assertThat(fragile.call(new Echo("still alive"), SAFETY)).isEqualTo("STILL ALIVE");
        assertThat(fragile.isDone()).isFalse();
    }

    @Test
    void killOfACallerBlockedInCallThrowsTaskletExit() {
        Tasklet<Void> silent = started(Tasklet.named("silent").spawn(() -> {
            gate.await();
            return null;
        }));
        Tasklet<String> caller = Tasklet.spawn(() -> silent.call(new Echo("waiting")));
        awaitMailboxSize(silent, 1);

        killAndAssertExit(caller, "Tasklet.call");

        Envelope abandoned = silent.mailbox().poll().orElseThrow();
        assertThatCode(() -> abandoned.reply("nobody listens")).doesNotThrowAnyException();
    }

    @Test
    void callingYourselfThrowsIllegalStateException() {
        Tasklet<RuntimeException> narcissist = Tasklet.named("narcissist").spawn(() -> {
            @SuppressWarnings("unchecked")
            Tasklet<Object> self = (Tasklet<Object>) Tasklet.current();
            try {
                self.call(new Echo("me?"), SAFETY);
                return null;
            } catch (IllegalStateException expected) {
                return expected;
            }
        });

        assertThat(joinWithin(narcissist))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("narcissist")
                .hasMessageContaining("called itself")
                .hasNoCause();
        assertThat(narcissist.mailbox().size()).isZero();
    }

    @Test
    void sealedProtocolConsumedWithASwitchCountsAndReplies() {
        Tasklet<Void> counter = started(Tasklet.named("counter").receiver(new Counter()));

        for (int i = 1; i <= 10; i++) {
            counter.send(new Add(i));
        }
        int afterTen = counter.call(new Get(), SAFETY);
        counter.send(new Add(45));
        int afterMore = counter.call(new Get(), SAFETY);

        assertThat(afterTen).isEqualTo(55);
        assertThat(afterMore).isEqualTo(100);
    }

    @Test
    void manyConcurrentCallersEachGetTheirOwnReply() {
        Tasklet<Void> echo = started(Tasklet.named("echo").receiver(ECHO));
        int callerCount = 100;
        List<Tasklet<String>> callers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < callerCount; i++) {
            String text = "caller-" + i;
            callers.add(Tasklet.spawn(() -> {
                start.await();
                return echo.call(new Echo(text), SAFETY);
            }));
        }

        start.countDown();

        for (int i = 0; i < callerCount; i++) {
            assertThat(joinWithin(callers.get(i))).isEqualTo("CALLER-" + i);
        }
        stop(echo);
        assertThat(echo.isDone()).isTrue();
    }

    @Test
    void callsRacingWithTheReceiverFinishingAllEndPromptly() {
        int rounds = 100;
        int callersPerRound = 10;
        for (int round = 0; round < rounds; round++) {
            int served = ThreadLocalRandom.current().nextInt(0, callersPerRound / 2);
            // answers a few calls, then finishes: the other calls are in the mailbox, or arrive after the end
            Tasklet<Void> target = Tasklet.spawn(() -> {
                for (int i = 0; i < served; i++) {
                    Envelope envelope = Tasklet.receive(SAFETY);
                    envelope.reply(((Echo) envelope.message()).text());
                }
            });
            List<Tasklet<Boolean>> callers = new ArrayList<>();
            for (int c = 0; c < callersPerRound; c++) {
                String text = "call-" + c;
                callers.add(Tasklet.spawn(() -> {
                    try {
                        assertThat(target.call(new Echo(text), LONG_CALL)).isEqualTo(text);
                        return true;
                    } catch (CallFailedException unanswered) {
                        return false;
                    }
                }));
            }

            long start = System.nanoTime();
            int answered = 0;
            for (Tasklet<Boolean> caller : callers) {
                if (joinWithin(caller)) {
                    answered++;
                }
            }
            assertThat(since(start)).as("round %d: no call waits out its timeout", round).isLessThan(PROMPT);
            assertThat(answered).as("round %d: answered calls", round).isEqualTo(served);
            joinWithin(target);
        }
    }
}
