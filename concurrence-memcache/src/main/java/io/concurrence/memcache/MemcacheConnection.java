package io.concurrence.memcache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.util.internal.PlatformDependent;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

import io.concurrence.internal.Deadlines;

/**
 * One TCP connection to one memcached server, shared by any number of tasklets: requests are pipelined
 * (written in order, answered in order) and matched to their callers by {@link ResponseDecoder}.
 *
 * <p>Thread-safe. {@link #send} may be called from any thread: requests go into one queue, which an event-loop
 * task drains, handing each to the decoder and writing it in that order (so the decoder's queue is in the order
 * of the bytes on the wire), then flushing once for all of them.
 */
final class MemcacheConnection {

    private static final Logger LOG = LoggerFactory.getLogger(MemcacheConnection.class);
    /** The most single-key gets merged into one multi-key get. */
    static final int MAX_MERGED = 64;

    private final String server;
    private final Connection connection;
    private final Channel channel;
    private final ResponseDecoder decoder;
    /** Requests from any thread, written in this order by {@link #drain()} on the event loop. */
    private final Queue<Outgoing> outgoing = PlatformDependent.newMpscQueue();
    /** Whether a {@link #drain()} is scheduled and has not yet started taking the queue. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Written by {@link #close()} (any thread), read on the event loop: a close we asked for is no failure. */
    private volatile boolean closing;

    private MemcacheConnection(String server, Connection connection, Consumer<Throwable> onBroken) {
        this.server = server;
        this.connection = connection;
        this.channel = connection.channel();
        this.decoder = new ResponseDecoder(server, failure -> {
            if (!closing) {
                LOG.debug("[memcache {}] connection failed: {}", server, failure.getMessage());
                onBroken.accept(failure);
            }
        });
        connection.addHandlerLast("concurrence.memcache.decoder", decoder);
        // Reactor Netty reads only while the inbound has a subscriber; the decoder consumes every byte
        // before it, so this subscriber never sees one. It just keeps the reads going.
        connection.inbound().receiveObject().subscribe();
    }

    /**
     * Connects to {@code host:port} (without waiting). {@code onBroken} is called once, on the event loop,
     * if the connection fails later for any reason but {@link #close()}.
     */
    static Mono<MemcacheConnection> connect(String host, int port, Duration connectTimeout,
                                            Consumer<Throwable> onBroken) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        String server = host + ":" + port;
        return TcpClient.newConnection()
                .host(host)
                .port(port)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis)
                .connect()
                .map(c -> new MemcacheConnection(server, c, onBroken));
    }

    /** Whether the connection is open and has not failed. */
    boolean isActive() {
        return channel.isActive() && !closing;
    }

    /**
     * Writes {@code request} (released by this call) and returns its response: a Mono that never needs
     * cancelling, since the response is read whether or not anybody waits.
     */
    Mono<Response> send(ByteBuf request, Pending pending) {
        if (!queue(new Outgoing(request, pending, null))) {
            return Mono.error(shutDown(pending.command));
        }
        return pending.response();
    }

    /** Writes a {@code noreply} command (released by this call); the promise completes when it is written. */
    ChannelPromise sendNoReply(ByteBuf request, String command) {
        ChannelPromise promise = channel.newPromise();
        if (!queue(new Outgoing(request, null, promise))) {
            promise.setFailure(shutDown(command));
        }
        return promise;
    }

    /**
     * Queues a request and makes sure a drain is scheduled on the event loop. Requests queued while a drain is
     * pending go out with it: one flush, so one socket write, for every request queued meanwhile.
     *
     * @return false if the event loop is shut down (the request is released)
     */
    private boolean queue(Outgoing out) {
        outgoing.add(out);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                Outgoing dropped;
                while ((dropped = outgoing.poll()) != null) {
                    dropped.request.release();
                    if (dropped == out) {
                        continue; // the caller reports it
                    }
                    if (dropped.pending != null) {
                        dropped.pending.fail(shutDown(dropped.pending.command));
                    } else if (dropped.promise != null) {
                        dropped.promise.setFailure(shutDown("a noreply command"));
                    }
                }
                return false;
            }
        }
        return true;
    }

    /** Event loop: writes every queued request in queue order (the decoder's order), then flushes once. */
    private void drain() {
        drainScheduled.set(false); // a request queued from now on schedules another drain
        boolean wrote = false;
        Outgoing out;
        while ((out = outgoing.poll()) != null) {
            if (out.pending == null) {
                if (channel.isActive()) {
                    channel.write(out.request, out.promise);
                    wrote = true;
                } else {
                    out.request.release();
                    out.promise.setFailure(new MemcacheException("connection to memcache server " + server
                            + " is closed; a noreply command was not sent"));
                }
                continue;
            }
            if (out.pending.mergeKey != null && outgoing.peek() instanceof Outgoing next && next.pending != null
                    && next.pending.mergeKey != null) {
                wrote |= writeMerged(out);
                continue;
            }
            Pending pending = out.pending;
            decoder.enqueue(pending);
            if (pending.answered) { // the connection had failed: the decoder failed it at once
                out.request.release();
                continue;
            }
            channel.write(out.request).addListener(failsAllIfUnwritten(pending.command));
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /**
     * Writes {@code first} and the single-key gets queued right behind it (up to {@link #MAX_MERGED}) as one
     * multi-key {@code get}, the way established clients merge concurrent gets: one request, and one response
     * to parse, for many callers.
     *
     * @return whether anything was written
     */
    private boolean writeMerged(Outgoing first) {
        List<Pending> gets = new ArrayList<>();
        gets.add(first.pending);
        first.request.release();
        while (gets.size() < MAX_MERGED && outgoing.peek() instanceof Outgoing next && next.pending != null
                && next.pending.mergeKey != null) {
            outgoing.poll();
            next.request.release();
            gets.add(next.pending);
        }
        MergedGets merged = new MergedGets(gets);
        decoder.enqueue(merged);
        if (merged.answered) {
            return false;
        }
        ByteBuf request = channel.alloc().buffer();
        request.writeCharSequence(merged.commandLine(), StandardCharsets.US_ASCII);
        channel.write(request).addListener(failsAllIfUnwritten(merged.command));
        return true;
    }

    /** A write that fails breaks the connection: every pending request fails, and it closes. */
    private ChannelFutureListener failsAllIfUnwritten(String command) {
        return f -> {
            if (!f.isSuccess()) {
                decoder.failAll(new MemcacheException("could not write " + command + " to memcache server " + server
                        + ": " + f.cause(), f.cause()));
                channel.close();
            }
        };
    }

    private MemcacheException shutDown(String command) {
        return new MemcacheException("connection to memcache server " + server + " is shut down; " + command
                + " was not sent");
    }

    /** A request waiting to be written: with its {@code pending} response, or a noreply one with its promise. */
    private record Outgoing(ByteBuf request, @Nullable Pending pending, @Nullable ChannelPromise promise) {
    }

    /**
     * The caller of {@code pending} gave up (timeout or kill). Its response will still be read and dropped;
     * but if none comes within {@code grace}, the server is not answering: fail everything and close.
     */
    void abandoned(Pending pending, Duration grace) {
        try {
            channel.eventLoop().schedule(() -> {
                if (!pending.answered) {
                    decoder.failAll(new MemcacheException("memcache server " + server + " did not answer "
                            + pending.command + " within " + Deadlines.format(grace)
                            + " after its caller gave up; the connection is closed"));
                    channel.close();
                }
            }, Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("[memcache {}] event loop shut down: {}", server, e.toString());
        }
    }

    /** Allocates a buffer for a request. */
    ByteBuf buffer(int size) {
        return channel.alloc().buffer(size);
    }

    /** Closes the connection; pending requests fail. Idempotent. */
    void close() {
        closing = true;
        connection.dispose();
    }

    @Override
    public String toString() {
        return "MemcacheConnection[" + server + ", " + channel + "]";
    }
}
