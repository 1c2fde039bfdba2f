package io.concurrence.remote.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import io.rsocket.RSocket;
import io.rsocket.exceptions.RejectedSetupException;

/**
 * The client's link to one server: its current RSocket connection, if any, and the reconnection with backoff after
 * the connection is lost. RSocket's fire-and-forget has no acknowledgement, so the link confirms its sends itself:
 * a request-response on the same connection is answered only after the server has handled every frame before it,
 * so each answered call confirms the sends made before it, and while sends are unconfirmed a small confirmation
 * request goes out every {@link #CONFIRM_INTERVAL}. The sends still unconfirmed when a connection is lost are
 * counted and logged: they may or may not have been delivered.
 */
final class ServerLink {

    private static final Logger LOG = LoggerFactory.getLogger(ServerLink.class);

    /** How often unconfirmed sends are confirmed. */
    static final Duration CONFIRM_INTERVAL = Duration.ofMillis(100);

    private final String peer;
    private final Mono<RSocket> connector;
    private final MessageCodec codec;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final ClientCounters counters;
    private final Sinks.One<Boolean> firstAttempt = Sinks.one();
    private volatile @Nullable Connection current;
    private volatile @Nullable Throwable lastFailure;
    private volatile boolean closed;
    private volatile boolean gaveUp;
    private volatile @Nullable Disposable connecting;

    ServerLink(String peer, Mono<RSocket> connector, MessageCodec codec, Duration minBackoff, Duration maxBackoff,
            ClientCounters counters) {
        this.peer = peer;
        this.connector = connector;
        this.codec = codec;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.counters = counters;
    }

    /** The server's address, {@code host:port}. */
    String peer() {
        return peer;
    }

    /** The live connection, or null while there is none. */
    @Nullable Connection connection() {
        Connection c = current;
        return c != null && !c.socket.isDisposed() ? c : null;
    }

    /** Why the last connection attempt failed, or the last connection was lost with an error; or null. */
    @Nullable Throwable lastFailure() {
        return lastFailure;
    }

    /** Why there is no connection now: closed, reconnecting (and why the last attempt failed), or given up. */
    String state() {
        if (closed) {
            return "closed";
        }
        Throwable failure = lastFailure;
        String last = failure == null ? "" : "; last failure: " + failure;
        return (gaveUp ? "not trying again" : "reconnecting") + last;
    }

    /**
     * Starts connecting, and reconnecting whenever the connection is lost, until {@link #close()}.
     *
     * @return true when the first attempt connects, false when it fails (the link goes on trying)
     */
    Mono<Boolean> start() {
        connect(false);
        return firstAttempt.asMono();
    }

    private void connect(boolean again) {
        if (closed) {
            return;
        }
        // The first request confirms the setup: a server that rejects it (a wrong auth token) answers it with
        // that rejection, so connect() fails with the reason rather than the first call later on. Its answer is
        // the server's type table, which the frames sent on this connection use.
        Mono<Connection> attempt = connector.flatMap(socket -> socket.requestResponse(Wire.payload(Wire.TYPES, "",
                        new byte[0])).map(reply -> {
                            try {
                                return new Connection(this, socket, codec.peerTypes(Wire.data(reply)));
                            } finally {
                                reply.release();
                            }
                        })
                .onErrorResume(e -> {
                    socket.dispose();
                    return Mono.error(e);
                }))
                .doOnError(e -> {
                    lastFailure = e;
                    firstAttempt.tryEmitValue(false);
                });
        connecting = attempt.retryWhen(Retry.backoff(Long.MAX_VALUE, minBackoff).maxBackoff(maxBackoff).jitter(0.25)
                        .filter(e -> !(e instanceof RejectedSetupException)))
                .subscribe(connection -> attach(connection, again), e -> {
                    gaveUp = true;
                    if (again) { // the first attempt's failure goes to the caller of connect()
                        LOG.error("cannot connect to {}, not trying again: {}", peer, e.toString());
                    }
                });
    }

    private void attach(Connection connection, boolean again) {
        RSocket socket = connection.socket;
        if (closed) {
            socket.dispose();
            return;
        }
        current = connection;
        if (again) {
            counters.reconnects.increment();
            LOG.info("reconnected to {}", peer);
        }
        firstAttempt.tryEmitValue(true);
        connection.confirming = Flux.interval(CONFIRM_INTERVAL).subscribe(tick -> connection.confirm());
        // The last failure stays until this connection ends: its socket reads as disposed (so the link as not
        // connected) before onClose reports why, a network round trip later over TLS.
        socket.onClose().doOnError(e -> lastFailure = e).doOnSuccess(none -> lastFailure = null)
                .doFinally(signal -> lost(connection)).subscribe(null, e -> { });
    }

    private void lost(Connection connection) {
        Disposable confirming = connection.confirming;
        if (confirming != null) {
            confirming.dispose();
        }
        long unconfirmed = connection.markLost() - connection.confirmed.get();
        if (unconfirmed > 0) {
            counters.unconfirmedSends.add(unconfirmed);
            LOG.warn("the connection to {} was lost with {} send(s) unconfirmed: fire-and-forget has no"
                    + " acknowledgement, so they may or may not have been delivered", peer, unconfirmed);
        }
        if (current == connection) {
            current = null;
        }
        if (!closed) {
            LOG.warn("the connection to {} was lost; reconnecting", peer);
            connect(true);
        }
    }

    /** Stops reconnecting and closes the connection. Idempotent. */
    void close() {
        closed = true;
        Disposable c = connecting;
        if (c != null) {
            c.dispose();
        }
        Connection connection = current;
        if (connection != null) {
            connection.socket.dispose();
        }
        firstAttempt.tryEmitValue(false);
    }

    @Override
    public String toString() {
        return peer;
    }

    /**
     * One RSocket connection, with the server's types, and the count of sends made on it and of those confirmed.
     *
     * <p>Two counts of sends, so that the accounting holds against every interleaving of senders, confirmations and
     * the loss of the connection. A send is counted in {@link #sent} before its frame goes, and only while the
     * connection is not lost: {@link #markLost()} sets the {@link #LOST} bit in the same atomic word, so each send
     * either is in the count the loss reads (and so is delivered, confirmed or counted unconfirmed) or sees the bit
     * and goes elsewhere. A send is counted in {@link #handed} after its frame has been handed to the socket, which
     * queues frames in order: a confirmation's mark is read from there before its request goes, so it never
     * covers a send whose frame went after the request.
     */
    static final class Connection {

        /** The bit of {@link #sent} set once the connection is lost. */
        private static final long LOST = Long.MIN_VALUE;

        final ServerLink link;
        final String peer;
        final RSocket socket;
        /** The server's types, for the frames sent on this connection. */
        final PeerTypes types;
        /** Sends counted on this connection, with the {@link #LOST} bit: written by senders and by the loss. */
        private final AtomicLong sent = new AtomicLong();
        /** Sends whose frame is queued on the socket: written by senders, read by calls and confirmations. */
        private final AtomicLong handed = new AtomicLong();
        /** The highest mark confirmed: written by answered calls and confirmations, read by the loss. */
        final AtomicLong confirmed = new AtomicLong();
        private final AtomicBoolean confirmInFlight = new AtomicBoolean();
        volatile @Nullable Disposable confirming;

        Connection(ServerLink link, RSocket socket, PeerTypes types) {
            this.link = link;
            this.peer = link.peer;
            this.socket = socket;
            this.types = types;
        }

        /**
         * Counts a send about to go on this connection; false if the connection is lost (not counted: the sender
         * must go elsewhere, or report it as disconnected). After true, the sender queues the frame and then calls
         * {@link #handed()}.
         */
        boolean countSend() {
            return (sent.getAndIncrement() & LOST) == 0;
        }

        /** The send counted by {@link #countSend()} has its frame queued on the socket. */
        void handed() {
            handed.incrementAndGet();
        }

        /** The mark of a request about to go: the sends queued before it, which its answer confirms. */
        long mark() {
            return handed.get();
        }

        /** Marks the connection lost, once, and returns the sends counted on it. */
        long markLost() {
            return sent.getAndAccumulate(LOST, (value, bit) -> value | bit) & ~LOST;
        }

        /** Every send before {@code mark} (a value of {@link #mark()}) has reached the server. */
        void confirmed(long mark) {
            confirmed.accumulateAndGet(mark, Math::max);
        }

        private void confirm() {
            long mark = mark();
            if (mark == confirmed.get() || !confirmInFlight.compareAndSet(false, true)) {
                return;
            }
            socket.requestResponse(Wire.payload(Wire.CONFIRM, "", new byte[0]))
                    .doFinally(signal -> confirmInFlight.set(false))
                    .subscribe(reply -> {
                        reply.release();
                        confirmed(mark);
                    }, e -> { });
        }
    }
}
