package io.concurrence.remote;

import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.remote.internal.ClientCounters;
import io.concurrence.remote.internal.RemoteMeters;
import io.concurrence.remote.internal.MessageCodec;
import io.concurrence.remote.internal.RemoteLink;
import io.concurrence.remote.internal.Transports;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.util.DefaultPayload;

/**
 * A connection to a {@link RemoteServer} of another process (or to several, offering the same names), through which
 * its tasklets are reached by name.
 * <pre>{@code
 * try (RemoteClient client = RemoteClient.builder().host("10.0.0.5").port(7000).allow(CounterMsg.class).connect()) {
 *     RemoteTasklet counter = client.lookup("counter");
 *     counter.send(new Add(5));
 *     int total = counter.call(new Get(), Duration.ofSeconds(2));
 * }
 * }</pre>
 *
 * <p><b>Lost connections.</b> When a connection is lost, the calls pending on it fail at once with a
 * {@link RemoteException} naming the server, and the client reconnects in the background with exponential backoff
 * ({@link Builder#reconnectBackoff}) until {@link #close()}; meanwhile calls and sends fail at once with
 * {@link RemoteException} (counted in {@link Stats#disconnectedSends()}). This is RSocket <em>reconnect</em>, not
 * <em>resume</em>: a restarted server process has none of the old session to resume. Sends are fire-and-forget,
 * without acknowledgement; the client confirms them in the background, and those still unconfirmed when a
 * connection is lost are counted ({@link Stats#unconfirmedSends()}) and logged: they may or may not have arrived.
 *
 * <p><b>Several servers.</b> With {@link Builder#server(String, int)} given more than once, calls are spread over
 * the connected servers (RSocket's round-robin load balancing) and move off a server whose connection is lost; the
 * sends of one {@link RemoteTasklet} stay on one server while it is connected, so they arrive in order.
 *
 * @since 0.1
 */
public final class RemoteClient implements AutoCloseable {

    private final RemoteLink link;
    private final ClientCounters counters;
    private final AutoCloseable metrics;
    private final Duration lookupTimeout = Duration.ofSeconds(10);

    private RemoteClient(RemoteLink link, ClientCounters counters, AutoCloseable metrics) {
        this.link = link;
        this.counters = counters;
        this.metrics = metrics;
    }

    /**
     * Connects to {@code host}:{@code port} over TCP without TLS, allowing no message types yet: to send messages,
     * use the {@link #builder()} and {@link Builder#allow}. Like {@link Builder#connect()}, with its 10 s connect
     * timeout.
     *
     * @param host the server's host name or address
     * @param port the server's port, 1 to 65535
     * @return a connected client; close it when done
     * @throws IllegalArgumentException if {@code port} is out of range
     * @throws RemoteException if the server cannot be reached, or rejects the connection
     * @throws TimeoutException if connecting takes longer than 10 s or the ambient deadline
     * @throws TaskletExit if the calling tasklet is killed while connecting
     */
    public static RemoteClient connect(String host, int port) {
        return builder().host(host).port(port).connect();
    }

    /**
     * A builder: 127.0.0.1 over TCP without TLS, frames up to 1 MiB, 10 s connect timeout.
     *
     * @return a new builder holding the defaults; it needs a port or a server before {@link Builder#connect()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The tasklet registered as {@code name} on the server, asking it for at most 10 s.
     * Like {@link #lookup(String, Duration)}.
     *
     * @param name the name the tasklet was registered under on the server
     * @return a handle to send to and call the tasklet
     * @throws NoSuchElementException if no tasklet is registered under that name, or the one registered has
     *         finished
     * @throws RemoteException if the connection fails, or no server is connected
     * @throws TimeoutException if the server does not answer within 10 s or the ambient deadline
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public RemoteTasklet lookup(String name) {
        return lookup(name, lookupTimeout);
    }

    /**
     * The tasklet registered as {@code name} on the server (with several servers, on one of them): one round trip.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link io.concurrence.Timeout}, then
     * {@link TimeoutException}. <b>Kill:</b> throws {@link TaskletExit}; the request is cancelled.
     *
     * @param name the name the tasklet was registered under on the server
     * @param timeout how long to wait at most for the server's answer
     * @return a handle to send to and call the tasklet; it does not check the name again, so a later
     *         unregistration (or the end of the tasklet, which ends its registration) shows at the next call
     * @throws NoSuchElementException if no tasklet is registered under that name, or the one registered has
     *         finished
     * @throws RemoteException if the connection fails, or no server is connected
     * @throws TimeoutException if the server does not answer in time
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public RemoteTasklet lookup(String name, Duration timeout) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        if (!link.exists(name, timeout)) {
            throw new NoSuchElementException("no tasklet is registered as '" + name + "' on " + link);
        }
        return new RemoteTasklet(link.target(name), name);
    }

    /**
     * Whether at least one server is connected now (the others, if any, are being reconnected).
     *
     * @return true if a call or send made now has a server to go to; false while every server is being
     *         reconnected, or after {@link #close()}
     */
    public boolean isConnected() {
        return link.connectedServers() > 0;
    }

    /**
     * What this client has done so far, and how many of its servers are connected.
     *
     * @return a snapshot of the counters since the client was built; each call takes a new one
     */
    public Stats stats() {
        return new Stats(link.servers(), link.connectedServers(), counters.calls(), counters.failedCalls(),
                counters.sends(), counters.disconnectedSends(), counters.unconfirmedSends(), counters.reconnects());
    }

    /** Closes the connections and stops reconnecting; pending calls fail with {@link RemoteException}. Idempotent. */
    @Override
    public void close() {
        link.close();
        try {
            metrics.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot remove the client's meters: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "RemoteClient[" + link + "]";
    }

    /**
     * A client's counters.
     *
     * @param servers the servers it links to
     * @param connectedServers those connected now
     * @param calls calls, stream calls and lookups that ended
     * @param failedCalls those that ended with an exception (failed, timed out, refused, disconnected…)
     * @param sends sends handed to a connection
     * @param disconnectedSends sends refused with {@link RemoteException} because no server was connected
     * @param unconfirmedSends sends made on a connection that was lost before the server confirmed them: they may
     *        or may not have been delivered
     * @param reconnects connections made again after one was lost
     */
    public record Stats(int servers, int connectedServers, long calls, long failedCalls, long sends,
            long disconnectedSends, long unconfirmedSends, long reconnects) {
    }

    /** Builds a {@link RemoteClient}. */
    public static final class Builder {

        private String host = "127.0.0.1";
        private int port = -1;
        private final List<Map.Entry<String, Integer>> servers = new ArrayList<>();
        private final Set<Class<?>> allowed = new LinkedHashSet<>();
        private int maxFrameBytes = 1 << 20;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private String authToken = ""; // empty: none given, the setup frame carries no token
        private RemoteTransport transport = RemoteTransport.TCP;
        private Transports.@Nullable ClientTls tls;
        private boolean metrics = true;

        private Builder() {
        }

        /**
         * The server's host (default 127.0.0.1). Used only with {@link #port(int)}.
         *
         * @param host the server's host name or address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The server's port, at {@link #host(String)}. No default: give it, or {@link #server(String, int)}.
         *
         * @param port the server's port, 1 to 65535
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is out of range
         */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /**
         * Adds a server; given several, the client links to all of them, spreads its calls over those connected
         * and moves off one whose connection is lost. They should offer the same names. With {@link #port(int)}
         * too, {@link #host(String)}:{@code port} is one more server.
         *
         * @param host the server's host name or address
         * @param port the server's port, 1 to 65535
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is out of range
         */
        public Builder server(String host, int port) {
            servers.add(Map.entry(Objects.requireNonNull(host, "host"), checkPort(port)));
            return this;
        }

        private static int checkPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range: expected 1 to 65535");
            }
            return port;
        }

        /**
         * Message types allowed to cross: records, enums, and sealed interfaces (all their permitted records and
         * enums, recursively). Adds to the types allowed so far; none by default.
         *
         * @param types records, enums, or sealed interfaces whose permitted subtypes are such types; any other
         *        class makes {@link #connect()} throw {@link IllegalArgumentException}
         * @return this builder
         */
        public Builder allow(Class<?>... types) {
            allowed.addAll(List.of(types));
            return this;
        }

        /**
         * The largest frame accepted or sent (default 1 MiB). A larger message is refused with
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
         * The token the server requires ({@link RemoteServer.Builder#authToken}), sent in the setup frame.
         * Default: none, for a server that requires none (leave it unset then).
         *
         * @param token the server's secret, not empty, as the server's; it travels in the clear unless TLS is on
         * @return this builder
         * @throws IllegalArgumentException if the token is empty
         */
        public Builder authToken(String token) {
            Objects.requireNonNull(token, "token");
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the auth token is empty: expected a secret (leave it unset for a"
                        + " server that requires none)");
            }
            this.authToken = token;
            return this;
        }

        /**
         * How long connecting may take (default 10 s): with several servers, until the first one is connected.
         *
         * @param timeout how long {@link #connect()} waits at most, also bounded by the ambient deadline; positive
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout " + timeout + " is not positive: expected a"
                        + " positive duration");
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * The waits between attempts to reconnect to a server after its connection is lost: {@code min} after
         * the first failed attempt, doubling (with 25 % jitter) up to {@code max}. Default 100 ms to 5 s.
         *
         * @param min the first wait, positive
         * @param max the longest wait, at least {@code min}
         * @return this builder
         * @throws IllegalArgumentException if {@code min} is not positive or {@code max} is less than {@code min}
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnectBackoff(" + min + ", " + max
                        + ") is invalid: expected 0 < min <= max");
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /**
         * The transport: TCP (the default) or WebSocket, as the server's.
         *
         * @param transport the server's transport
         * @return this builder
         */
        public Builder transport(RemoteTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Connects with TLS, set up by {@code sslContext} (its trust and key managers, its protocols); the server's
         * certificate must name the host. Default: no TLS. Replaces an earlier TLS setting.
         *
         * @param sslContext the JDK TLS setup to use
         * @return this builder
         */
        public Builder tls(SSLContext sslContext) {
            this.tls = Transports.clientTls(Objects.requireNonNull(sslContext, "sslContext"));
            return this;
        }

        /**
         * Connects with TLS, trusting the certificates of {@code trustStore} (and only those); the server's
         * certificate must name the host. Default: no TLS. Replaces an earlier TLS setting.
         *
         * @param trustStore a loaded key store holding the trusted certificates
         * @return this builder
         * @throws IllegalArgumentException if the key store cannot serve as a trust store
         */
        public Builder tlsTrustStore(KeyStore trustStore) {
            this.tls = Transports.clientTls(Objects.requireNonNull(trustStore, "trustStore"));
            return this;
        }

        /**
         * Connects with TLS trusting <b>every</b> certificate and host name: for tests against self-signed
         * servers only; it offers no protection against an attacker in the middle. Default: no TLS. Replaces an
         * earlier TLS setting.
         *
         * @return this builder
         */
        public Builder tlsTrustAll() {
            this.tls = Transports.clientTlsTrustingAll();
            return this;
        }

        /**
         * Records Micrometer meters ({@code concurrence.remote.client.calls}, a timer tagged with the server and
         * the outcome; {@code concurrence.remote.client.sends}, tagged with the outcome;
         * {@code concurrence.remote.client.connections}) in {@code Metrics.globalRegistry} when Micrometer is on
         * the class path. Default: on.
         *
         * @param enabled false to record no meters, even with Micrometer present
         * @return this builder
         */
        public Builder metrics(boolean enabled) {
            this.metrics = enabled;
            return this;
        }

        /**
         * Connects to the server, or to every server given; with several, it returns once one is connected and the
         * others go on connecting in the background.
         *
         * <p><b>Timeout:</b> the tighter of {@link #connectTimeout(Duration)} and the ambient
         * {@link io.concurrence.Timeout}, then {@link TimeoutException}. <b>Kill:</b> throws {@link TaskletExit};
         * the connection attempts are cancelled.
         *
         * @return a client connected to at least one server; close it when done
         * @throws RemoteException if no server can be reached, or one rejects the auth token
         * @throws IllegalStateException if no server was given
         * @throws IllegalArgumentException if an allowed type is not a record, an enum or a sealed interface of
         *         those
         * @throws TimeoutException if no server is connected in time
         * @throws TaskletExit if the calling tasklet is killed while connecting
         */
        public RemoteClient connect() {
            List<Map.Entry<String, Integer>> targets = new ArrayList<>(servers);
            if (port > 0) {
                targets.add(0, Map.entry(host, port));
            }
            if (targets.isEmpty()) {
                throw new IllegalStateException("no server: call port(int) or server(String, int) first");
            }
            MessageCodec codec = MessageCodec.of(allowed, maxFrameBytes, MessageCodec.Format.CBOR);
            List<Map.Entry<String, Mono<RSocket>>> connectors = new ArrayList<>();
            for (Map.Entry<String, Integer> target : targets) {
                Mono<RSocket> connector = RSocketConnector.create()
                        // zero-copy: a received payload holds the connection's buffer; RemoteLink releases each one
                        .payloadDecoder(PayloadDecoder.ZERO_COPY)
                        // the token, and this client's type table (see Wire)
                        .setupPayload(DefaultPayload.create(authToken.getBytes(StandardCharsets.UTF_8),
                                codec.typeTable()))
                        .connect(Transports.client(transport, target.getKey(), target.getValue(), tls));
                connectors.add(Map.entry(target.getKey() + ":" + target.getValue(), connector));
            }
            ClientCounters counters = new ClientCounters();
            RemoteLink link = RemoteLink.connect(connectors, codec, minBackoff, maxBackoff, connectTimeout, counters);
            AutoCloseable meters = metrics ? RemoteMeters.bind(link, counters) : () -> { };
            return new RemoteClient(link, counters, meters);
        }
    }
}
