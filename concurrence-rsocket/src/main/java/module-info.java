/**
 * Concurrence remoting: message passing between tasklets in different processes, over RSocket.
 *
 * <p>Messages are encoded with Jackson: the records a codec allows must be readable by
 * {@code tools.jackson.databind} by reflection, so a module that declares message records opens their
 * package to it ({@code opens com.example.proto to tools.jackson.databind;}).
 */
module io.concurrence.rsocket {
    requires transitive io.concurrence;
    requires io.concurrence.reactor;
    requires reactor.core;
    requires org.reactivestreams;
    requires rsocket.core;
    requires rsocket.transport.netty;
    requires reactor.netty.core;
    requires reactor.netty.http;
    requires io.netty.buffer;
    requires io.netty.handler;
    requires io.netty.transport;
    requires org.slf4j;
    requires tools.jackson.databind;
    requires tools.jackson.dataformat.cbor;
    requires static org.jspecify;
    requires static micrometer.core;

    exports io.concurrence.remote;
}
