package io.concurrence.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Shared deadlines and helpers for the socket tests. */
final class NetTestSupport {

    /** A wait that is expected to time out, or a pause between retries' worth of patience. */
    static final Duration SHORT = Duration.ofMillis(100);
    /** The bound on anything that is expected to happen; generous for 2 shared CI cores. */
    static final Duration SAFETY = Duration.ofSeconds(20);
    /** How long between two checks of a bounded retry. */
    static final Duration RETRY_INTERVAL = Duration.ofMillis(10);
    /** The loopback address every test binds and connects to. */
    static final String HOST = "127.0.0.1";

    private NetTestSupport() {
    }

    /** A client and the server-side socket accepted for it. */
    record Pair(Socket client, Socket server) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    /** Connects a client to {@code server} and accepts it. */
    static Pair connectedPair(ServerSocket server) {
        Socket client = Socket.connect(HOST, server.port(), SAFETY);
        try {
            return new Pair(client, server.accept(SAFETY));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Connects a client to {@code server}. */
    static Socket connect(ServerSocket server) {
        return Socket.connect(HOST, server.port(), SAFETY);
    }

    /** Serves every connection by echoing what it reads until the end of the stream. */
    static ServerSocket echoServer() {
        ServerSocket server = ServerSocket.bind(HOST, 0);
        server.serve(socket -> {
            byte[] buffer = new byte[8192];
            for (int n; (n = socket.read(buffer, 0, buffer.length, SAFETY)) >= 0; ) {
                socket.write(java.util.Arrays.copyOf(buffer, n));
            }
            socket.flush(SAFETY);
        });
        return server;
    }

    /** Reads until the end of the stream, each read bounded by {@link #SAFETY}. */
    static byte[] readAll(Socket socket) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65_536];
        for (int n; (n = socket.read(buffer, 0, buffer.length, SAFETY)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads exactly {@code length} bytes, each read bounded by {@link #SAFETY}. */
    static byte[] readExactly(Socket socket, int length) {
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            int n = socket.read(bytes, done, length - done, SAFETY);
            if (n < 0) {
                throw new AssertionError("end of stream after " + done + " of " + length + " bytes");
            }
            done += n;
        }
        return bytes;
    }

    /** Reads exactly {@code length} bytes as UTF-8. */
    static String readText(Socket socket, int length) {
        return new String(readExactly(socket, length), StandardCharsets.UTF_8);
    }

    /** Reads exactly {@code length} bytes from a plain socket. */
    static byte[] readExactly(java.net.Socket socket, int length) {
        try {
            return socket.getInputStream().readNBytes(length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The byte at {@code position} of the test pattern: not periodic on any power of two. */
    static byte patternByte(long position) {
        return (byte) (position % 251);
    }

    /** {@code length} bytes of the test pattern from {@code position}. */
    static byte[] pattern(long position, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = patternByte(position + i);
        }
        return bytes;
    }

    /** The index of the first byte of {@code bytes[0, length)} that is not the pattern from {@code position}. */
    static int firstMismatch(byte[] bytes, int length, long position) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != patternByte(position + i)) {
                return i;
            }
        }
        return -1;
    }

    /** A port nobody listens on (it was free a moment ago). */
    static int unusedPort() {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How long a plain connect into a listener's accept queue may take before it counts as unanswered. */
    static final Duration FILLER_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** The most connections tried to fill an accept queue of one. */
    static final int MAX_QUEUE_FILLERS = 10;

    /**
     * A local listener that answers no connect: its accept queue is full, and Linux drops the SYNs it cannot
     * queue. (A non-routable address such as 10.255.255.1 is not a reliable black hole: a sandbox may
     * proxy it.)
     */
    record BlackHole(java.net.ServerSocket listener, java.util.List<java.net.Socket> fillers) implements AutoCloseable {

        static BlackHole open() throws IOException {
            java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(HOST));
            BlackHole hole = new BlackHole(listener, new java.util.ArrayList<>());
            try {
                for (int i = 0; i < MAX_QUEUE_FILLERS; i++) {
                    java.net.Socket filler = new java.net.Socket();
                    hole.fillers.add(filler);
                    try {
                        filler.connect(listener.getLocalSocketAddress(), (int) FILLER_CONNECT_TIMEOUT.toMillis());
                    } catch (java.net.SocketTimeoutException e) {
                        return hole;
                    }
                }
            } catch (IOException | RuntimeException e) {
                hole.close();
                throw e;
            }
            hole.close();
            throw new AssertionError("the accept queue of one still answered after " + MAX_QUEUE_FILLERS
                    + " connects");
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (java.net.Socket filler : fillers) {
                filler.close();
            }
            listener.close();
        }
    }

    /** Retries {@code condition} every {@link #RETRY_INTERVAL} until it holds, failing after {@link #SAFETY}. */
    static void awaitCondition(String description, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + SAFETY + ": " + description);
            }
            LockSupport.parkNanos(RETRY_INTERVAL.toNanos());
        }
    }
}
