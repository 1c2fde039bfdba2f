package io.concurrence.http.internal;

import org.reactivestreams.Publisher;

import io.netty.channel.ChannelPipeline;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** The server's entry point into this package: Reactor Netty's handle function. */
public final class Exchanges {

    private Exchanges() {
    }

    /** Adds the server's own handlers to a new connection's pipeline. */
    public static void initChannel(ServerRuntime runtime, ChannelPipeline pipeline) {
        if (AfterAlpn.install(runtime, pipeline)) {
            return; // TLS with ALPN: the HTTP/1.1 pipeline, if chosen, is built after the handshake
        }
        runtime.closeAfterResponse().install(pipeline);
        HeadTimeout.install(runtime, pipeline.channel());
    }

    /** Handles one request: the exchange that runs the handler in a tasklet (see {@link ServerExchange}). */
    public static Publisher<Void> handle(ServerRuntime runtime, HttpServerRequest request,
            HttpServerResponse response) {
        return ServerExchange.handle(runtime, request, response);
    }
}
