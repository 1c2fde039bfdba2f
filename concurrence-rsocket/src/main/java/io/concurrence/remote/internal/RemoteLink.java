package io.concurrence.remote.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.concurrence.Call;
import io.concurrence.CallFailedException;
import io.concurrence.ConcurrenceException;
import io.concurrence.Message;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.reactor.Await;
import io.concurrence.remote.RemoteException;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.loadbalance.LoadbalanceStrategy;
import io.rsocket.loadbalance.RoundRobinLoadbalanceStrategy;

/**
 * The client side: its links to one or more servers offering the same names, and the sends, calls and lookups
 * over them, with the errors of the other side turned into what a local call would throw. Calls are spread over
 * the connected servers by RSocket's round-robin {@link LoadbalanceStrategy}; the sends of one
 * {@link Target} stay on one server while it is connected, so they arrive in order.
 */
public final class RemoteLink {

    private final List<ServerLink> servers;
    private final MessageCodec codec;
    private final ClientCounters counters;
    private final LoadbalanceStrategy strategy = new RoundRobinLoadbalanceStrategy();

    private RemoteLink(List<ServerLink> servers, MessageCodec codec, ClientCounters counters) {
        this.servers = List.copyOf(servers);
        this.codec = codec;
        this.counters = counters;
    }

    /**
     * Links to every server of {@code connectors}, waiting at most {@code timeout} for one of them to connect; the
     * others go on trying in the background, as every link does after losing its connection.
     *
     * @param connectors each server's address ({@code host:port}) and a Mono that connects to it once
     * @throws RemoteException if no server can be reached (naming each, with the reason)
     */
    public static RemoteLink connect(List<java.util.Map.Entry<String, Mono<RSocket>>> connectors, MessageCodec codec,
            Duration minBackoff, Duration maxBackoff, Duration timeout, ClientCounters counters) {
        List<ServerLink> links = new ArrayList<>();
        List<Mono<Boolean>> attempts = new ArrayList<>();
        for (var connector : connectors) {
            ServerLink link = new ServerLink(connector.getKey(), connector.getValue(), codec, minBackoff, maxBackoff,
                    counters);
            links.add(link);
            attempts.add(link.start());
        }
        RemoteLink remote = new RemoteLink(links, codec, counters);
        boolean connected;
        try {
            connected = Boolean.TRUE.equals(Await.of(Flux.merge(attempts).filter(Boolean::booleanValue)
                    .next().defaultIfEmpty(false), timeout));
        } catch (RuntimeException e) {
            remote.close();
            throw e;
        }
        if (!connected) {
            remote.close();
            StringBuilder reasons = new StringBuilder();
            for (ServerLink link : links) {
                reasons.append(reasons.isEmpty() ? "" : "; ").append(link.peer()).append(": ")
                        .append(link.lastFailure());
            }
            Throwable cause = links.get(0).lastFailure();
            throw new RemoteException("cannot connect to " + remote + ": " + reasons, cause);
        }
        return remote;
    }

    /** Messages to the tasklet registered as {@code name}. */
    public Target target(String name) {
        return new Target(name);
    }

    /** Whether a tasklet is registered as {@code name} on a connected server (one round trip). */
    public boolean exists(String name, Duration timeout) {
        ServerLink.Connection connection = pick("look up '" + name + "'");
        long mark = connection.mark();
        long start = System.nanoTime();
        try {
            Await.of(connection.socket.requestResponse(Wire.payload(Wire.LOOKUP, name, new byte[0]))
                    .doOnNext(Payload::release).then(), timeout);
            connection.confirmed(mark);
            counters.completed(connection.peer, "success", System.nanoTime() - start);
            return true;
        } catch (RuntimeException e) {
            RuntimeException translated = translate(e, "lookup of '" + name + "'", connection.peer);
            counters.completed(connection.peer, outcome(translated), System.nanoTime() - start);
            if (translated instanceof NoSuchElementException) {
                return false;
            }
            throw translated;
        }
    }

    /** The servers connected now. */
    public int connectedServers() {
        int n = 0;
        for (ServerLink link : servers) {
            if (link.connection() != null) {
                n++;
            }
        }
        return n;
    }

    /** How many servers this client links to. */
    public int servers() {
        return servers.size();
    }

    /** Closes every link; pending calls fail with {@link RemoteException}. Idempotent. */
    public void close() {
        servers.forEach(ServerLink::close);
    }

    /** A connected server chosen by the load-balance strategy; none is a failed call. */
    private ServerLink.Connection pick(String what) {
        return connected(pickOrNull(), what);
    }

    /** {@code connection}, or a failed call if there is none. */
    private ServerLink.Connection connected(ServerLink.@Nullable Connection connection, String what) {
        if (connection == null) {
            counters.completed(toString(), "disconnected", 0);
            throw notConnected("cannot " + what);
        }
        return connection;
    }

    /** The server's types on {@code connection}; without one, names (the frame is encoded only to check it). */
    private static PeerTypes typesOf(ServerLink.@Nullable Connection connection) {
        return connection != null ? connection.types : PeerTypes.UNKNOWN;
    }

    private ServerLink.@Nullable Connection pickOrNull() {
        if (servers.size() == 1) {
            return servers.get(0).connection();
        }
        List<RSocket> sockets = new ArrayList<>(servers.size());
        List<ServerLink.Connection> live = new ArrayList<>(servers.size());
        for (ServerLink link : servers) {
            ServerLink.Connection connection = link.connection();
            if (connection != null) {
                live.add(connection);
                sockets.add(connection.socket);
            }
        }
        if (live.isEmpty()) {
            return null;
        }
        RSocket chosen = strategy.select(sockets);
        return live.get(Math.max(0, sockets.indexOf(chosen)));
    }

    /** No server is connected: says, for each, whether it is reconnecting and why the last attempt failed. */
    private RemoteException notConnected(String what) {
        StringBuilder states = new StringBuilder();
        Throwable cause = null;
        for (ServerLink link : servers) {
            states.append(states.isEmpty() ? "" : "; ").append(servers.size() > 1 ? link.peer() + ": " : "")
                    .append(link.state());
            cause = cause == null ? link.lastFailure() : cause;
        }
        return new RemoteException(what + ": not connected to " + this + " (" + states + ")", cause);
    }

    private RuntimeException translate(Throwable e, String what, String peer) {
        if (e instanceof TimeoutException || e instanceof TaskletExit || e instanceof RemoteException) {
            return (RuntimeException) e;
        }
        if (e instanceof ApplicationErrorException app) {
            String m = String.valueOf(app.getMessage());
            if (m.startsWith("NoSuchElement: ")) {
                return new NoSuchElementException(m.substring("NoSuchElement: ".length()) + " on " + peer);
            }
            if (m.startsWith("Failed: ")) {
                return new CallFailedException(what + " failed on " + peer + ": " + m.substring("Failed: ".length()),
                        null);
            }
            if (m.startsWith("Refused: ")) {
                return new RemoteException(what + " was refused by " + peer + ": " + m.substring("Refused: ".length()),
                        app);
            }
            return new RemoteException(what + " failed on " + peer + ": " + m, app);
        }
        Throwable cause = e instanceof ConcurrenceException && e.getCause() != null ? e.getCause() : e;
        return new RemoteException(what + ": the connection to " + peer + " failed: " + cause, cause);
    }

    private static String outcome(RuntimeException e) {
        if (e instanceof TimeoutException) {
            return "timeout";
        } else if (e instanceof CallFailedException) {
            return "failed";
        } else if (e instanceof NoSuchElementException) {
            return "no_such_name";
        } else if (e instanceof TaskletExit) {
            return "killed";
        }
        return "error";
    }

    @Override
    public String toString() {
        if (servers.size() == 1) {
            return servers.get(0).peer();
        }
        return servers.stream().map(ServerLink::peer).toList().toString();
    }

    /** The messages to one name: sends stick to one server while it stays connected; calls are balanced. */
    public final class Target {

        private final String name;
        private final byte[] sendMetadata;
        private final byte[] callMetadata;
        private final byte[] streamMetadata;
        private volatile @Nullable ServerLink home;

        private Target(String name) {
            this.name = name;
            this.sendMetadata = Wire.metadata(Wire.SEND, name);
            this.callMetadata = Wire.metadata(Wire.CALL, name);
            this.streamMetadata = Wire.metadata(Wire.STREAM, name);
        }

        public void send(Message message) {
            ServerLink link = home;
            ServerLink.Connection connection = link != null ? link.connection() : null;
            boolean moved = connection == null;
            if (moved) {
                connection = pickOrNull();
            }
            while (true) {
                // encoded first, so that a refused type is reported as such, connected or not
                byte[] frame = codec.encode(message, typesOf(connection));
                if (connection == null) {
                    counters.disconnectedSends.increment();
                    throw notConnected("cannot send " + message + " to '" + name + "'");
                }
                if (connection.countSend()) {
                    if (moved) {
                        home = connection.link;
                    }
                    counters.sends.increment();
                    connection.socket.fireAndForget(Wire.payload(sendMetadata, frame)).subscribe(null, e -> { });
                    connection.handed();
                    return;
                }
                // lost since it was picked, and its socket is disposed: the next pick does not return it
                connection = pickOrNull();
                moved = true;
            }
        }

        @SuppressWarnings("unchecked")
        public <R> @Nullable R call(Call<R> message, Duration timeout) {
            ServerLink.Connection chosen = pickOrNull();
            byte[] frame = codec.encode(message, typesOf(chosen));
            ServerLink.Connection connection = chosen != null ? chosen : connected(null, describe(message));
            long mark = connection.mark();
            long start = System.nanoTime();
            try {
                R result = (R) Await.of(connection.socket.requestResponse(Wire.payload(callMetadata, frame))
                        .map(reply -> {
                            try {
                                return Optional.ofNullable(codec.decodeValue(Wire.data(reply)));
                            } finally {
                                reply.release();
                            }
                        }), timeout).orElse(null);
                connection.confirmed(mark);
                counters.completed(connection.peer, "success", System.nanoTime() - start);
                return result;
            } catch (RuntimeException e) {
                RuntimeException translated = translate(e, describe(message), connection.peer);
                counters.completed(connection.peer, outcome(translated), System.nanoTime() - start);
                throw translated;
            }
        }

        /** The call, for an error message (made only on failure: the message's text costs). */
        private String describe(Call<?> message) {
            return "call " + message + " to '" + name + "'";
        }

        /**
         * A stream call: the elements as a blocking stream, with backpressure (RSocket's request-n follows the
         * reader). Closing the stream early cancels the rest; {@code timeout}, when given, bounds the whole stream
         * (as {@link Await#stream(Flux, Duration)}), else the ambient deadline each wait.
         */
        @SuppressWarnings("unchecked")
        public <T> Stream<T> stream(Call<T> message, @Nullable Duration timeout) {
            ServerLink.Connection chosen = pickOrNull();
            byte[] frame = codec.encode(message, typesOf(chosen));
            String what = "stream " + message + " from '" + name + "'";
            ServerLink.Connection connection = connected(chosen, what);
            String peer = connection.peer;
            long[] start = new long[1];
            Flux<Object> elements = connection.socket.requestStream(Wire.payload(streamMetadata, frame))
                    .doOnSubscribe(s -> start[0] = System.nanoTime())
                    .map(element -> {
                        try {
                            return Optional.ofNullable(codec.decodeValue(Wire.data(element)));
                        } finally {
                            element.release();
                        }
                    })
                    .onErrorMap(e -> translate(e, what, peer))
                    .doOnComplete(() -> counters.completed(peer, "success", System.nanoTime() - start[0]))
                    .doOnError(e -> counters.completed(peer, e instanceof RuntimeException r ? outcome(r) : "error",
                            System.nanoTime() - start[0]))
                    .map(optional -> (Object) optional.orElse(null));
            return (Stream<T>) (timeout == null ? Await.stream(elements) : Await.stream(elements, timeout));
        }

        @Override
        public String toString() {
            return name + " at " + RemoteLink.this;
        }
    }
}
