package io.concurrence.remote;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

import io.concurrence.ConcurrenceException;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.reactor.Await;
import io.concurrence.remote.internal.MessageCodec;
import io.concurrence.remote.internal.RemoteLink;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;

/**
 * A connection to a {@link RemoteServer} of another process, through which its tasklets are reached by name.
 * <pre>{@code
 * try (RemoteClient client = RemoteClient.builder().host("10.0.0.5").port(7000).allow(CounterMsg.class).connect()) {
 *     RemoteTasklet counter = client.lookup("counter");
 *     counter.send(new Add(5));
 *     int total = counter.call(new Get(), Duration.ofSeconds(2));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class RemoteClient implements AutoCloseable {

    private final RemoteLink link;
    private final Duration lookupTimeout;

    private RemoteClient(RemoteLink link, Duration lookupTimeout) {
        this.link = link;
        this.lookupTimeout = lookupTimeout;
    }

    /** Connects to {@code host}:{@code port} allowing no message types yet: use the builder. */
    public static RemoteClient connect(String host, int port) {
        return builder().host(host).port(port).connect();
    }

    /** A builder: 127.0.0.1, frames up to 1 MiB, 10 s connect timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The tasklet registered as {@code name} on the server, asking it for at most 10 s.
     * Like {@link #lookup(String, Duration)}.
     *
     * @throws NoSuchElementException if no tasklet is registered under that name
     * @throws RemoteException if the connection fails
     */
    public RemoteTasklet lookup(String name) {
        return lookup(name, lookupTimeout);
    }

    /**
     * The tasklet registered as {@code name} on the server: one round trip.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link io.concurrence.Timeout}, then
     * {@link TimeoutException}. <b>Kill:</b> throws {@link TaskletExit}; the request is cancelled.
     *
     * @throws NoSuchElementException if no tasklet is registered under that name
     * @throws RemoteException if the connection fails
     */
    public RemoteTasklet lookup(String name, Duration timeout) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        if (!link.exists(name, timeout)) {
            throw new NoSuchElementException("no tasklet is registered as '" + name + "' on " + link);
        }
        return new RemoteTasklet(link, name);
    }

    /** Closes the connection; pending calls fail with {@link RemoteException}. Idempotent. */
    @Override
    public void close() {
        link.close();
    }

    @Override
    public String toString() {
        return "RemoteClient[" + link + "]";
    }

    /** Builds a {@link RemoteClient}. */
    public static final class Builder {

        private String host = "127.0.0.1";
        private int port = -1;
        private final Set<Class<?>> allowed = new LinkedHashSet<>();
        private int maxFrameBytes = 1 << 20;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private String authToken = "";

        private Builder() {
        }

        /** The server's host (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The server's port. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range: expected 1 to 65535");
            }
            this.port = port;
            return this;
        }

        /** Message types allowed to cross: records, and sealed interfaces (all their permitted records). */
        public Builder allow(Class<?>... types) {
            allowed.addAll(List.of(types));
            return this;
        }

        /** The largest frame accepted or sent (default 1 MiB). */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxFrameBytes " + bytes + " is too small: expected at least 64");
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /** The token the server requires ({@link RemoteServer.Builder#authToken}), sent in the setup frame. */
        public Builder authToken(String token) {
            this.authToken = Objects.requireNonNull(token, "token");
            return this;
        }

        /** How long connecting may take (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
            return this;
        }

        /**
         * Connects.
         *
         * <p><b>Timeout:</b> the tighter of {@link #connectTimeout(Duration)} and the ambient
         * {@link io.concurrence.Timeout}, then {@link TimeoutException}. <b>Kill:</b> throws {@link TaskletExit};
         * the connection attempt is cancelled.
         *
         * @throws RemoteException if the server cannot be reached
         */
        public RemoteClient connect() {
            if (port < 0) {
                throw new IllegalStateException("no port: call port(int) first");
            }
            MessageCodec codec = MessageCodec.of(allowed, maxFrameBytes, MessageCodec.Format.CBOR);
            String peer = host + ":" + port;
            RSocket socket;
            try {
                socket = Await.of(RSocketConnector.create()
                        .setupPayload(io.rsocket.util.DefaultPayload.create(authToken))
                        .connect(TcpClientTransport.create(host, port)), connectTimeout);
            } catch (TimeoutException | TaskletExit e) {
                throw e;
            } catch (ConcurrenceException | IllegalStateException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new RemoteException("cannot connect to " + peer + ": " + cause, cause);
            }
            RemoteLink link = new RemoteLink(Objects.requireNonNull(socket), codec, peer);
            return new RemoteClient(link, Duration.ofSeconds(10));
        }
    }
}
