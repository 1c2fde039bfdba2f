package io.concurrence.it.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on a free loopback port that misbehaves in one {@link Fault way} on every connection. Each
 * connection is served by a virtual thread; {@link #close()} closes the listening socket and every open connection.
 */
final class FaultyServer implements AutoCloseable {

    /** The loopback address it binds to. */
    static final String HOST = "127.0.0.1";
    private static final int BACKLOG = 1024;
    private static final int MAX_HEAD = 64 * 1024;

    /** How a connection misbehaves. */
    enum Fault {
        /** Reads the request, writes the head and 10 bytes of a 1000-byte body, then resets (SO_LINGER 0). */
        RESET_MID_BODY,
        /** Reads the request and never answers; the connection ends when the client closes it. */
        NEVER_ANSWERS,
        /** Closes the connection as soon as it is accepted, before reading anything. */
        CLOSES_AT_ONCE,
        /** Reads the request, sends a chunked body's head and first chunk and half the second, then closes. */
        TRUNCATED_CHUNKED
    }

    private static final byte[] RESET_HEAD = ("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUNCATED = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "a\r\n0123456789\r\n10\r\n01234").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final Fault fault;
    /** Open connections: added by the acceptor, removed by their thread, closed by {@link #close()}. */
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();

    private FaultyServer(ServerSocket server, Fault fault) {
        this.server = server;
        this.fault = fault;
        Thread.ofVirtual().name("faulty-" + fault + "-acceptor").start(this::accept);
    }

    /** Starts a server that misbehaves with {@code fault}. */
    static FaultyServer start(Fault fault) {
        try {
            return new FaultyServer(new ServerSocket(0, BACKLOG, InetAddress.getByName(HOST)), fault);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of {@code path} on this server. */
    String url(String path) {
        return "http://" + HOST + ":" + server.getLocalPort() + path;
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            sockets.add(socket);
            Thread.ofVirtual().name("faulty-" + fault).start(() -> {
                try (socket) {
                    serve(socket);
                } catch (IOException ignored) {
                    // the client went away first, or the test closed the server
                } finally {
                    sockets.remove(socket);
                }
            });
        }
    }

    private void serve(Socket socket) throws IOException {
        if (fault == Fault.CLOSES_AT_ONCE) {
            return;
        }
        InputStream in = socket.getInputStream();
        if (!readHead(in)) {
            return;
        }
        switch (fault) {
            case RESET_MID_BODY -> {
                socket.getOutputStream().write(RESET_HEAD);
                socket.getOutputStream().flush();
                socket.setSoLinger(true, 0);
            }
            case NEVER_ANSWERS -> {
                while (in.read() >= 0) {
                    // waits for the client to give up and close
                }
            }
            case TRUNCATED_CHUNKED -> {
                socket.getOutputStream().write(TRUNCATED);
                socket.getOutputStream().flush();
            }
            case CLOSES_AT_ONCE -> throw new IllegalStateException("handled above");
        }
    }

    /** Reads up to the end of a request head; false if the stream ended first. The requests have no bodies. */
    private static boolean readHead(InputStream in) throws IOException {
        int state = 0; // how much of CR LF CR LF has been seen
        for (int read = 0; read < MAX_HEAD; read++) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1 -> b == '\n' ? 2 : (b == '\r' ? 1 : 0);
                default -> b == '\n' ? 4 : (b == '\r' ? 1 : 0);
            };
            if (state == 4) {
                return true;
            }
        }
        throw new IOException("request head longer than " + MAX_HEAD + " bytes");
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
