package io.concurrence.http.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
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
 *
 * <p>It also answers a request of an HTTP major version other than 1 (say {@code HTTP/9.9}, which Netty's
 * decoder accepts) with {@code 505 HTTP Version Not Supported} in HTTP/1.1 and closes the connection, before
 * Reactor Netty would answer it in that version (RFC 9110 15.6.6); and a request with a transfer coding
 * other than {@code chunked} alone (say {@code gzip, chunked}, which the decoder frames by its final
 * {@code chunked}) with {@code 501 Not Implemented} (RFC 9112 6.1); and one without a single valid
 * {@code Host} with {@code 400} ({@link HostHeader}).
 */
@ChannelHandler.Sharable
final class CloseAfterResponse extends ChannelInboundHandlerAdapter {

    /** The private token standing in for {@code close} in a marked request's {@code Connection} header. */
    static final String TOKEN = "x-concurrence-close";

    private static final String NAME = "concurrence.closeAfterResponse";

    private final String serverHeader;

    private CloseAfterResponse(String serverHeader) {
        this.serverHeader = serverHeader;
    }

    /** The handler for a server whose responses carry {@code serverHeader}; one per server, shared by its channels. */
    static CloseAfterResponse create(String serverHeader) {
        return new CloseAfterResponse(serverHeader);
    }

    /** Installs this handler before Reactor Netty's HTTP/1.1 traffic handler, if the pipeline has one. */
    void install(ChannelPipeline pipeline) {
        if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null && pipeline.get(NAME) == null) {
            pipeline.addBefore(NettyPipeline.HttpTrafficHandler, NAME, this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest || msg instanceof LastHttpContent) {
            HeadTimeout headTimeout = HeadTimeout.of(ctx.channel());
            if (headTimeout != null) {
                if (msg instanceof HttpRequest) {
                    headTimeout.headArrived();
                }
                if (msg instanceof LastHttpContent) {
                    headTimeout.requestEnded();
                }
            }
        }
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            if (request.protocolVersion().majorVersion() != 1) {
                String version = request.protocolVersion().text();
                refuse(ctx, request, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP Version Not Supported: "
                        + version + "; this server speaks HTTP/1.0 and HTTP/1.1");
                return;
            }
            String hostProblem = HostHeader.problem(request);
            if (hostProblem != null) {
                refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, "Bad Request: " + hostProblem);
                return;
            }
            String coding = request.headers().get(HttpHeaderNames.TRANSFER_ENCODING);
            if (coding != null && !coding.trim().equalsIgnoreCase("chunked")) {
                // Netty's decoder frames "gzip, chunked" by its final chunked and would hand the handler a body
                // still gzip-coded; RFC 9112 6.1: a transfer coding the server does not understand gets 501.
                refuse(ctx, request, HttpResponseStatus.NOT_IMPLEMENTED, "Not Implemented: Transfer-Encoding '"
                        + coding + "'; this server decodes chunked only");
                return;
            }
            if (!HttpUtil.isKeepAlive(request)) {
                HttpHeaders headers = request.headers();
                headers.set(HttpHeaderNames.CONNECTION, "keep-alive, " + TOKEN);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Answers {@code status} and closes; what else the connection sends is dropped. */
    private void refuse(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String message) {
        ReferenceCountUtil.release(request);
        ctx.pipeline().replace(this, NAME, Discard.INSTANCE);
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.DATE, HttpDate.now())
                .set(HttpHeaderNames.SERVER, serverHeader);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** Drops what a refused connection still sends until it closes. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        static final Discard INSTANCE = new Discard();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
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
