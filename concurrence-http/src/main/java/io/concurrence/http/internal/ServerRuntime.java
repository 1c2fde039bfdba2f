package io.concurrence.http.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import io.concurrence.internal.Deadlines;
import io.concurrence.internal.Parking;

/**
 * A running server's shared state: its configuration, open connections and requests in flight (for the
 * connection limit, metrics and graceful stop), and its metrics.
 */
public final class ServerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);

    /** Requests in flight on a connection; 0 means the connection is idle (between requests). */
    private static final AttributeKey<AtomicInteger> IN_FLIGHT = AttributeKey.valueOf("concurrence.inFlight");

    private final ServerConfig config;
    private final ChannelGroup connections = new DefaultChannelGroup("concurrence-http", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;
    /** The tasklet waiting in {@link #awaitIdle}, woken when the last request ends. */
    private volatile @Nullable Thread stopper;
    private volatile ServerMetrics metrics = ServerMetrics.NONE;
    private volatile String portTag = "0";
    private final HandlerThreads handlerThreads;
    private final CloseAfterResponse closeAfterResponse;

    public ServerRuntime(ServerConfig config) {
        this.config = config;
        this.handlerThreads = HandlerThreads.create(config.eventLoopCarriers());
        this.closeAfterResponse = CloseAfterResponse.create(config.serverHeader());
    }

    HandlerThreads handlerThreads() {
        return handlerThreads;
    }

    CloseAfterResponse closeAfterResponse() {
        return closeAfterResponse;
    }

    public ServerConfig config() {
        return config;
    }

    /** Starts the metrics once the port is known. */
    public void started(int port) {
        portTag = Integer.toString(port);
        metrics = ServerMetrics.create(config.metrics(), this);
    }

    ServerMetrics metrics() {
        return metrics;
    }

    String portTag() {
        return portTag;
    }

    boolean isStopping() {
        return stopping;
    }

    int openConnections() {
        return open.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    /**
     * A new connection: counted, tracked, and closed at once beyond the limit. Called once per connection, when
     * its channel is initialized (Reactor Netty's {@code doOnConnection} would call it once per HTTP/1.1 request).
     */
    public void connectionOpened(Channel channel) {
        int count = open.incrementAndGet();
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        if (count > config.maxConnections() || stopping) {
            LOG.warn("[{}] refusing a connection from {}: {} connections open (limit {})", portTag,
                    channel.remoteAddress(), count - 1, config.maxConnections());
            channel.close();
            return;
        }
        channel.attr(IN_FLIGHT).set(new AtomicInteger());
        connections.add(channel);
    }

    void exchangeStarted(Channel channel) {
        inFlight.incrementAndGet();
        AtomicInteger onChannel = connectionOf(channel).attr(IN_FLIGHT).get();
        if (onChannel != null) {
            onChannel.incrementAndGet();
        }
    }

    /** Whether a request on this connection is being handled or answered. */
    boolean busy(Channel channel) {
        AtomicInteger onChannel = connectionOf(channel).attr(IN_FLIGHT).get();
        return onChannel != null && onChannel.get() > 0;
    }

    /** A connection was answered 408 because its request head did not arrive in time. */
    void headTimedOut() {
        metrics.requestCompleted("OTHER", 408, 0);
    }

    void exchangeFinished(Channel channel) {
        AtomicInteger onChannel = connectionOf(channel).attr(IN_FLIGHT).get();
        if (onChannel != null) {
            onChannel.decrementAndGet();
        }
        if (inFlight.decrementAndGet() == 0 && stopping) {
            Thread waiting = stopper;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }
    }

    /** Answers a request that never reaches a handler, and closes the connection. */
    Publisher<Void> reject(HttpServerResponse response, int status, String message) {
        metrics.requestCompleted("OTHER", status, 0);
        return response.status(status)
                .keepAlive(false)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .header(HttpHeaderNames.DATE, HttpDate.now())
                .header(HttpHeaderNames.SERVER, config.serverHeader())
                .sendString(Mono.just(message))
                .then();
    }

    /**
     * Graceful stop, once the listening socket is closed: closes idle connections now, lets requests in
     * flight finish (their responses say {@code Connection: close}) within {@code grace}, then closes
     * everything that is left.
     */
    public void stopGracefully(Duration grace) {
        stopping = true;
        long deadline = Deadlines.after(grace);
        closeIdleConnections();
        stopper = Thread.currentThread();
        try {
            Parking.Wake wake = Parking.park(() -> inFlight.get() == 0, deadline, this);
            if (wake == Parking.Wake.INTERRUPTED) {
                Parking.restoreInterrupt();
            }
        } finally {
            stopper = null;
        }
        int left = inFlight.get();
        if (left > 0) {
            LOG.warn("[{}] stopping: {} requests still running after the grace period of {}; closing their"
                    + " connections", portTag, left, Deadlines.format(grace));
        }
        connections.close();
        metrics.close();
    }

    /** The TCP connection an exchange's channel belongs to: itself, or the parent of an HTTP/2 stream. */
    private static Channel connectionOf(Channel channel) {
        return channel instanceof Http2StreamChannel stream ? stream.parent() : channel;
    }

    /** Closes every connection at once. */
    public void closeAll() {
        stopping = true;
        connections.close();
        metrics.close();
    }

    private void closeIdleConnections() {
        List<Channel> idle = new ArrayList<>();
        for (Channel channel : connections) {
            AtomicInteger onChannel = channel.attr(IN_FLIGHT).get();
            if (onChannel == null || onChannel.get() == 0) {
                idle.add(channel);
            }
        }
        idle.forEach(Channel::close);
    }

    @Override
    public String toString() {
        return "HttpServer runtime[port " + portTag + ", " + open.get() + " connections, " + inFlight.get()
                + " requests in flight]";
    }
}
