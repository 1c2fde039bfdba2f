package io.concurrence.net;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import io.concurrence.Channel;
import io.concurrence.ChannelClosedException;
import io.concurrence.TaskletExit;
import io.concurrence.Tasklet;
import io.concurrence.TimeoutException;
import io.concurrence.internal.Deadlines;
import io.concurrence.reactor.Await;

/**
 * A listening TCP socket on Reactor Netty: accept connections as blocking {@link Socket}s, or
 * {@linkplain #serve(Consumer) serve} each in its own tasklet.
 * <pre>{@code
 * try (ServerSocket server = ServerSocket.bind("localhost", 8080)) {
 *     server.serve(socket -> socket.write(GREETING));       // one tasklet per connection, closed after
 *     ...
 * }
 * }</pre>
 *
 * <p>Connections the event loop accepts wait in a backlog until {@link #accept()} takes them; when the
 * backlog is full, new connections are closed at once (and logged), never queued without bound.
 * {@link #close()} stops listening and closes the connections still in the backlog; connections already
 * accepted are not affected.
 *
 * <p>Thread-safe: any number of tasklets may accept concurrently.
 *
 * @since 0.1
 */
public final class ServerSocket implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSocket.class);

    /** The default number of accepted connections that may wait for {@link #accept()} (the seed's listen backlog). */
    public static final int DEFAULT_BACKLOG = 256;

    private final DisposableServer server;
    private final Intake intake;
    private final Channel<Socket> backlog;
    private final String address;

    private ServerSocket(DisposableServer server, Intake intake) {
        this.server = server;
        this.intake = intake;
        this.backlog = intake.backlog;
        this.address = server.host() + ":" + server.port();
    }

    /**
     * Where the event loop puts each new connection: into the backlog for {@link #accept()}, or, once
     * {@link #serve} has set a handler, straight into a new handler tasklet (spawning is non-blocking, so
     * the event loop may do it: this saves a hop through an acceptor tasklet).
     */
    private static final class Intake {
        final Channel<Socket> backlog;
        final String address;
        /** Set once by {@link #serve}; read by the event loops. */
        volatile @Nullable Consumer<Socket> handler;
        /** Set by {@link ServerSocket#close()}: connections still arriving are closed, not served. */
        volatile boolean closed;

        Intake(int backlog, String address) {
            this.backlog = Channel.buffered(backlog);
            this.address = address;
        }

        void connected(Socket socket) {
            if (closed) {
                LOG.debug("[{}] closed: refused the connection from {}", address, socket.peer);
                socket.close();
                return;
            }
            Consumer<Socket> h = handler;
            if (h != null) {
                spawnHandler(h, socket);
                return;
            }
            enqueue(backlog, socket, address);
            h = handler;
            if (h != null) {
                drainTo(h); // serve() started while this socket was being queued
            }
        }

        void drainTo(Consumer<Socket> h) {
            for (Optional<Socket> waiting = backlog.poll(); waiting.isPresent(); waiting = backlog.poll()) {
                spawnHandler(h, waiting.get());
            }
        }

        void spawnHandler(Consumer<Socket> h, Socket socket) {
            Tasklet.named("socket-handler").daemon(true).spawn(() -> {
                try (socket) {
                    h.accept(socket);
                } catch (TaskletExit e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("[{}] handler failed for {}", address, socket.peer, e);
                }
            });
        }
    }

    /**
     * Listens on {@code host}:{@code port} with a backlog of {@value #DEFAULT_BACKLOG}.
     *
     * @param host the address to bind, e.g. {@code "localhost"} or {@code "0.0.0.0"}
     * @param port the port; 0 picks a free one (see {@link #port()})
     * @return the listening socket
     * @throws java.io.UncheckedIOException if the address cannot be bound (the cause is the
     *         {@code java.net.BindException})
     */
    public static ServerSocket bind(String host, int port) {
        return bind(host, port, DEFAULT_BACKLOG);
    }

    /**
     * Listens on {@code host}:{@code port}; up to {@code backlog} accepted connections wait for
     * {@link #accept()}.
     *
     * <p><b>Timeout:</b> the bind waits at most the ambient {@link io.concurrence.Timeout}. <b>Threads:</b>
     * any thread that may block.
     *
     * @param host the address to bind
     * @param port the port, 0 to 65535; 0 picks a free one
     * @param backlog connections accepted ahead of {@code accept()}, at least 1
     * @return the listening socket
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    public static ServerSocket bind(String host, int port, int backlog) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, was " + backlog);
        }
        Intake intake = new Intake(backlog, host + ":" + port);
        TcpServer tcp = TcpServer.create()
                .host(host)
                .port(port)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handle((in, out) -> {
                    Connection[] connection = new Connection[1];
                    in.withConnection(c -> connection[0] = c);
                    intake.connected(new Socket(connection[0]));
                    return connection[0].onDispose();
                });
        DisposableServer server;
        try {
            server = Await.of(tcp.bind());
        } catch (TimeoutException | TaskletExit e) {
            throw e;
        } catch (RuntimeException e) {
            throw Socket.transportFailure("Could not listen on " + host + ":" + port, e);
        }
        return new ServerSocket(Objects.requireNonNull(server, "bind() completed without a server"), intake);
    }

    private static void enqueue(Channel<Socket> queue, Socket socket, String address) {
        try {
            if (queue.offer(socket)) {
                return;
            }
            LOG.warn("[{}] backlog full: closing the connection from {}; accept() faster or bind with a larger"
                    + " backlog", address, socket.peer);
        } catch (ChannelClosedException closed) {
            LOG.debug("[{}] closing: refused the connection from {}", address, socket.peer);
        }
        socket.close();
    }

    /**
     * Blocks until a connection arrives and returns it.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link io.concurrence.Timeout}.
     * <b>Kill:</b> throws {@link TaskletExit}. <b>Threads:</b> any, concurrently.
     *
     * @return the connected socket, which the caller must close
     * @throws java.io.UncheckedIOException if this server socket is closed
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public Socket accept() {
        return accept(null);
    }

    /**
     * Blocks until a connection arrives, for at most {@code timeout}, and returns it.
     *
     * @param timeout how long to wait at most, or null for no timeout of its own
     * @return the connected socket, which the caller must close
     * @throws java.io.UncheckedIOException if this server socket is closed
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public Socket accept(@Nullable Duration timeout) {
        String operation = "ServerSocket.accept on " + address;
        long deadline = Deadlines.effective(timeout);
        try {
            return timeout == null ? backlog.receive() : backlog.receive(timeout);
        } catch (TimeoutException e) {
            throw Deadlines.timeout(operation, timeout, deadline);
        } catch (ChannelClosedException e) {
            throw new java.io.UncheckedIOException(new java.net.SocketException(
                    operation + ": the server socket is closed"));
        }
    }

    /**
     * Serves every connection in its own tasklet (named {@code socket-handler}, a root): runs
     * {@code handler} and closes the socket when it returns or throws (the exception is logged). Connections
     * already waiting in the backlog are served too. Returns at once; the serving goes on until
     * {@link #close()}; {@link #accept()} then has nothing to take.
     *
     * @param handler the code run for each connection
     * @return this server socket
     * @throws IllegalStateException if {@code serve} was called already
     */
    public ServerSocket serve(Consumer<Socket> handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (intake) {
            if (intake.handler != null) {
                throw new IllegalStateException("ServerSocket.serve already called on " + address);
            }
            intake.handler = handler;
        }
        intake.drainTo(handler);
        return this;
    }

    /**
     * The port this socket listens on (the one picked when bound to port 0).
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * The host this socket listens on.
     *
     * @return the host, as given to {@code bind}
     */
    public String host() {
        return server.host();
    }

    /**
     * Stops listening and closes the connections waiting in the backlog. Connections already accepted stay
     * open. Idempotent; does not block.
     */
    @Override
    public void close() {
        intake.closed = true;
        server.dispose();
        backlog.close();
        for (Optional<Socket> waiting = backlog.poll(); waiting.isPresent(); waiting = backlog.poll()) {
            waiting.get().close();
        }
    }

    @Override
    public String toString() {
        return "ServerSocket[" + address + "]";
    }

    /** The server's {@code onDispose} signal, for tests and orderly shutdown. */
    Mono<Void> onDispose() {
        return server.onDispose();
    }
}
