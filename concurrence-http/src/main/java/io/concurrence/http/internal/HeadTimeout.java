package io.concurrence.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.netty.NettyPipeline;

/**
 * Bounds the time a request head may take to arrive, from its first byte: beyond {@code requestTimeout}
 * the client gets {@code 408 Request Timeout} and the connection closes.
 *
 * <p>Reactor Netty's request timeout starts once a head is complete, and its idle timeout restarts with every
 * byte, so without this a client sending a head a byte at a time (a "slow loris") would hold its connection
 * for ever. One per HTTP/1.1 connection, placed before Netty's HTTP codec, where it sees the bytes as they
 * arrive; {@link CloseAfterResponse}, after the codec, tells it when a head has been decoded
 * ({@link #headArrived}) and when a request has ended ({@link #requestEnded}). A connection with nothing
 * pending is left to the idle timeout. A timer is armed only for a head still incomplete after the bytes
 * just read have been decoded, and re-armed only while one is pending: requests whose heads arrive in one
 * read (nearly all) schedule no timer.
 *
 * <p>Confined to the channel's event loop.
 */
final class HeadTimeout extends ChannelInboundHandlerAdapter {

    private static final String NAME = "concurrence.headTimeout";
    private static final AttributeKey<HeadTimeout> KEY = AttributeKey.valueOf(NAME);
    private static final byte[] BODY = "Request Timeout: the request head did not arrive in time"
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerRuntime runtime;
    private final long timeoutNanos;
    /** Whether the connection is between requests (the next bytes start a head). */
    private boolean awaitingHead = true;
    /** When the pending head's first bytes arrived; 0 when no head is pending. */
    private long headStarted;
    private @Nullable ScheduledFuture<?> timer;

    private HeadTimeout(ServerRuntime runtime) {
        this.runtime = runtime;
        this.timeoutNanos = runtime.config().requestTimeout().toNanos();
    }

    /** Installs a head timeout on an HTTP/1.1 connection (not on h2c, whose upgrade replaces the codec). */
    static void install(ServerRuntime runtime, Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NettyPipeline.HttpCodec) == null || pipeline.get(NettyPipeline.H2CUpgradeHandler) != null
                || pipeline.get(NAME) != null) {
            return;
        }
        HeadTimeout timeout = new HeadTimeout(runtime);
        pipeline.addBefore(NettyPipeline.HttpCodec, NAME, timeout);
        channel.attr(KEY).set(timeout);
    }

    /** The connection's head timeout, if it has one. */
    static @Nullable HeadTimeout of(Channel channel) {
        return channel.attr(KEY).get();
    }

    /** A request's head has been decoded: its timeout is Reactor Netty's from now on. */
    void headArrived() {
        awaitingHead = false;
        headStarted = 0;
    }

    /** A request has been received whole: the next bytes start a new head. */
    void requestEnded() {
        awaitingHead = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingHead && headStarted == 0 && msg instanceof ByteBuf) {
            headStarted = System.nanoTime() | 1; // never 0
        }
        ctx.fireChannelRead(msg); // decodes now: a head complete in these bytes has called headArrived
        if (awaitingHead && headStarted != 0 && timer == null) {
            arm(ctx, timeoutNanos - (System.nanoTime() - headStarted)); // only for a head still incomplete
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> expire(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        ScheduledFuture<?> t = timer;
        timer = null;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (!awaitingHead || headStarted == 0 || !ctx.channel().isActive()) {
            return; // nothing pending: the next head's first bytes arm the timer again
        }
        long left = timeoutNanos - (System.nanoTime() - headStarted);
        if (left > 0) {
            arm(ctx, left); // a later head than the one the timer was armed for
            return;
        }
        if (runtime.busy(ctx.channel())) {
            // An earlier (pipelined) request's response is still being written: answer after it.
            arm(ctx, TimeUnit.MILLISECONDS.toNanos(100));
            return;
        }
        awaitingHead = false;
        runtime.headTimedOut();
        String head = "HTTP/1.1 408 Request Timeout\r\n"
                + "Content-Type: text/plain; charset=US-ASCII\r\n"
                + "Content-Length: " + BODY.length + "\r\n"
                + "Connection: close\r\n"
                + "Date: " + HttpDate.now() + "\r\n"
                + "Server: " + runtime.config().serverHeader() + "\r\n\r\n";
        ByteBuf response = Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), BODY);
        // Written below the codec: the bytes go out as they are, and the connection closes after them.
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
