/**
 * The bridge between tasklets and Reactor: {@link io.concurrence.reactor.Await} (the one place a tasklet
 * waits on a publisher), {@link io.concurrence.reactor.Reactive} (interop for Reactor code), and blocking
 * TCP sockets on Reactor Netty ({@code io.concurrence.net}).
 */
@SuppressWarnings("module") // the qualified export names sibling modules compiled later
module io.concurrence.reactor {
    requires transitive io.concurrence;
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    requires reactor.netty.core;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.handler;
    requires static transitive org.jspecify;
    requires org.slf4j;

    exports io.concurrence.reactor;
    exports io.concurrence.net;
    exports io.concurrence.reactor.internal to
            io.concurrence.http,
            io.concurrence.db,
            io.concurrence.rsocket,
            io.concurrence.memcache,
            io.concurrence.spring;
}
