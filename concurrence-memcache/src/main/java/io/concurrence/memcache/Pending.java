package io.concurrence.memcache;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A request written to a connection, waiting for its response. The decoder completes it on the event
 * loop; the caller waits on {@link #response()} and may give up (timeout, kill) before it completes.
 */
final class Pending {

    final Response.Expect expect;
    /** The command, for messages: {@code "get user:1"}. */
    final String command;
    private final Sinks.One<Response> sink = Sinks.one();
    /** Set and read on the event loop only: whether a response (or failure) has been delivered. */
    boolean answered;

    Pending(Response.Expect expect, String command) {
        this.expect = expect;
        this.command = command;
    }

    Mono<Response> response() {
        return sink.asMono();
    }

    /** Delivers the response; a caller that gave up never sees it. Event loop only. */
    void complete(Response response) {
        answered = true;
        sink.tryEmitValue(response);
    }

    /** Fails the request. Event loop only. */
    void fail(Throwable error) {
        answered = true;
        sink.tryEmitError(error);
    }
}
