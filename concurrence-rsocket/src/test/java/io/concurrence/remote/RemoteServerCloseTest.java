package io.concurrence.remote;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;

import org.junit.jupiter.api.Test;

/**
 * {@link RemoteServer#close()} returns once its port is released: a connection attempted right after is refused
 * (before, the listening socket closed later on its event loop, and such a connection could still be accepted).
 */
class RemoteServerCloseTest {

    /** Each round binds, closes and connects at once: the race, when there is one, shows within a few rounds. */
    private static final int ROUNDS = 20;

    @Test
    void aConnectionAttemptedRightAfterCloseIsRefused() {
        for (int round = 0; round < ROUNDS; round++) {
            RemoteServer server = RemoteServer.builder().host("127.0.0.1").bind();
            int port = server.port();

            server.close();

            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                    .as("round %d: connecting to port %d right after close()", round, port)
                    .isInstanceOf(ConnectException.class);
        }
    }
}
