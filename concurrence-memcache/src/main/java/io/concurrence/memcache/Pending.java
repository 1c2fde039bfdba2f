package io.concurrence.memcache;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A request written to a connection, waiting for its response. The decoder completes it on the event
 * loop; the caller waits on {@link #response()} and may give up (timeout, kill) before it completes.
 */
class Pending {

    final Response.Expect expect;
    /** The command, for messages: {@code "get user:1"}. */
    final String command;
    /**
     * The key of a single-key {@code get}, which the connection may merge with the single-key gets queued beside
     * it into one multi-key {@code get}; null for any other request.
     */
    final @Nullable String mergeKey;
    private final Sinks.One<Response> sink = Sinks.one();
    /** Set and read on the event loop only: whether a response (or failure) has been delivered. */
    boolean answered;

    Pending(Response.Expect expect, String command) {
        this(expect, command, null);
    }

    Pending(Response.Expect expect, String command, @Nullable String mergeKey) {
        this.expect = expect;
        this.command = command;
        this.mergeKey = mergeKey;
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
