package io.concurrence.examples;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.concurrence.Concurrence;
import io.concurrence.Envelope;
import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.concurrence.net.ServerSocket;
import io.concurrence.net.Socket;

/**
 * The seed's {@code chat.py}: a multi-user chat server on port 9010. Each client is served by a
 * controller tasklet with a reader and a writer child tasklet, all talking by messages. A line a client
 * types goes to every other client; {@code quit} leaves.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=chat}, then
 * connect with {@code telnet localhost 9010} (or {@code nc localhost 9010}) from two terminals.
 */
public final class Chat {

    /** The seed's port. */
    static final int PORT = 9010;
    /** How long a quitting client's reader and writer may take to end once killed. */
    private static final Duration HELPERS_END = Duration.ofSeconds(5);

    /** What a client's controller, reader and writer say to each other. */
    sealed interface ClientMsg extends Message {
    }

    /** To a controller from its reader: the client typed a line. */
    record LineRead(String line) implements ClientMsg {
    }

    /** To a controller from another client, and on to its writer: send this line to the client. */
    record WriteLine(String line) implements ClientMsg {
    }

    /** To a controller from its reader: the client went away. */
    record Quit() implements ClientMsg {
    }

    /** The controllers of the connected clients. */
    private final Set<Tasklet<?>> clients = ConcurrentHashMap.newKeySet();

    private Chat() {
    }

    /**
     * Starts a chat server on {@code host}:{@code port} (0: a free port).
     *
     * @return the listening socket; close it to stop accepting
     */
    static ServerSocket start(String host, int port) {
        Chat chat = new Chat();
        return ServerSocket.bind(host, port).serve(chat::serve);
    }

    /** One client: this tasklet is its controller. */
    private void serve(Socket socket) {
        Tasklet<?> controller = Tasklet.current();
        Tasklet<Void> writer = Tasklet.named("writer").receiver(envelope -> {
            if (envelope.message() instanceof WriteLine w) {
                socket.write((w.line() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        Tasklet<Void> reader = Tasklet.named("reader").spawn(() -> {
            for (String line; (line = socket.readLine()) != null; ) {
                controller.send(new LineRead(line));
            }
            controller.send(new Quit());
        });
        writer.send(new WriteLine("type 'quit' to exit.."));
        clients.add(controller);
        try {
            for (;;) {
                Envelope envelope = Tasklet.receive();
                if (envelope.message() instanceof ClientMsg msg) {
                    switch (msg) {
                        case LineRead read -> {
                            String line = read.line().strip();
                            if (line.equals("quit")) {
                                return;
                            }
                            for (Tasklet<?> other : clients) {
                                if (other != controller) {
                                    other.send(new WriteLine(line));
                                }
                            }
                        }
                        case WriteLine write -> writer.send(write);
                        case Quit quit -> {
                            return;
                        }
                    }
                }
            }
        } finally {
            clients.remove(controller);
            reader.kill();
            writer.kill();
            // Wait for them before the socket closes (on return): a reader that saw the close before its kill
            // would fail and log it as a tasklet failure.
            Tasklet.joinAll(List.of(reader, writer), HELPERS_END);
        }
    }

    /** The example's body: runs inside {@link Concurrence#dispatch} until Ctrl-C. */
    static void main() {
        ServerSocket server = start("localhost", PORT);
        System.out.println("listening for connections on port " + server.port());
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(Chat::main));
    }
}
