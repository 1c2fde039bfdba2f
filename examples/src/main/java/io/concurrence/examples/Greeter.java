package io.concurrence.examples;

import java.nio.charset.StandardCharsets;

import io.concurrence.Concurrence;
import io.concurrence.net.ServerSocket;

/**
 * The seed's {@code greeter.py}: a raw socket server that answers every connection at once with a fixed
 * HTTP/1.0 greeting and closes it, without reading the request. One tasklet per connection.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=greeter}, then
 * {@code curl -v http://localhost:8080/}. Ctrl-C stops it.
 */
public final class Greeter {

    /** What every connection receives. */
    static final byte[] GREETING = "HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nHello World!"
            .getBytes(StandardCharsets.US_ASCII);

    /** The seed's port. */
    static final int PORT = 8080;

    private Greeter() {
    }

    /**
     * Starts the greeter on {@code host}:{@code port} (0: a free port).
     *
     * @return the listening socket; close it to stop
     */
    static ServerSocket start(String host, int port) {
        return ServerSocket.bind(host, port).serve(socket -> socket.write(GREETING));
    }

    /** The example's body: runs inside {@link Concurrence#dispatch} until Ctrl-C. */
    static void main() {
        ServerSocket server = start("localhost", PORT);
        System.out.println("greeter listening on http://localhost:" + server.port() + "/");
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(Greeter::main));
    }
}
