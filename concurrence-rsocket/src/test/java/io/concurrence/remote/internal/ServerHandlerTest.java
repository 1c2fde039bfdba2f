package io.concurrence.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.concurrence.Call;
import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.rsocket.exceptions.ApplicationErrorException;

/**
 * The server side of one connection, below the client: what it does with a message whose target finished after its
 * name was resolved (the race with a registered tasklet finishing, which a test through a server hits only by
 * chance, since the server releases the name of a finished tasklet).
 */
class ServerHandlerTest {

    private static final Duration SAFETY = Duration.ofSeconds(10);

    record Ping() implements Message, Call<String> {
    }

    private final MessageCodec codec = MessageCodec.of(Set.of(Ping.class), 1 << 20, MessageCodec.Format.CBOR);
    private final ServerCounters counters = new ServerCounters();

    /** A handler whose only name resolves to a tasklet that has finished. */
    private ServerHandler handlerWithAFinishedTarget() {
        Tasklet<Void> finished = Tasklet.spawn(() -> { });
        finished.join(SAFETY);
        return new ServerHandler(Map.of("done", finished)::get, codec, counters, PeerTypes.UNKNOWN);
    }

    @Test
    void aSendToAFinishedTaskletIsCountedAsADeadLetterNotAsDelivered() {
        ServerHandler handler = handlerWithAFinishedTarget();
        handler.fireAndForget(Wire.payload(Wire.SEND, "done", codec.encode(new Ping()))).block(SAFETY);
        assertThat(counters.deadLetters()).isEqualTo(1);
        assertThat(counters.delivered()).isZero();
        assertThat(counters.refusedSends()).as("the name was registered: not a refusal").isZero();
    }

    @Test
    void aCallToAFinishedTaskletFailsAtOnceSayingItHadFinishedAndIsCountedAsADeadLetter() {
        ServerHandler handler = handlerWithAFinishedTarget();
        assertFailsAsADeadLetter(() -> handler.requestResponse(Wire.payload(Wire.CALL, "done",
                codec.encode(new Ping()))).block(SAFETY));
    }

    @Test
    void aStreamCallToAFinishedTaskletFailsAtOnceAndIsCountedAsADeadLetter() {
        ServerHandler handler = handlerWithAFinishedTarget();
        assertFailsAsADeadLetter(() -> handler.requestStream(Wire.payload(Wire.STREAM, "done",
                codec.encode(new Ping()))).blockLast(SAFETY));
    }

    /** The exchange fails at once, saying the tasklet had finished, and is counted as a dead letter. */
    private void assertFailsAsADeadLetter(ThrowingCallable exchange) {
        assertThatThrownBy(exchange)
                .isInstanceOf(ApplicationErrorException.class)
                .hasMessageStartingWith("Failed: ")
                .hasMessageContaining("was not delivered: it was sent after the tasklet finished");
        assertThat(counters.deadLetters()).isEqualTo(1);
        assertThat(counters.delivered()).isZero();
    }

    @Test
    void theServersDeadLettersMeterCountsThem() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.globalRegistry.add(registry);
        try (AutoCloseable meters = MicrometerRemoteMetrics.server(1, counters)) {
            ServerHandler handler = handlerWithAFinishedTarget();
            handler.fireAndForget(Wire.payload(Wire.SEND, "done", codec.encode(new Ping()))).block(SAFETY);
            assertThat(registry.get("concurrence.remote.server.dead.letters").tag("port", "1").functionCounter()
                    .count()).isEqualTo(1);
            assertThat(registry.get("concurrence.remote.server.messages").tag("port", "1").functionCounter()
                    .count()).isZero();
        } finally {
            Metrics.globalRegistry.remove(registry);
            registry.close();
        }
    }
}
