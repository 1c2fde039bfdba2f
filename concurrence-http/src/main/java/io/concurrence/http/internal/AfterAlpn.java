package io.concurrence.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;

/**
 * Installs the server's own HTTP/1.1 handlers on a TLS connection whose protocol is chosen by ALPN
 * ({@code http2(true)} with TLS): Reactor Netty builds that connection's HTTP/1.1 pipeline only once the
 * handshake has chosen {@code http/1.1}, after the channel was initialised.
 *
 * <p>Placed right after Reactor Netty's negotiation handler, so the handlers it then adds come after this
 * one; the first bytes that reach this handler come after the negotiation (the negotiation handler holds
 * back what arrives before), so the HTTP/1.1 pipeline, if chosen, is complete by then. It installs ours
 * before passing those bytes on, then removes itself. On an HTTP/2 connection it only removes itself.
 */
final class AfterAlpn extends ChannelInboundHandlerAdapter {

    private static final String NAME = "concurrence.afterAlpn";

    private final ServerRuntime runtime;

    private AfterAlpn(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Adds the installer to a connection that negotiates its protocol; returns whether it did. */
    static boolean install(ServerRuntime runtime, ChannelPipeline pipeline) {
        if (pipeline.get(NettyPipeline.H2OrHttp11Codec) == null) {
            return false;
        }
        pipeline.addAfter(NettyPipeline.H2OrHttp11Codec, NAME, new AfterAlpn(runtime));
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ChannelPipeline pipeline = ctx.pipeline();
        // Install first (the head timeout goes right after this handler), pass the bytes on, then leave.
        Exchanges.initChannel(runtime, pipeline); // installs nothing if HTTP/2 was chosen
        ctx.fireChannelRead(msg);
        if (pipeline.context(this) != null) {
            pipeline.remove(this);
        }
    }
}
