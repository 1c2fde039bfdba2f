/**
 * Concurrence Memcache: a memcache client with Ketama consistent hashing, on Reactor Netty TCP, with a
 * blocking API for tasklets ({@link io.concurrence.memcache.MemcacheClient}).
 */
module io.concurrence.memcache {
    requires transitive io.concurrence;
    requires io.concurrence.reactor;
    requires reactor.core;
    requires org.reactivestreams;
    requires reactor.netty.core;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.codec;
    requires org.slf4j;
    requires tools.jackson.databind;
    requires static org.jspecify;

    exports io.concurrence.memcache;
}
