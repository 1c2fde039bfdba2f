package io.concurrence.memcache;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

import io.concurrence.internal.Deadlines;

/**
 * One TCP connection to one memcached server, shared by any number of tasklets: requests are pipelined
 * (written in order, answered in order) and matched to their callers by {@link ResponseDecoder}.
 *
 * <p>Thread-safe. {@link #send} may be called from any thread; the queueing and the write happen together
 * in one event-loop task, which is what keeps the queue in the order of the bytes on the wire.
 */
final class MemcacheConnection {

    private static final Logger LOG = LoggerFactory.getLogger(MemcacheConnection.class);

    private final String server;
    private final Connection connection;
    private final Channel channel;
    private final ResponseDecoder decoder;
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
        try {
            channel.eventLoop().execute(() -> {
                decoder.enqueue(pending);
                if (pending.answered) {
                    request.release();
                    return;
                }
                channel.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        decoder.failAll(new MemcacheException("could not write " + pending.command
                                + " to memcache server " + server + ": " + f.cause(), f.cause()));
                        channel.close();
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            request.release();
            return Mono.error(new MemcacheException("connection to memcache server " + server
                    + " is shut down", e));
        }
        return pending.response();
    }

    /** Writes a {@code noreply} command (released by this call); the promise completes when it is written. */
    ChannelPromise sendNoReply(ByteBuf request, String command) {
        ChannelPromise promise = channel.newPromise();
        try {
            channel.eventLoop().execute(() -> {
                if (!channel.isActive()) {
                    request.release();
                    promise.setFailure(new MemcacheException("connection to memcache server " + server
                            + " is closed; " + command + " was not sent"));
                    return;
                }
                channel.writeAndFlush(request, promise);
            });
        } catch (RejectedExecutionException e) {
            request.release();
            promise.setFailure(e);
        }
        return promise;
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
