package io.concurrence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.net.ServerSocket;
import io.concurrence.net.Socket;

/** Drives the ported server examples (greeter, chat) with real clients over loopback. */
@org.junit.jupiter.api.Timeout(60)
class ServerExamplesTest {

    private static final Duration SAFETY = Duration.ofSeconds(10);

    @Test
    void greeterAnswersEveryConnectionWithTheGreetingAndClosesIt() {
        try (ServerSocket greeter = Greeter.start("127.0.0.1", 0)) {
            for (int i = 0; i < 3; i++) {
                String reply = Tasklet.spawn(() -> {
                    try (Socket client = Socket.connect("127.0.0.1", greeter.port(), SAFETY)) {
                        return readAll(client);
                    }
                }).join(SAFETY);

                assertThat(reply).isEqualTo("HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nHello World!");
            }
        }
    }

    @Test
    void chatSendsEachLineToEveryOtherClientAndQuitCloses() {
        try (ServerSocket chat = Chat.start("127.0.0.1", 0)) {
            Tasklet<Void> conversation = Tasklet.spawn(() -> {
                try (Socket alice = Socket.connect("127.0.0.1", chat.port(), SAFETY);
                     Socket bob = Socket.connect("127.0.0.1", chat.port(), SAFETY);
                     Socket carol = Socket.connect("127.0.0.1", chat.port(), SAFETY)) {
                    for (Socket client : new Socket[] {alice, bob, carol}) {
                        assertThat(client.readLine(SAFETY)).isEqualTo("type 'quit' to exit..");
                    }
                    // Everyone is registered once each has received its welcome line and sent a first line.
                    send(alice, "  hello from alice  ");
                    assertThat(bob.readLine(SAFETY)).isEqualTo("hello from alice");
                    assertThat(carol.readLine(SAFETY)).isEqualTo("hello from alice");

                    send(bob, "hi alice");
                    assertThat(alice.readLine(SAFETY)).isEqualTo("hi alice");
                    assertThat(carol.readLine(SAFETY)).isEqualTo("hi alice");

                    send(carol, "quit");
                    assertThat(carol.readLine(SAFETY)).as("the server closes carol's connection").isNull();

                    send(alice, "carol left");
                    assertThat(bob.readLine(SAFETY)).isEqualTo("carol left");
                    // Alice is never sent her own lines: the next line she receives is bob's.
                    send(bob, "bye");
                    assertThat(alice.readLine(SAFETY)).isEqualTo("bye");
                }
            });
            conversation.join(Duration.ofSeconds(30));
        }
    }

    private static void send(Socket socket, String line) {
        socket.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String readAll(Socket socket) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[256];
        for (int n; (n = socket.read(buffer, 0, buffer.length, SAFETY)) >= 0; ) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.US_ASCII);
    }
}
