/**
 * A memcache client for tasklets: {@link io.concurrence.memcache.MemcacheClient} speaks the memcached text
 * protocol over Reactor Netty TCP, pipelines concurrent requests on each connection, spreads keys over
 * several servers with libketama-compatible consistent hashing, and encodes values through a pluggable
 * {@link io.concurrence.memcache.MemcacheCodec}.
 *
 * <p>Unless otherwise specified, passing null throws {@link NullPointerException}. A request the server
 * refuses, a server that cannot be reached, or a protocol error throws
 * {@link io.concurrence.memcache.MemcacheException}; a deadline that passes throws
 * {@link io.concurrence.TimeoutException}; a killed tasklet's call throws {@link io.concurrence.TaskletExit}.
 */
@NullMarked
package io.concurrence.memcache;

import org.jspecify.annotations.NullMarked;
