package io.concurrence.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.concurrence.Call;
import io.concurrence.Concurrence;
import io.concurrence.Envelope;
import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.concurrence.TimeoutException;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteException;
import io.concurrence.remote.RemoteServer;
import io.concurrence.remote.RemoteTasklet;

/**
 * Ping/pong between two processes with concurrence-rsocket. The {@code remote_server} example registers a tasklet
 * named {@code pong} on a {@link RemoteServer}: it answers a {@link Ping} call with a {@link Pong}, counts the
 * {@link Note}s sent to it, and answers a {@link Count} stream call with the numbers 1 to k. The
 * {@code remote_client} example connects with a {@link RemoteClient}, looks {@code pong} up, makes five calls,
 * sends three notes, streams a {@code Count(5)}, and times a run of calls; then it quits. To the {@code pong}
 * tasklet, the remote messages are ordinary envelopes in its mailbox.
 *
 * <p>Run the server with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=remote_server} (it
 * runs until Ctrl-C), and the client in another terminal with {@code ... -Dexample=remote_client}. Both take
 * {@code --host} and {@code --port} in {@code -Dexample.args}; the client also {@code --calls N}, the calls it
 * times. The client exits with 0 when done, 1 when the server cannot be reached or fails, and
 * {@value Examples#EXIT_USAGE} for a bad option.
 */
public final class RemotePingPong {

    /** The port both sides use unless given {@code --port}. */
    static final int PORT = 9020;

    /** The name the server registers the pong tasklet under. */
    static final String NAME = "pong";

    /** The client's calls that are timed for the round-trip summary, unless given {@code --calls}. */
    static final int TIMED_CALLS = 1000;

    /** What {@code remote_server --help} prints. */
    static final String SERVER_USAGE = """
            usage: remote_server [--host HOST] [--port PORT]
              --host HOST    the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
              --port PORT    the port (default 9020; 0 for a free one)
              --help         print this""";

    /** What {@code remote_client --help} prints. */
    static final String CLIENT_USAGE = """
            usage: remote_client [--host HOST] [--port PORT] [--calls N]
              --host HOST    the server's host (default 127.0.0.1)
              --port PORT    the server's port (default 9020)
              --calls N      the calls timed for the round-trip summary (default 1000)
              --help         print this""";

    /** How long each of the client's calls may take. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    /** The messages the pong tasklet takes; both processes allow them, with {@link Pong}. */
    sealed interface PongMsg extends Message permits Ping, Note, Count, NotesCounted {
    }

    /** A call answered with {@code Pong(n)}. */
    record Ping(int n) implements PongMsg, Call<Pong> {
    }

    /** The answer to {@code Ping(n)}: a record that is not a message, allowed by itself. */
    record Pong(int n) {
    }

    /** A fire-and-forget message that the pong tasklet counts and prints. */
    record Note(String text) implements PongMsg {
    }

    /** A stream call answered with the numbers 1 to {@code k}. */
    record Count(int k) implements PongMsg, Call<Integer> {
    }

    /** A call answered with the notes counted so far. */
    record NotesCounted() implements PongMsg, Call<Integer> {
    }

    /** The types that cross, on both sides. */
    static final Class<?>[] PROTOCOL = {PongMsg.class, Pong.class};

    private RemotePingPong() {
    }

    // ---- the server ----

    /** A running server and its pong tasklet; closing stops both. */
    static final class PongServer implements AutoCloseable {
        private final RemoteServer server;
        private final Tasklet<Void> pong;
        /** Notes received (the pong tasklet writes, anyone reads). */
        private final AtomicInteger notes;

        private PongServer(RemoteServer server, Tasklet<Void> pong, AtomicInteger notes) {
            this.server = server;
            this.pong = pong;
            this.notes = notes;
        }

        /** The port it listens on. */
        int port() {
            return server.port();
        }

        /** The notes received so far. */
        int notes() {
            return notes.get();
        }

        /** The server's figures (connections, messages delivered, refusals). */
        RemoteServer.Stats stats() {
            return server.stats();
        }

        /** Stops listening, closes the connections and kills the pong tasklet. Idempotent. */
        @Override
        public void close() {
            server.close();
            pong.kill();
        }
    }

    /**
     * Starts a server on {@code host}:{@code port} (0: a free port) with the pong tasklet registered; the tasklet
     * prints each note to {@code out}.
     */
    static PongServer serve(String host, int port, PrintStream out) {
        AtomicInteger notes = new AtomicInteger();
        Tasklet<Void> pong = Tasklet.named(NAME).receiver(envelope -> answer(envelope, notes, out));
        RemoteServer server;
        try {
            server = RemoteServer.builder().host(host).port(port).allow(PROTOCOL).bind();
        } catch (RuntimeException e) {
            pong.kill();
            throw e;
        }
        server.register(NAME, pong);
        return new PongServer(server, pong, notes);
    }

    private static void answer(Envelope envelope, AtomicInteger notes, PrintStream out) {
        if (!(envelope.message() instanceof PongMsg message)) {
            envelope.fail(new IllegalArgumentException("pong takes PongMsg messages; got " + envelope.message()));
            return;
        }
        switch (message) {
            case Ping ping -> envelope.reply(new Pong(ping.n()));
            case Note note -> out.println("note: " + note.text() + " (" + notes.incrementAndGet() + " so far)");
            case Count count -> envelope.reply(IntStream.rangeClosed(1, count.k()).boxed());
            case NotesCounted counted -> envelope.reply(notes.get());
        }
    }

    /** The {@code remote_server} example's body: runs inside {@link Concurrence#dispatch} until Ctrl-C. */
    static void server(List<String> args) {
        Map<String, String> options = options(args, SERVER_USAGE, "--host", "--port");
        if (options == null) {
            return;
        }
        String host = options.getOrDefault("--host", "127.0.0.1");
        int port = number(options, "--port", PORT, 0, SERVER_USAGE);
        if (port < 0) {
            return;
        }
        PongServer server;
        try {
            server = serve(host, port, System.out);
        } catch (RuntimeException e) {
            System.err.println("remote_server: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            Concurrence.quit(Concurrence.EXIT_ERROR);
            return;
        }
        System.out.println("remote server listening on port " + server.port());
    }

    // ---- the client ----

    /**
     * Plays against the pong tasklet at {@code host}:{@code port}, printing to {@code out}.
     *
     * @param calls the calls to time, at least 1
     * @throws RemoteException if the server cannot be reached or the connection fails
     * @throws NoSuchElementException if the server has no tasklet named {@value #NAME}
     */
    static void play(String host, int port, int calls, PrintStream out) {
        try (RemoteClient client = RemoteClient.builder().host(host).port(port).allow(PROTOCOL).connect()) {
            RemoteTasklet pong = client.lookup(NAME);
            for (int n = 1; n <= 5; n++) {
                Pong answer = pong.call(new Ping(n), CALL_TIMEOUT);
                out.println("ping " + n + " -> pong " + answer.n());
            }

            List<String> notes = List.of("hello", "from", "the client");
            for (String note : notes) {
                pong.send(new Note(note));
            }
            // Messages from one client arrive in the order sent, so the notes are counted before this call.
            out.println("sent " + notes.size() + " notes; the server has counted "
                    + pong.call(new NotesCounted(), CALL_TIMEOUT) + " so far");

            try (Stream<Integer> numbers = pong.stream(new Count(5))) {
                numbers.forEach(number -> out.println("count 5 -> " + number));
            }

            long[] nanos = new long[calls];
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long sent = System.nanoTime();
                pong.call(new Ping(i), CALL_TIMEOUT);
                nanos[i] = System.nanoTime() - sent;
            }
            out.println(summary(nanos, System.nanoTime() - start));
        }
    }

    /** The round-trip summary of timed calls: rate, then min, median, 99th percentile and max. */
    static String summary(long[] nanos, long totalNanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double seconds = totalNanos / 1e9;
        return String.format(Locale.ROOT, "%d calls in %.2f s (%.0f calls/s); round trip min %.2f ms, median %.2f"
                        + " ms, 99%% %.2f ms, max %.2f ms", sorted.length, seconds, sorted.length / seconds,
                millis(sorted[0]), millis(sorted[sorted.length / 2]),
                millis(sorted[(int) Math.ceil(sorted.length * 0.99) - 1]), millis(sorted[sorted.length - 1]));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** The {@code remote_client} example's body: runs inside {@link Concurrence#dispatch}; quits when done. */
    static void client(List<String> args) {
        Map<String, String> options = options(args, CLIENT_USAGE, "--host", "--port", "--calls");
        if (options == null) {
            return;
        }
        String host = options.getOrDefault("--host", "127.0.0.1");
        int port = number(options, "--port", PORT, 1, CLIENT_USAGE);
        int calls = number(options, "--calls", TIMED_CALLS, 1, CLIENT_USAGE);
        if (port < 0 || calls < 0) {
            return;
        }
        try {
            play(host, port, calls, System.out);
        } catch (RemoteException | TimeoutException | NoSuchElementException e) {
            System.err.println("remote_client: " + e.getMessage());
            System.err.println("remote_client: is the remote_server example running on " + host + ":" + port
                    + "? Start it with ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=remote_server");
            Concurrence.quit(Concurrence.EXIT_ERROR);
            return;
        }
        Concurrence.quit(Concurrence.EXIT_OK);
    }

    // ---- options ----

    /**
     * Parses {@code --name value} and {@code --name=value} options among {@code names}; for an unknown option or
     * a missing value, prints {@code usage} and quits with {@value Examples#EXIT_USAGE}, returning null. For
     * {@code --help}, prints {@code usage} and quits with {@link Concurrence#EXIT_OK}, returning null.
     */
    private static @Nullable Map<String, String> options(List<String> args, String usage, String... names) {
        if (args.contains("--help") || args.contains("-h")) {
            System.out.println(usage);
            Concurrence.quit(Concurrence.EXIT_OK);
            return null;
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            String name = equals > 0 ? arg.substring(0, equals) : arg;
            if (!List.of(names).contains(name)) {
                return refuse("unknown option '" + arg + "'", usage);
            }
            if (equals < 0 && i + 1 == args.size()) {
                return refuse("option " + name + " needs a value", usage);
            }
            options.put(name, equals > 0 ? arg.substring(equals + 1) : args.get(++i));
        }
        return options;
    }

    /**
     * The option {@code name} as a number from {@code min} to 65535 (a port) or {@link Integer#MAX_VALUE}, or
     * {@code defaultValue}; otherwise prints {@code usage}, quits with {@value Examples#EXIT_USAGE} and
     * returns -1.
     */
    private static int number(Map<String, String> options, String name, int defaultValue, int min, String usage) {
        String value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        int max = "--port".equals(name) ? 65535 : Integer.MAX_VALUE;
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Refused below, like a number out of range.
        }
        refuse("option " + name + " '" + value + "' is not a whole number from " + min + " to " + max, usage);
        return -1;
    }

    private static <T> @Nullable T refuse(String problem, String usage) {
        System.err.println(problem);
        System.err.println(usage);
        Concurrence.quit(Examples.EXIT_USAGE);
        return null;
    }
}
