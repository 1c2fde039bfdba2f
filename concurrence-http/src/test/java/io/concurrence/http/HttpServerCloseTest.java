package io.concurrence.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;

import org.junit.jupiter.api.Test;

/**
 * {@link HttpServer#close()} returns once its port is released: a connection attempted right after is refused
 * (before, the listening socket closed later on its event loop, and such a connection could still be accepted).
 */
class HttpServerCloseTest {

    /** Each round starts, closes and connects at once: the race, when there is one, shows within a few rounds. */
    private static final int ROUNDS = 20;

    @Test
    void aConnectionAttemptedRightAfterCloseIsRefused() {
        for (int round = 0; round < ROUNDS; round++) {
            HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                    .handler((request, response) -> response.send("ok")).build().start();
            int port = server.port();

            server.close();

            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                    .as("round %d: connecting to port %d right after close()", round, port)
                    .isInstanceOf(ConnectException.class);
        }
    }
}
