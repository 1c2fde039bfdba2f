package io.concurrence.remote;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.reactor.Await;
import io.concurrence.reactor.internal.Listeners;
import io.concurrence.reactor.internal.TransportErrors;
import io.concurrence.remote.internal.RemoteMeters;
import io.concurrence.remote.internal.MessageCodec;
import io.concurrence.remote.internal.PeerTypes;
import io.concurrence.remote.internal.ServerCounters;
import io.concurrence.remote.internal.ServerHandler;
import io.concurrence.remote.internal.Transports;
import io.concurrence.remote.internal.Wire;
import io.netty.handler.ssl.SslContext;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.netty.server.CloseableChannel;

/**
 * Makes tasklets of this process reachable by name from other processes, over RSocket (TCP or WebSocket, with
 * optional TLS and an auth token).
 * <pre>{@code
 * RemoteServer server = RemoteServer.builder().port(7000).allow(CounterMsg.class).bind();
 * server.register("counter", Tasklet.receiver(envelope -> { ... }));
 * }</pre>
 * A message from a {@link RemoteClient} lands in the registered tasklet's mailbox as an
 * {@link io.concurrence.Envelope}, like a local one; {@code reply} and {@code fail} travel back to the caller, and a
 * reply to a caller that gave up is dropped. Messages from one client to one tasklet arrive in the order sent. A
 * registration ends when its tasklet finishes, as with Erlang's registered names ({@link #register}).
 * Only the message types allowed on both sides cross ({@link Builder#allow}); a refused type is reported to the
 * caller as a {@link RemoteException} naming it (a refused {@code send} is logged and counted in
 * {@link #refusedSends()}: fire-and-forget has no answer).
 *
 * @since 0.1
 */
public final class RemoteServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteServer.class);

    /*
     * Registrations end with their tasklets, as Erlang's registered names do. The core has no hook for a tasklet's
     * end, so the end is noticed where it matters: every message and lookup asks registered(name), which removes a
     * finished tasklet's entry (remove(name, tasklet): never a registration that replaced it) and answers as for a
     * name never registered. register and unregister also sweep out every finished tasklet, so those never looked
     * up again do not stay referenced for as long as the server runs.
     */

    /** The registered tasklets by name; written by register/unregister and by the sweeps, read at each message. */
    private final Map<String, Tasklet<?>> names = new ConcurrentHashMap<>();
    private final ServerCounters counters = new ServerCounters();
    private final Set<RSocket> connections = ConcurrentHashMap.newKeySet();
    private final CloseableChannel channel;
    private final AutoCloseable metrics;

    private RemoteServer(Builder builder) {
        MessageCodec codec = MessageCodec.of(builder.allowed, builder.maxFrameBytes, MessageCodec.Format.CBOR);
        String token = builder.authToken;
        SocketAcceptor acceptor = (setup, connection) -> {
            if (token != null && !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    setup.getDataUtf8().getBytes(StandardCharsets.UTF_8))) {
                counters.setupRejected();
                LOG.warn("rejected a remote client: its auth token is missing or wrong");
                return Mono.error(new RejectedSetupException(
                        "authentication failed: the connection's token is missing or wrong"));
            }
            PeerTypes client;
            try {
                // the client's type table, in the setup frame's metadata; none from a client that sent none
                byte[] table = Wire.metadataBytes(setup);
                client = table.length > 0 ? codec.peerTypes(table) : PeerTypes.UNKNOWN;
            } catch (RemoteException e) {
                counters.setupRejected();
                LOG.warn("rejected a remote client: {}", Wire.printable(e.getMessage()));
                return Mono.error(new RejectedSetupException("the setup frame's type table is malformed: "
                        + e.getMessage()));
            }
            connections.add(connection);
            counters.connectionOpened();
            connection.onClose().doFinally(signal -> {
                connections.remove(connection);
                counters.connectionClosed();
            }).subscribe(null, e -> { });
            return Mono.just(new ServerHandler(this::registered, codec, counters, client));
        };
        SslContext tls = builder.keyStore == null ? null : Transports.serverTls(builder.keyStore, builder.password);
        // zero-copy: a received payload holds the connection's buffer; ServerHandler releases each one
        // frames, and payloads reassembled from fragments, far beyond what the codec takes are refused as they
        // arrive, not buffered
        int frameLimit = Transports.frameLimit(builder.transport, builder.maxFrameBytes);
        this.channel = bind(RSocketServer.create(acceptor)
                .payloadDecoder(PayloadDecoder.ZERO_COPY)
                .maxInboundPayloadSize(frameLimit)
                // a connection that never sets up (a port scan, a slow client holding sockets) is closed
                .maxTimeToFirstFrame(builder.setupTimeout)
                .bind(Transports.server(builder.transport, builder.host, builder.port, tls, frameLimit)),
                builder);
        this.metrics = builder.metrics ? RemoteMeters.bindServer(port(), counters) : () -> { };
    }

    /**
     * Waits for {@code binding}; a failure to bind (Reactor Netty's {@code ChannelBindException}, say, when the port
     * is taken) is wrapped here, at the module's boundary, as {@code HttpServer.start} does: an
     * {@link UncheckedIOException} naming the address, whose cause is the {@code java.net} exception.
     */
    private static CloseableChannel bind(Mono<CloseableChannel> binding, Builder builder) {
        String address = builder.host + ":" + builder.port;
        CloseableChannel bound;
        try {
            bound = Await.of(binding, builder.bindTimeout);
        } catch (TimeoutException | TaskletExit e) {
            throw e;
        } catch (RuntimeException e) {
            throw TransportErrors.translate("cannot listen on " + address, e);
        }
        return Objects.requireNonNull(bound, () -> "binding " + address + " completed without a server");
    }

    /**
     * A server on {@code host}:{@code port} (0: any free port) over TCP without TLS, allowing no message types yet:
     * to receive messages, use the {@link #builder()} and {@link Builder#allow}. Like {@link Builder#bind()}.
     *
     * @param host the address to listen on ({@code 0.0.0.0} for every interface)
     * @param port the port, 0 to 65535; 0 picks a free one, read it with {@link #port()}
     * @return a listening server; close it when done
     * @throws IllegalArgumentException if {@code port} is out of range
     * @throws io.concurrence.TimeoutException if binding takes longer than 10 s or the ambient deadline
     * @throws io.concurrence.TaskletExit if the calling tasklet is killed while binding
     * @throws UncheckedIOException if the address cannot be bound, for example when the port is taken: its message
     *         names {@code host:port}, its cause is the {@code java.net} exception ({@link java.net.BindException})
     */
    public static RemoteServer bind(String host, int port) {
        return builder().host(host).port(port).bind();
    }

    /**
     * A builder: host 0.0.0.0, port 0 (a free one), TCP without TLS or auth token, frames up to 1 MiB, 10 s setup
     * timeout.
     *
     * @return a new builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes {@code tasklet} reachable as {@code name}, replacing an earlier registration of the name, until
     * {@link #unregister(String)} or the tasklet finishes: as with Erlang's registered names, the registration ends
     * with the tasklet, and lookups of the name, and messages to it, are then refused as for a name never
     * registered (so a tasklet already finished is not reachable at all). Takes effect for the next message, on
     * every connection. May be called from any thread, before or after clients connect.
     *
     * @param name the name clients look up, not empty
     * @param tasklet the tasklet whose mailbox receives the messages sent to {@code name}
     * @throws IllegalArgumentException if the name is empty
     */
    public void register(String name, Tasklet<?> tasklet) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tasklet, "tasklet");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the name is empty: expected the name clients look up");
        }
        names.put(name, tasklet);
        sweepFinished();
    }

    /**
     * Removes the registration of {@code name}; later messages to it are refused. Does nothing if the name is not
     * registered (or its tasklet has finished, which ended the registration).
     *
     * @param name the name to remove
     */
    public void unregister(String name) {
        names.remove(Objects.requireNonNull(name, "name"));
        sweepFinished();
    }

    /** The live tasklet registered as {@code name}, or null; a finished one's registration is removed. */
    private @Nullable Tasklet<?> registered(String name) {
        Tasklet<?> tasklet = names.get(name);
        if (tasklet != null && tasklet.isDone()) {
            names.remove(name, tasklet);
            return null;
        }
        return tasklet;
    }

    /** Removes the registrations of every finished tasklet (each entry only if it still maps to that tasklet). */
    private void sweepFinished() {
        names.values().removeIf(Tasklet::isDone);
    }

    /**
     * The port the server listens on.
     *
     * @return the bound port: the one given, or the one picked when port 0 was given
     */
    public int port() {
        return channel.address().getPort();
    }

    /**
     * Sends refused since the start (unknown name, disallowed type, malformed frame).
     *
     * @return how many sends were refused; each was logged, since fire-and-forget has no answer
     */
    public long refusedSends() {
        return counters.refusedSends();
    }

    /**
     * What this server has done so far.
     *
     * @return a snapshot of the counters since the server was bound; each call takes a new one
     */
    public Stats stats() {
        return new Stats(counters.connections(), counters.delivered(), counters.refusedSends(),
                counters.refusedCalls(), counters.rejectedSetups(), counters.deadLetters());
    }

    /**
     * Stops listening and closes every client connection; their pending calls fail. Returns once the port is
     * released (at most 10 s), so that a client connecting afterwards is refused. Idempotent.
     *
     * <p><b>Kill:</b> a tasklet killed while it waits for the port throws {@link TaskletExit}; the server is closed
     * and its meters removed all the same, only that wait is cut short.
     */
    @Override
    public void close() {
        channel.dispose();
        for (RSocket connection : connections) {
            connection.dispose();
        }
        try {
            metrics.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot remove the server's meters: " + e, e);
        } finally {
            Listeners.awaitReleased(channel.onClose(), this);
        }
    }

    /**
     * A server's counters.
     *
     * @param connections client connections open now
     * @param delivered sends and calls delivered into a registered tasklet's mailbox
     * @param refusedSends sends refused (unknown name, disallowed type, malformed frame): logged, since
     *        fire-and-forget has no answer
     * @param refusedCalls calls and stream calls refused before delivery; their callers got the reason
     * @param rejectedSetups connections rejected for a missing or wrong auth token
     * @param deadLetters sends and calls to a registered tasklet that had finished: not delivered, but dead
     *        letters, as in {@link Tasklet#stats()} (which counts them too); such a call fails at its caller with
     *        {@link io.concurrence.CallFailedException}, promptly
     */
    public record Stats(int connections, long delivered, long refusedSends, long refusedCalls, long rejectedSetups,
            long deadLetters) {
    }

    /** Builds a {@link RemoteServer}. */
    public static final class Builder {

        private String host = "0.0.0.0";
        private int port;
        private final Set<Class<?>> allowed = new LinkedHashSet<>();
        private int maxFrameBytes = 1 << 20;
        private Duration bindTimeout = Duration.ofSeconds(10);
        private Duration setupTimeout = Duration.ofSeconds(10);
        private @Nullable String authToken;
        private RemoteTransport transport = RemoteTransport.TCP;
        private @Nullable Path keyStore;
        private char[] password = new char[0];
        private boolean metrics = true;

        private Builder() {
        }

        /**
         * The address to listen on (default 0.0.0.0: every interface).
         *
         * @param host a local host name or address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The port (default 0: a free one, see {@link RemoteServer#port()}).
         *
         * @param port the port, 0 to 65535
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range: expected 0 to 65535");
            }
            this.port = port;
            return this;
        }

        /**
         * Message types allowed to cross: records, enums, and sealed interfaces (all their permitted records and
         * enums, recursively). Adds to the types allowed so far; none by default.
         *
         * @param types records, enums, or sealed interfaces whose permitted subtypes are such types; any other
         *        class makes {@link #bind()} throw {@link IllegalArgumentException}
         * @return this builder
         */
        public Builder allow(Class<?>... types) {
            List<Class<?>> list = new ArrayList<>(List.of(types));
            allowed.addAll(list);
            return this;
        }

        /**
         * The largest frame accepted or sent (default 1 MiB). A larger message or reply is refused with
         * {@link RemoteException}.
         *
         * @param bytes the limit in bytes, at least 64
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is less than 64
         */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxFrameBytes " + bytes + " is too small: expected at least 64");
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * Requires every client to present {@code token} in its RSocket setup frame
         * ({@link RemoteClient.Builder#authToken}); a client without it, or with another, is rejected before any
         * of its messages is delivered. Compared in constant time. Use TLS where the network is not trusted: the
         * token travels in the clear otherwise. Default: no token, every client is accepted.
         *
         * @param token the secret clients must present, not empty
         * @return this builder
         * @throws IllegalArgumentException if the token is empty
         */
        public Builder authToken(String token) {
            Objects.requireNonNull(token, "token");
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the auth token is empty: expected a secret");
            }
            this.authToken = token;
            return this;
        }

        /**
         * How long a new connection may take to send its RSocket setup frame (the token and the client's types)
         * before the server closes it, so that connections which never set up cannot pile up. Default: 10 s.
         *
         * @param timeout how long the server waits for the setup frame, positive
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder setupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("setupTimeout " + timeout + " is not positive: expected a"
                        + " positive duration");
            }
            this.setupTimeout = timeout;
            return this;
        }

        /**
         * The transport: TCP (the default) or WebSocket; clients must use the same.
         *
         * @param transport the transport to listen with
         * @return this builder
         */
        public Builder transport(RemoteTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Serves over TLS with the certificate chain and private key in a key store. Default: no TLS.
         *
         * @param keyStore a PKCS#12 (or, named {@code *.jks}, JKS) file
         * @param password the store's (and key's) password; copied, so the caller may clear its array
         * @return this builder
         * @throws IllegalArgumentException (from {@link #bind()}) if the store cannot be read
         */
        public Builder tls(Path keyStore, char[] password) {
            this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
            this.password = Objects.requireNonNull(password, "password").clone();
            return this;
        }

        /**
         * Records Micrometer meters ({@code concurrence.remote.server.messages}, {@code .dead.letters},
         * {@code .refused} tagged with the kind, {@code .connections}; tagged with the port) in
         * {@code Metrics.globalRegistry} when Micrometer is on the class path. Default: on.
         *
         * @param enabled false to record no meters, even with Micrometer present
         * @return this builder
         */
        public Builder metrics(boolean enabled) {
            this.metrics = enabled;
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * <p><b>Timeout:</b> binding may take at most 10 s (and the ambient {@link io.concurrence.Timeout}), then
         * {@link io.concurrence.TimeoutException}. <b>Kill:</b> throws {@link io.concurrence.TaskletExit}.
         *
         * @return a listening server; close it when done
         * @throws IllegalArgumentException if an allowed type is not a record, an enum or a sealed interface of
         *         those, or the TLS key store cannot be read
         * @throws io.concurrence.TimeoutException if binding takes longer than 10 s or the ambient deadline
         * @throws io.concurrence.TaskletExit if the calling tasklet is killed while binding
         * @throws UncheckedIOException if the address cannot be bound, for example when the port is taken: its
         *         message names {@code host:port}, its cause is the {@code java.net} exception
         *         ({@link java.net.BindException})
         */
        public RemoteServer bind() {
            return new RemoteServer(this);
        }
    }
}
