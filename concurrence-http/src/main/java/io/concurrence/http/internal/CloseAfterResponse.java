package io.concurrence.http.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import reactor.netty.NettyPipeline;

/**
 * Keeps pipelined requests that precede a {@code Connection: close} request from being dropped.
 *
 * <p>Reactor Netty decides whether a connection persists when each request <em>arrives</em>: a pipelined
 * request asking to close makes it answer the requests queued before it with {@code Connection: close},
 * close after the first response, and drop the rest unanswered. RFC 9112 (9.3, 9.6) wants every request
 * up to the closing one answered. This handler, placed before Reactor Netty's traffic handler, marks such a
 * request as keep-alive with a private token ({@link #TOKEN}) so that Reactor Netty keeps serving; the
 * exchange of that request restores its {@code Connection} header for the handler and answers it with
 * {@code Connection: close}, and Reactor Netty closes the connection after that response.
 */
@ChannelHandler.Sharable
final class CloseAfterResponse extends ChannelInboundHandlerAdapter {

    /** The private token standing in for {@code close} in a marked request's {@code Connection} header. */
    static final String TOKEN = "x-concurrence-close";

    static final CloseAfterResponse INSTANCE = new CloseAfterResponse();

    private static final String NAME = "concurrence.closeAfterResponse";

    private CloseAfterResponse() {
    }

    /** Installs the handler before Reactor Netty's HTTP/1.1 traffic handler, if the pipeline has one. */
    static void install(ChannelPipeline pipeline) {
        if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null && pipeline.get(NAME) == null) {
            pipeline.addBefore(NettyPipeline.HttpTrafficHandler, NAME, INSTANCE);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()
                && !HttpUtil.isKeepAlive(request)) {
            HttpHeaders headers = request.headers();
            headers.set(HttpHeaderNames.CONNECTION, "keep-alive, " + TOKEN);
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Undoes the mark on a request before its handler sees it; returns whether the request asked to close
     * (its response must then close the connection).
     */
    static boolean restore(HttpHeaders headers, String version) {
        if (!headers.containsValue(HttpHeaderNames.CONNECTION, TOKEN, true)) {
            return false;
        }
        if (version.equals("HTTP/1.0")) {
            headers.remove(HttpHeaderNames.CONNECTION);
        } else {
            headers.set(HttpHeaderNames.CONNECTION, "close");
        }
        return true;
    }
}
