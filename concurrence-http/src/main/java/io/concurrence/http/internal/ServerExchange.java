package io.concurrence.http.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.http.HttpStatusException;

/**
 * One request, from Reactor Netty's event loop to the handler's tasklet and back.
 *
 * <p>Reactor Netty calls the server's handle function on the event loop and subscribes to the publisher it
 * returns, this exchange; the request is complete for Reactor Netty when that publisher completes. On
 * subscription the exchange spawns the handler's tasklet (the one hop to a tasklet per request). The
 * tasklet runs the handler; status and headers stay in {@link ServerResponse} until the first bytes go
 * out. Sending is one task on the event loop (the one hop back): it writes the head and the body through
 * Reactor Netty, whose completion completes the exchange. A streamed body is a {@link BodyPublisher} that
 * the tasklet feeds as demand allows.
 *
 * <p>If the connection closes first, Reactor Netty cancels the exchange, which kills the tasklet: its
 * blocking calls (reading the body, writing, whatever it awaits) throw {@code TaskletExit}.
 */
final class ServerExchange extends Mono<Void> implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(ServerExchange.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("io.concurrence.http.access");

    private static final VarHandle FINISHED;

    static {
        try {
            FINISHED = MethodHandles.lookup().findVarHandle(ServerExchange.class, "finished", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ServerRuntime runtime;
    private final HttpServerRequest nettyRequest;
    private final HttpServerResponse nettyResponse;
    private final ServerRequest request;
    private final ServerResponse response;
    private final Channel channel;
    private final EventLoop loop;
    private final long started = System.nanoTime();
    /** Whether the client asked to close the connection after this response (see {@link CloseAfterResponse}). */
    private final boolean closeAfter;

    /** Reactor Netty's subscriber; set on the event loop before the tasklet starts. */
    private @Nullable CoreSubscriber<? super Void> actual;
    private volatile @Nullable Tasklet<Void> tasklet;
    private volatile boolean cancelled;
    /** Set once (CAS) when the exchange has ended, for the in-flight count. */
    private volatile boolean finished;
    /** Body bytes sent, for the access log; written by the tasklet before the send task. */
    private long bodyBytes;
    /**
     * The streamed body, if any, which counts its own bytes; written by the tasklet before the send task, read by
     * {@link #cancel()} (volatile: a cancel racing the send task sees it, or the send task sees the cancel).
     */
    private volatile @Nullable BodyPublisher streamedBody;

    private ServerExchange(ServerRuntime runtime, HttpServerRequest nettyRequest, HttpServerResponse nettyResponse,
                           ServerRequest request, Channel channel) {
        this.runtime = runtime;
        this.nettyRequest = nettyRequest;
        this.nettyResponse = nettyResponse;
        this.request = request;
        this.response = new ServerResponse(this);
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.closeAfter = CloseAfterResponse.restore(nettyRequest.requestHeaders(), nettyRequest.version().text());
    }

    /** Reactor Netty's handle function: the exchange, or a 400 for a request target that cannot be decoded. */
    static Publisher<Void> handle(ServerRuntime runtime, HttpServerRequest nettyRequest,
                                  HttpServerResponse nettyResponse) {
        ServerRequest request;
        try {
            request = new ServerRequest(nettyRequest, runtime.config());
        } catch (IllegalArgumentException e) {
            return runtime.reject(nettyResponse, 400, "Bad Request: " + e.getMessage());
        }
        Channel[] channel = new Channel[1];
        nettyResponse.withConnection(connection -> channel[0] = connection.channel());
        return new ServerExchange(runtime, nettyRequest, nettyResponse, request, channel[0]);
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> subscriber) {
        actual = subscriber;
        runtime.exchangeStarted(channel);
        subscriber.onSubscribe(this);
        Tasklet<Void> t = runtime.handlerThreads().spawn(loop, this::run);
        tasklet = t;
        if (cancelled) {
            t.kill();
        }
    }

    @Override
    public void request(long n) {
        // Mono<Void>: nothing to deliver but completion.
    }

    /** The connection closed (or the server stopped) before the response was done. */
    @Override
    public void cancel() {
        cancelled = true;
        Tasklet<Void> t = tasklet;
        if (t != null) {
            t.kill();
        }
        cancelBody();
        finish();
    }

    /**
     * Releases a handler waiting on the streamed body: once the exchange is cancelled or its send has failed,
     * Reactor Netty may never subscribe to the body nor cancel it, and the handler's next write, or its close
     * after a kill was already taken by another wait, would otherwise wait for ever.
     */
    private void cancelBody() {
        BodyPublisher body = streamedBody;
        if (body != null) {
            body.cancel();
        }
    }

    // ---- in the handler's tasklet ----

    private void run() {
        try {
            runtime.config().handler().handle(request, response);
            request.closeBody();
            response.finish();
        } catch (Throwable failure) {
            request.closeBody();
            fail(failure);
        }
    }

    private void fail(Throwable failure) {
        if (cancelled || isConnectionGone()) {
            LOG.debug("[{}] handler ended after the connection closed: {}", request.requestLine(), failure.toString());
            return;
        }
        if (request.bodyCut()) {
            LOG.debug("[{}] the request body was cut off; closing the connection: {}", request.requestLine(),
                    failure.toString());
            loop.execute(channel::close); // Reactor Netty closes it too: nothing can be answered on it
            return;
        }
        if (response.isStreaming()) {
            LOG.error("[{}] handler failed after the response had started; closing the connection",
                    request.requestLine(), failure);
            response.abort(failure);
            loop.execute(channel::close);
            return;
        }
        if (response.isCommitted()) {
            LOG.error("[{}] handler failed after sending its response", request.requestLine(), failure);
            return;
        }
        if (failure instanceof HttpStatusException status) {
            if (status.status() >= 500) {
                LOG.error("[{}] handler answered {}", request.requestLine(), status.status(), status);
            }
            response.sendError(status.status(), String.valueOf(status.getMessage()));
        } else if (failure instanceof TaskletExit) {
            response.sendError(503, "Service Unavailable");
        } else {
            LOG.error("[{}] handler failed", request.requestLine(), failure);
            response.sendError(500, "Internal Server Error");
        }
    }

    /**
     * Whether the client went away before {@link #cancel()} reached us: Reactor Netty cancels a streamed body
     * as the connection closes, and the handler's next write fails with "closed" before the exchange itself
     * is cancelled. Nothing can be answered then, so it is no server error.
     */
    private boolean isConnectionGone() {
        BodyPublisher body = streamedBody;
        return (body != null && body.isCancelled()) || !channel.isActive();
    }

    /** Sends the head and the whole body in one task on the event loop. */
    void sendWhole(int status, HttpHeaders headers, byte[] body) {
        bodyBytes = body.length;
        loop.execute(() -> {
            if (cancelled || answeredAlready()) {
                return;
            }
            // RFC 9110 8.6: a 304 has no body, and a Content-Length in it would have to be the 200's length.
            if (status != 304) {
                headers.set(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            }
            applyHead(status, headers);
            Mono<Void> sent = body.length == 0 || isHead()
                    ? nettyResponse.send()
                    : nettyResponse.sendObject(Unpooled.wrappedBuffer(body)).then();
            sent.subscribe(new Completion(status));
        });
    }

    /** Sends the head, then streams the body the tasklet feeds into the returned publisher. */
    BodyPublisher startStream(int status, HttpHeaders headers) {
        BodyPublisher body = new BodyPublisher(String.valueOf(request.remoteAddress()));
        streamedBody = body;
        loop.execute(() -> {
            if (cancelled || answeredAlready()) {
                body.cancel();
                return;
            }
            applyHead(status, headers);
            if (isHead()) {
                body.subscribe(new Discarding());
                nettyResponse.send().subscribe(new Completion(status));
            } else {
                nettyResponse.send(body).then().subscribe(new Completion(status));
            }
        });
        return body;
    }

    ByteBufAllocator allocator() {
        return channel.alloc();
    }

    // ---- on the event loop ----

    private void applyHead(int status, HttpHeaders headers) {
        nettyResponse.status(status);
        // Added to Reactor Netty's own headers (which start with Transfer-Encoding: chunked), not replacing them.
        HttpHeaders out = nettyResponse.responseHeaders();
        out.add(headers);
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            out.remove(HttpHeaderNames.TRANSFER_ENCODING);
        } else if (nettyRequest.version().equals(HttpVersion.HTTP_1_0)) {
            // An HTTP/1.0 client does not know chunked (RFC 9112 6.1): the body ends when the connection closes.
            out.remove(HttpHeaderNames.TRANSFER_ENCODING);
            nettyResponse.keepAlive(false);
        }
        nettyResponse.header(HttpHeaderNames.DATE, HttpDate.now());
        nettyResponse.header(HttpHeaderNames.SERVER, runtime.config().serverHeader());
        if (closeAfter || runtime.isStopping()) {
            nettyResponse.keepAlive(false);
        } else if (nettyRequest.version().equals(HttpVersion.HTTP_1_0)
                && out.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            // An HTTP/1.0 client that asked for keep-alive (closeAfter otherwise) needs it confirmed with
            // Connection: keep-alive; without it, Reactor Netty takes the response as the last one and closes.
            // Set as a header: keepAlive(true) applies HTTP/1.1 rules to Reactor Netty's response and drops it.
            nettyResponse.header(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /**
     * Whether Reactor Netty has answered this request itself: its decoder failed within the body (a bad chunk,
     * a chunk line over the limit) after the handler had started, and it sent a 400 (or 414) and is closing
     * the connection. Nothing more can be sent; the exchange ends here rather than failing on the event loop.
     */
    private boolean answeredAlready() {
        if (!nettyResponse.hasSentHeaders()) {
            return false;
        }
        LOG.debug("[{}] the request was answered by the decoder (its body was malformed); the handler's response"
                + " is dropped", request.requestLine());
        finish();
        channel.close();
        return true;
    }

    private boolean isHead() {
        return nettyRequest.method().equals(HttpMethod.HEAD);
    }

    private void finish() {
        if (FINISHED.compareAndSet(this, false, true)) {
            runtime.exchangeFinished(channel);
        }
    }

    private void record(int status, @Nullable Throwable error) {
        long nanos = System.nanoTime() - started;
        runtime.metrics().requestCompleted(request.method(), status, nanos);
        if (runtime.config().accessLog() && ACCESS.isInfoEnabled()) {
            BodyPublisher streamed = streamedBody;
            long bytes = streamed != null ? streamed.emitted() : bodyBytes;
            ACCESS.info("{} \"{}\" {} {} {}ms{}", request.remoteAddress(), request.requestLine(), status, bytes,
                    nanos / 1_000_000, error == null ? "" : " " + error);
        }
    }

    /** Completes the exchange once Reactor Netty has written the response. */
    private final class Completion implements CoreSubscriber<Void> {
        private final int status;

        Completion(int status) {
            this.status = status;
        }

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Void unused) {
            // none
        }

        @Override
        public void onError(Throwable error) {
            record(status, error);
            cancelBody();
            finish();
            CoreSubscriber<? super Void> a = actual;
            if (a != null) {
                a.onError(error);
            }
        }

        @Override
        public void onComplete() {
            record(status, null);
            finish();
            CoreSubscriber<? super Void> a = actual;
            if (a != null) {
                a.onComplete();
            }
        }
    }

    /** Swallows the body of a response to HEAD. */
    private static final class Discarding implements CoreSubscriber<ByteBuf> {
        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuf buf) {
            buf.release();
        }

        @Override
        public void onError(Throwable error) {
            // nothing was to be sent
        }

        @Override
        public void onComplete() {
            // nothing was to be sent
        }
    }
}
