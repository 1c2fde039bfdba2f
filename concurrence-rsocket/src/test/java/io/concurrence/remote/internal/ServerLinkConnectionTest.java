package io.concurrence.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

import io.rsocket.RSocket;

/**
 * The send accounting of one connection, step by step at the moments where senders, confirmations and the loss of
 * the connection interleave (the interleavings a load test hits only by chance).
 */
class ServerLinkConnectionTest {

    private static ServerLink.Connection connection() {
        MessageCodec codec = MessageCodec.of(Set.of(), 1 << 20, MessageCodec.Format.CBOR);
        ServerLink link = new ServerLink("127.0.0.1:1", Mono.never(), codec, Duration.ofMillis(100),
                Duration.ofSeconds(1), new ClientCounters());
        return new ServerLink.Connection(link, new RSocket() { }, PeerTypes.UNKNOWN);
    }

    @Test
    void aSendCountedButNotYetQueuedIsNotCoveredByAConfirmationMarkedMeanwhile() {
        ServerLink.Connection connection = connection();
        assertThat(connection.countSend()).isTrue();
        long mark = connection.mark(); // a call about to go, while the send's frame is not queued yet
        connection.handed();
        connection.confirmed(mark);
        assertThat(mark).isZero();
        assertThat(connection.markLost() - connection.confirmed.get()).as("the send is counted unconfirmed")
                .isEqualTo(1);
    }

    @Test
    void aSendAfterTheLossIsRefusedAndOneBeforeItIsCounted() {
        ServerLink.Connection connection = connection();
        assertThat(connection.countSend()).as("before the loss").isTrue();
        assertThat(connection.markLost()).as("the sends the loss accounts for").isEqualTo(1);
        assertThat(connection.countSend()).as("after the loss: the sender must go elsewhere").isFalse();
        assertThat(connection.countSend()).isFalse();
    }

    @Test
    void confirmedSendsAreNotCountedAtTheLoss() {
        ServerLink.Connection connection = connection();
        for (int i = 0; i < 3; i++) {
            assertThat(connection.countSend()).isTrue();
            connection.handed();
        }
        connection.confirmed(connection.mark());
        assertThat(connection.countSend()).isTrue();
        assertThat(connection.markLost() - connection.confirmed.get()).isEqualTo(1);
    }
}
