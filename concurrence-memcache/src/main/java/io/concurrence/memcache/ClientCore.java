package io.concurrence.memcache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Mono;

import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.internal.Deadlines;
import io.concurrence.reactor.internal.MonoAwaiter;
import io.concurrence.reactor.internal.NettyFutures;

/**
 * The servers, the continuum and the request/response round trip, shared by a client and its views
 * ({@link MemcacheClient#withCodec}, {@link MemcacheClient#withTimeout}).
 */
final class ClientCore {

    private static final byte[] CRLF = {'\r', '\n'};

    final List<ServerNode> nodes;
    final ClientConfig config;
    private final @Nullable Ketama ketama;
    /** Written once by close() (any thread). */
    private volatile boolean closed;

    ClientCore(List<ServerNode> nodes, ClientConfig config) {
        this.nodes = List.copyOf(nodes);
        this.config = config;
        if (nodes.size() == 1) {
            this.ketama = null;
        } else {
            int[] weights = nodes.stream().mapToInt(n -> n.weight).toArray();
            this.ketama = new Ketama(nodes.stream().map(n -> n.name).toList(), weights);
        }
    }

    /** The server for a key (checked UTF-8 bytes): its Ketama point, or the next live one with failover. */
    ServerNode route(byte[] key) {
        if (ketama == null) {
            return nodes.get(0);
        }
        long hash = Ketama.hash(key);
        int primary = ketama.server(hash);
        if (config.failover() && nodes.get(primary).isDead()) {
            int live = ketama.server(hash, i -> !nodes.get(i).isDead());
            if (live >= 0) {
                return nodes.get(live);
            }
        }
        return nodes.get(primary);
    }

    /** A request on its way: the connection it went to, and its pending response. */
    record Sent(MemcacheConnection connection, Pending pending, Mono<Response> response) {
    }

    /** Writes one request to {@code node} (connecting if needed) without waiting for the response. */
    Sent send(ServerNode node, Response.Expect expect, String command, byte[] header, byte @Nullable [] data,
              long deadline) {
        return send(node, expect, command, header, data, null, deadline);
    }

    /**
     * Like {@link #send(ServerNode, Response.Expect, String, byte[], byte[], long)}; a single-key get gives its
     * {@code mergeKey}, so that the connection may merge it with the gets queued beside it.
     */
    Sent send(ServerNode node, Response.Expect expect, String command, byte[] header, byte @Nullable [] data,
              @Nullable String mergeKey, long deadline) {
        checkOpen(command);
        MemcacheConnection c = node.connection(deadline, command);
        ByteBuf buf = encode(c, header, data);
        Pending pending = new Pending(expect, command + " on " + node.name, mergeKey);
        return new Sent(c, pending, c.send(buf, pending));
    }

    /** Sends one request and waits for its response. */
    Response call(ServerNode node, Response.Expect expect, String command, byte[] header, byte @Nullable [] data,
                  long deadline) {
        return await(send(node, expect, command, header, data, deadline), deadline);
    }

    /** Waits for a sent request's response; on timeout or kill, lets the connection drop it when it comes. */
    Response await(Sent sent, long deadline) {
        try {
            Response r = await(sent.response(), deadline, "memcache " + sent.pending().command);
            if (r == null) {
                throw new MemcacheException("memcache " + sent.pending().command + " completed without a response");
            }
            return r;
        } catch (TimeoutException | TaskletExit e) {
            abandon(sent);
            throw e;
        }
    }

    /** The caller will not wait for {@code sent}: the connection reads and drops its response. */
    void abandon(Sent sent) {
        Duration grace = config.operationTimeout().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : config.operationTimeout();
        sent.connection().abandoned(sent.pending(), grace);
    }

    /** Writes a noreply request and waits until it is written. */
    void sendNoReply(ServerNode node, String command, byte[] header, byte @Nullable [] data, long deadline) {
        checkOpen(command);
        MemcacheConnection c = node.connection(deadline, command);
        Throwable failure = NettyFutures.await(c.sendNoReply(encode(c, header, data), command), deadline,
                timeoutFor(deadline), "memcache " + command + " on " + node.name);
        if (failure != null) {
            throw failure instanceof MemcacheException m ? m
                    : new MemcacheException("could not write " + command + " to memcache server " + node.name
                            + ": " + failure, failure);
        }
    }

    /** Sends a request to every server (pipelined), then collects the responses by server name. */
    Map<String, Response> callAll(Response.Expect expect, String command, long deadline) {
        byte[] header = ascii(command);
        List<Sent> sent = new ArrayList<>();
        Map<String, Response> out = new LinkedHashMap<>();
        try {
            for (ServerNode node : nodes) {
                sent.add(send(node, expect, command, header, null, deadline));
            }
            for (int i = 0; i < sent.size(); i++) {
                out.put(nodes.get(i).name, await(sent.get(i), deadline));
            }
        } catch (RuntimeException | Error e) {
            sent.subList(out.size(), sent.size()).forEach(this::abandon);
            throw e;
        }
        return out;
    }

    /** The deadline of an operation starting now: the client's timeout, or the ambient one if tighter. */
    long deadline() {
        return Deadlines.effective(config.operationTimeout());
    }

    static <T> @Nullable T await(Mono<T> mono, long deadline, String operation) {
        return MonoAwaiter.await(mono, timeoutFor(deadline), operation);
    }

    /** The timeout to pass to the bridge for {@code deadline}: null when the ambient Timeout governs. */
    private static @Nullable Duration timeoutFor(long deadline) {
        if (deadline == Deadlines.NONE || deadline == Deadlines.ambient()) {
            return null;
        }
        return Duration.ofNanos(Math.max(0, Deadlines.remainingNanos(deadline)));
    }

    private static ByteBuf encode(MemcacheConnection c, byte[] header, byte @Nullable [] data) {
        int size = header.length + 2 + (data == null ? 0 : data.length + 2);
        ByteBuf buf = c.buffer(size);
        buf.writeBytes(header).writeBytes(CRLF);
        if (data != null) {
            buf.writeBytes(data).writeBytes(CRLF);
        }
        return buf;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void checkOpen(String command) {
        if (closed) {
            throw new IllegalStateException("MemcacheClient is closed; " + command + " refused");
        }
    }

    void close() {
        closed = true;
        nodes.forEach(ServerNode::close);
    }
}
