/**
 * Concurrence HTTP: a blocking-style HTTP/1.1 (and HTTP/2) server whose handlers run in tasklets, the web
 * layer (routing, filters, annotated controllers, JSON, static files, server-sent events), and a blocking
 * HTTP client; all on Reactor Netty.
 */
module io.concurrence.http {
    requires transitive io.concurrence;
    requires transitive io.concurrence.reactor;
    requires reactor.netty.http;
    requires reactor.netty.core;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.codec.http2;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires static transitive org.jspecify;
    requires org.slf4j;
    requires static tools.jackson.databind;
    requires static micrometer.core;

    exports io.concurrence.http;
    exports io.concurrence.web;
}
