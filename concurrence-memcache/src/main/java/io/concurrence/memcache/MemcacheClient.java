package io.concurrence.memcache;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;

/**
 * A memcache client for tasklets: the memcached text protocol over Reactor Netty TCP, keys spread over
 * servers with libketama-compatible consistent hashing, values through a {@link MemcacheCodec}.
 * <pre>{@code
 * try (MemcacheClient<String> cache = MemcacheClient.builder()
 *         .server("10.0.0.1:11211").server("10.0.0.2:11211", 2)
 *         .codec(MemcacheCodec.utf8())
 *         .build()) {
 *     cache.set("greeting", "hello", Duration.ofMinutes(5));
 *     Optional<String> hit = cache.get("greeting");
 * }
 * }</pre>
 *
 * <h2>Results</h2>
 * A miss is an empty {@link Optional} (or a key absent from a multi-get's map). Storage commands return
 * whether the server stored the value ({@code STORED} vs {@code NOT_STORED}); {@code delete} and
 * {@code touch} whether the key existed; {@code incr}/{@code decr} the new value as an unsigned 64-bit
 * number (wrapping at 2^64 on incr, stopping at 0 on decr, as memcached does), or empty for a missing key.
 * An error answer ({@code ERROR}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}), a lost connection or a dead
 * server throws {@link MemcacheException} naming the server and the command.
 *
 * <h2>Connections</h2>
 * Each server gets {@link Builder#connectionsPerServer(int)} connections (default 1), opened lazily and
 * shared by every caller: concurrent requests are pipelined, written in order and answered in order. A
 * failed connect or a broken connection marks the server dead for a retry interval that doubles with each
 * consecutive failure; meanwhile its keys fail at once with a {@link MemcacheException} naming it, or, with
 * {@link Builder#failover(boolean)}, go to the next live server on the continuum.
 *
 * <h2>Timeouts and kill</h2>
 * Every blocking call waits at most the client's {@linkplain Builder#operationTimeout(Duration) operation
 * timeout} (default 2.5 s; {@link #withTimeout(Duration)} gives a view with another) or the ambient
 * {@link io.concurrence.Timeout}, whichever is tighter, connecting included, and then throws
 * {@link TimeoutException}. A killed tasklet's call throws {@link TaskletExit}. Either way the request's
 * response is still read, and dropped, so the connection stays in step; if the server does not answer
 * within a further operation timeout (at least 1 s), the connection is closed and the server marked dead.
 *
 * <h2>Keys and values</h2>
 * Keys are 1 to 250 bytes of UTF-8 without spaces or control characters; others throw
 * {@link IllegalArgumentException} naming the key and the rule, before anything is sent. So do values
 * larger than {@link Builder#maxItemSize(int)} (default 1 MiB) once encoded and compressed. Values at or
 * above {@link Builder#compressionThreshold(int)} (default 16 KiB) are deflated when that makes them
 * smaller, and flagged {@link MemcacheCodec#COMPRESSED}; appended and prepended data is never compressed.
 *
 * <h2>Expiry</h2>
 * An expiry of {@link Duration#ZERO} means "never expires"; up to 30 days it is sent as seconds (rounded
 * up), beyond that as an absolute Unix time, as the protocol requires. Negative expiries are refused.
 *
 * <h2>Threads</h2>
 * Thread-safe: share one client among all tasklets. Methods block, so call them from tasklets or other
 * threads that may block, never on an event loop (they throw {@link IllegalStateException} there).
 *
 * @param <V> the type of the values, set by the codec
 * @since 0.1
 */
public final class MemcacheClient<V> implements AutoCloseable {

    private static final long THIRTY_DAYS = 30L * 24 * 3600;

    private final ClientCore core;
    private final ClientConfig config;
    private final MemcacheCodec<V> codec;
    private final boolean owner;

    private MemcacheClient(ClientCore core, ClientConfig config, MemcacheCodec<V> codec, boolean owner) {
        this.core = core;
        this.config = config;
        this.codec = codec;
        this.owner = owner;
    }

    /**
     * A builder for a client with the {@linkplain MemcacheCodec#bytes() bytes} codec, until
     * {@link Builder#codec(MemcacheCodec)} sets another.
     *
     * @return a new builder
     */
    public static Builder<byte[]> builder() {
        return new Builder<>(MemcacheCodec.bytes());
    }

    /**
     * A view of this client (same servers and connections) with another codec. Closing the view closes
     * nothing; close the client it came from.
     *
     * @param codec the codec of the view
     * @param <W> the type of the view's values
     * @return the view
     */
    public <W> MemcacheClient<W> withCodec(MemcacheCodec<W> codec) {
        return new MemcacheClient<>(core, config, Objects.requireNonNull(codec, "codec"), false);
    }

    /**
     * A view of this client (same servers and connections) whose calls wait at most {@code timeout}.
     * Closing the view closes nothing.
     *
     * @param timeout the operation timeout of the view
     * @return the view
     */
    public MemcacheClient<V> withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return new MemcacheClient<>(core, config.withOperationTimeout(timeout), codec, false);
    }

    // ---- retrieval ----

    /**
     * Blocks until the server answers, and returns the value of {@code key}. See the class Javadoc for
     * timeouts, kill and threads.
     *
     * @param key the key
     * @return the value, or empty on a miss
     * @throws IllegalArgumentException if the key breaks the protocol's rules
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public Optional<V> get(String key) {
        Objects.requireNonNull(key, "key");
        ServerNode node = core.route(Keys.check(key));
        long deadline = core.deadline();
        String command = "get " + key;
        // One key: no grouping, and a request the connection may merge with the gets queued beside it.
        ClientCore.Sent sent = core.send(node, Response.Expect.VALUES, command, ClientCore.ascii(command), null, key,
                deadline);
        Response r = core.await(sent, deadline);
        if (!(r instanceof Response.Values values)) {
            throw unexpected(sent, r);
        }
        for (Response.Item item : values.items()) {
            if (item.key().equals(key)) {
                return Optional.of(decode(item));
            }
        }
        return Optional.empty();
    }

    /**
     * Blocks until the server answers, and returns the value of {@code key} with its CAS unique.
     *
     * @param key the key
     * @return the value and its CAS unique, or empty on a miss
     * @throws IllegalArgumentException if the key breaks the protocol's rules
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public Optional<CasValue<V>> gets(String key) {
        return Optional.ofNullable(getsMulti(List.of(key)).get(key));
    }

    /**
     * Blocks until every server concerned answers, and returns the values found: the keys are grouped by
     * server, one multi-key {@code get} goes to each (all written before any answer is awaited), and the
     * results are merged.
     *
     * @param keys the keys (duplicates are fetched once)
     * @return the hits, by key, in the order of {@code keys}; misses are absent
     * @throws IllegalArgumentException if a key breaks the protocol's rules (nothing is sent)
     * @throws MemcacheException if a server concerned answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public Map<String, V> getMulti(Collection<String> keys) {
        Map<String, V> out = new LinkedHashMap<>();
        fetch("get", keys).forEach((k, item) -> out.put(k, decode(item)));
        return out;
    }

    /**
     * Like {@link #getMulti(Collection)}, with each value's CAS unique ({@code gets}).
     *
     * @param keys the keys
     * @return the hits with their CAS uniques, by key; misses are absent
     * @throws IllegalArgumentException if a key breaks the protocol's rules (nothing is sent)
     * @throws MemcacheException if a server concerned answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public Map<String, CasValue<V>> getsMulti(Collection<String> keys) {
        Map<String, CasValue<V>> out = new LinkedHashMap<>();
        fetch("gets", keys).forEach((k, item) -> out.put(k, new CasValue<>(decode(item), item.cas())));
        return out;
    }

    private Map<String, Response.Item> fetch(String verb, Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        Map<ServerNode, List<String>> groups = new LinkedHashMap<>();
        for (String key : new LinkedHashSet<>(keys)) {
            Objects.requireNonNull(key, "key");
            groups.computeIfAbsent(core.route(Keys.check(key)), n -> new ArrayList<>()).add(key);
        }
        long deadline = core.deadline();
        List<ClientCore.Sent> sent = new ArrayList<>();
        Map<String, Response.Item> found = new HashMap<>();
        int awaited = 0;
        try {
            for (Map.Entry<ServerNode, List<String>> group : groups.entrySet()) {
                String command = verb + " " + String.join(" ", group.getValue());
                List<String> groupKeys = group.getValue();
                String mergeKey = verb.equals("get") && groupKeys.size() == 1 ? groupKeys.get(0) : null;
                sent.add(core.send(group.getKey(), Response.Expect.VALUES, describe(verb, groupKeys),
                        ClientCore.ascii(command), null, mergeKey, deadline));
            }
            for (ClientCore.Sent s : sent) {
                Response r = core.await(s, deadline);
                awaited++;
                if (!(r instanceof Response.Values values)) {
                    throw unexpected(s, r);
                }
                values.items().forEach(item -> found.put(item.key(), item));
            }
        } catch (RuntimeException | Error e) {
            sent.subList(awaited, sent.size()).forEach(core::abandon);
            throw e;
        }
        Map<String, Response.Item> out = new LinkedHashMap<>();
        for (String key : keys) {
            Response.Item item = found.get(key);
            if (item != null) {
                out.put(key, item);
            }
        }
        return out;
    }

    private static String describe(String verb, List<String> keys) {
        return keys.size() == 1 ? verb + " " + keys.get(0) : verb + " of " + keys.size() + " keys";
    }

    // ---- storage ----

    /**
     * Stores {@code value} under {@code key}, never expiring. Blocks until the server answers.
     *
     * @param key the key
     * @param value the value
     * @return whether it was stored
     * @throws IllegalArgumentException if the key breaks the protocol's rules or the value is too large
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public boolean set(String key, V value) {
        return store("set", key, value, Duration.ZERO);
    }

    /**
     * Stores {@code value} under {@code key}, expiring after {@code expiry}. Blocks until the server answers.
     *
     * @param key the key
     * @param value the value
     * @param expiry how long the item lives ({@link Duration#ZERO}: forever)
     * @return whether it was stored
     * @throws IllegalArgumentException if the key breaks the protocol's rules, the value is too large or the
     *         expiry negative
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public boolean set(String key, V value, Duration expiry) {
        return store("set", key, value, expiry);
    }

    /**
     * Stores {@code value} only if {@code key} does not exist. Like {@link #set(String, Object, Duration)}.
     *
     * @param key the key
     * @param value the value
     * @param expiry how long the item lives ({@link Duration#ZERO}: forever)
     * @return whether it was stored (false: the key exists)
     * @throws IllegalArgumentException if the key, value or expiry is refused
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public boolean add(String key, V value, Duration expiry) {
        return store("add", key, value, expiry);
    }

    /**
     * Stores {@code value} only if {@code key} exists. Like {@link #set(String, Object, Duration)}.
     *
     * @param key the key
     * @param value the value
     * @param expiry how long the item lives ({@link Duration#ZERO}: forever)
     * @return whether it was stored (false: the key does not exist)
     * @throws IllegalArgumentException if the key, value or expiry is refused
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public boolean replace(String key, V value, Duration expiry) {
        return store("replace", key, value, expiry);
    }

    /**
     * Appends the encoded {@code value} (never compressed) to the data of an existing item; the item keeps its
     * flags and expiry. Meaningful for codecs whose encodings concatenate ({@code bytes}, {@code utf8}).
     *
     * @param key the key
     * @param value the value to append
     * @return whether it was stored (false: the key does not exist)
     * @throws IllegalArgumentException if the key or value is refused
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public boolean append(String key, V value) {
        return store("append", key, value, Duration.ZERO);
    }

    /**
     * Prepends the encoded {@code value} (never compressed) to the data of an existing item. Like
     * {@link #append(String, Object)}.
     *
     * @param key the key
     * @param value the value to prepend
     * @return whether it was stored (false: the key does not exist)
     * @throws IllegalArgumentException if the key or value is refused
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public boolean prepend(String key, V value) {
        return store("prepend", key, value, Duration.ZERO);
    }

    /**
     * Stores {@code value} only if the item is unchanged since the {@code gets} that returned {@code cas}.
     *
     * @param key the key
     * @param value the value
     * @param cas the CAS unique from {@link #gets(String)}
     * @return STORED, EXISTS (changed since) or NOT_FOUND
     * @throws IllegalArgumentException if the key or value is refused
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public CasResult cas(String key, V value, long cas) {
        return cas(key, value, cas, Duration.ZERO);
    }

    /**
     * Like {@link #cas(String, Object, long)}, with an expiry.
     *
     * @param key the key
     * @param value the value
     * @param cas the CAS unique from {@link #gets(String)}
     * @param expiry how long the item lives ({@link Duration#ZERO}: forever)
     * @return STORED, EXISTS (changed since) or NOT_FOUND
     * @throws IllegalArgumentException if the key, value or expiry is refused
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public CasResult cas(String key, V value, long cas, Duration expiry) {
        String line = storeLine("cas", key, value, expiry, " " + Long.toUnsignedString(cas), false);
        return switch (line) {
            case "STORED" -> CasResult.STORED;
            case "EXISTS" -> CasResult.EXISTS;
            case "NOT_FOUND" -> CasResult.NOT_FOUND;
            default -> throw new MemcacheException("memcache cas " + key + ": unexpected answer \"" + line
                    + "\"; expected STORED, EXISTS or NOT_FOUND");
        };
    }

    // ---- noreply storage ----

    /**
     * Sends {@code set} with {@code noreply}: blocks only until the request is written. The server sends
     * no answer, so a refusal goes unnoticed.
     *
     * @param key the key
     * @param value the value
     * @param expiry how long the item lives ({@link Duration#ZERO}: forever)
     * @throws IllegalArgumentException if the key, value or expiry is refused
     * @throws MemcacheException if the server is unreachable or dead, or the write fails
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void setNoReply(String key, V value, Duration expiry) {
        storeNoReply("set", key, value, expiry);
    }

    /**
     * Sends {@code add} with {@code noreply}. Like {@link #setNoReply}.
     *
     * @param key the key
     * @param value the value
     * @param expiry how long the item lives ({@link Duration#ZERO}: forever)
     * @throws IllegalArgumentException if the key, value or expiry is refused
     * @throws MemcacheException if the server is unreachable or dead, or the write fails
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void addNoReply(String key, V value, Duration expiry) {
        storeNoReply("add", key, value, expiry);
    }

    /**
     * Sends {@code replace} with {@code noreply}. Like {@link #setNoReply}.
     *
     * @param key the key
     * @param value the value
     * @param expiry how long the item lives ({@link Duration#ZERO}: forever)
     * @throws IllegalArgumentException if the key, value or expiry is refused
     * @throws MemcacheException if the server is unreachable or dead, or the write fails
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void replaceNoReply(String key, V value, Duration expiry) {
        storeNoReply("replace", key, value, expiry);
    }

    /**
     * Sends {@code append} with {@code noreply}. Like {@link #setNoReply}.
     *
     * @param key the key
     * @param value the value to append
     * @throws IllegalArgumentException if the key or value is refused
     * @throws MemcacheException if the server is unreachable or dead, or the write fails
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void appendNoReply(String key, V value) {
        storeNoReply("append", key, value, Duration.ZERO);
    }

    /**
     * Sends {@code prepend} with {@code noreply}. Like {@link #setNoReply}.
     *
     * @param key the key
     * @param value the value to prepend
     * @throws IllegalArgumentException if the key or value is refused
     * @throws MemcacheException if the server is unreachable or dead, or the write fails
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void prependNoReply(String key, V value) {
        storeNoReply("prepend", key, value, Duration.ZERO);
    }

    /**
     * Sends {@code delete} with {@code noreply}. Like {@link #setNoReply}.
     *
     * @param key the key
     * @throws IllegalArgumentException if the key is refused
     * @throws MemcacheException if the server is unreachable or dead, or the write fails
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void deleteNoReply(String key) {
        byte[] k = Keys.check(Objects.requireNonNull(key, "key"));
        core.sendNoReply(core.route(k), "delete " + key, ClientCore.ascii("delete " + key + " noreply"), null,
                core.deadline());
    }

    // ---- other commands ----

    /**
     * Deletes {@code key}. Blocks until the server answers.
     *
     * @param key the key
     * @return whether the key existed
     * @throws IllegalArgumentException if the key is refused
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public boolean delete(String key) {
        return yesNo(key, "delete " + key, "DELETED");
    }

    /**
     * Sets a new expiry on {@code key} without fetching it. Blocks until the server answers.
     *
     * @param key the key
     * @param expiry how long the item lives from now ({@link Duration#ZERO}: forever)
     * @return whether the key existed
     * @throws IllegalArgumentException if the key or expiry is refused
     * @throws MemcacheException if the server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public boolean touch(String key, Duration expiry) {
        return yesNo(key, "touch " + key + " " + exptime(expiry), "TOUCHED");
    }

    /**
     * Adds {@code delta} to the decimal number stored at {@code key}, wrapping at 2^64.
     *
     * @param key the key
     * @param delta the amount, as an unsigned 64-bit number
     * @return the new value (unsigned 64-bit: print with {@link Long#toUnsignedString(long)}), or empty if the
     *         key does not exist
     * @throws IllegalArgumentException if the key is refused
     * @throws MemcacheException if the item is not a number, or the server is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public OptionalLong incr(String key, long delta) {
        return arithmetic("incr", key, delta);
    }

    /**
     * Subtracts {@code delta} from the decimal number stored at {@code key}, stopping at 0.
     *
     * @param key the key
     * @param delta the amount, as an unsigned 64-bit number
     * @return the new value (unsigned 64-bit), or empty if the key does not exist
     * @throws IllegalArgumentException if the key is refused
     * @throws MemcacheException if the item is not a number, or the server is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public OptionalLong decr(String key, long delta) {
        return arithmetic("decr", key, delta);
    }

    /**
     * Invalidates every item on every server. Blocks until all have answered.
     *
     * @throws MemcacheException if a server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void flushAll() {
        core.callAll(Response.Expect.LINE, "flush_all", core.deadline()).forEach((server, r) -> {
            if (!(r instanceof Response.Line(String line)) || !line.equals("OK")) {
                throw new MemcacheException("memcache server " + server + " answered " + r + " to flush_all;"
                        + " expected OK");
            }
        });
    }

    /**
     * The version of each server. Blocks until all have answered.
     *
     * @return the version by server ("host:port"), in the order the servers were configured
     * @throws MemcacheException if a server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public Map<String, String> version() {
        Map<String, String> out = new LinkedHashMap<>();
        core.callAll(Response.Expect.LINE, "version", core.deadline()).forEach((server, r) -> {
            if (!(r instanceof Response.Line(String line)) || !line.startsWith("VERSION ")) {
                throw new MemcacheException("memcache server " + server + " answered " + r + " to version;"
                        + " expected VERSION <version>");
            }
            out.put(server, line.substring("VERSION ".length()));
        });
        return out;
    }

    /**
     * The general statistics of each server ({@code stats}). Blocks until all have answered.
     *
     * @return the statistics (name to value) by server ("host:port")
     * @throws MemcacheException if a server answers with an error, or is unreachable or dead
     * @throws TimeoutException if the operation or ambient timeout passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public Map<String, Map<String, String>> stats() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        core.callAll(Response.Expect.STATS, "stats", core.deadline()).forEach((server, r) -> {
            if (!(r instanceof Response.Stats(Map<String, String> stats))) {
                throw new MemcacheException("memcache server " + server + " answered " + r + " to stats");
            }
            out.put(server, stats);
        });
        return out;
    }

    /**
     * The server {@code key} goes to now ("host:port"): its Ketama point, or with failover the next live
     * server. Does not block.
     *
     * @param key the key
     * @return the server's "host:port"
     * @throws IllegalArgumentException if the key breaks the protocol's rules
     */
    public String serverFor(String key) {
        return core.route(Keys.check(Objects.requireNonNull(key, "key"))).name;
    }

    /**
     * Closes every connection of this client; pending calls fail with {@link MemcacheException}, later calls
     * throw {@link IllegalStateException}. Idempotent. On a view ({@link #withCodec}, {@link #withTimeout})
     * it does nothing: the client that created the view owns the connections.
     */
    @Override
    public void close() {
        if (owner) {
            core.close();
        }
    }

    // ---- machinery ----

    private boolean store(String verb, String key, V value, Duration expiry) {
        String line = storeLine(verb, key, value, expiry, "", false);
        return switch (line) {
            case "STORED" -> true;
            case "NOT_STORED" -> false;
            default -> throw new MemcacheException("memcache " + verb + " " + key + ": unexpected answer \"" + line
                    + "\"; expected STORED or NOT_STORED");
        };
    }

    private String storeLine(String verb, String key, V value, Duration expiry, String extra, boolean noReply) {
        byte[] k = Keys.check(Objects.requireNonNull(key, "key"));
        Objects.requireNonNull(value, "value");
        long exptime = exptime(expiry);
        MemcacheCodec.Encoded encoded = encode(key, value, !verb.equals("append") && !verb.equals("prepend"));
        String header = verb + " " + key + " " + Integer.toUnsignedString(encoded.flags()) + " " + exptime + " "
                + encoded.data().length + extra + (noReply ? " noreply" : "");
        ServerNode node = core.route(k);
        if (noReply) {
            core.sendNoReply(node, verb + " " + key, ClientCore.ascii(header), encoded.data(), core.deadline());
            return "";
        }
        return line(core.call(node, Response.Expect.LINE, verb + " " + key, ClientCore.ascii(header),
                encoded.data(), core.deadline()), verb + " " + key);
    }

    private void storeNoReply(String verb, String key, V value, Duration expiry) {
        storeLine(verb, key, value, expiry, "", true);
    }

    private boolean yesNo(String key, String command, String yes) {
        byte[] k = Keys.check(Objects.requireNonNull(key, "key"));
        String verb = command.substring(0, command.indexOf(' '));
        String line = line(core.call(core.route(k), Response.Expect.LINE, verb + " " + key,
                ClientCore.ascii(command), null, core.deadline()), verb + " " + key);
        if (line.equals(yes)) {
            return true;
        }
        if (line.equals("NOT_FOUND")) {
            return false;
        }
        throw new MemcacheException("memcache " + verb + " " + key + ": unexpected answer \"" + line + "\"; expected "
                + yes + " or NOT_FOUND");
    }

    private OptionalLong arithmetic(String verb, String key, long delta) {
        byte[] k = Keys.check(Objects.requireNonNull(key, "key"));
        String command = verb + " " + key + " " + Long.toUnsignedString(delta);
        String line = line(core.call(core.route(k), Response.Expect.LINE, verb + " " + key,
                ClientCore.ascii(command), null, core.deadline()), verb + " " + key).trim();
        if (line.equals("NOT_FOUND")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(line));
        } catch (NumberFormatException e) {
            throw new MemcacheException("memcache " + verb + " " + key + ": unexpected answer \"" + line
                    + "\"; expected a number or NOT_FOUND", e);
        }
    }

    private static String line(Response r, String command) {
        if (r instanceof Response.Line(String line)) {
            return line;
        }
        throw new MemcacheException("memcache " + command + ": unexpected response " + r + "; expected one line");
    }

    private static MemcacheException unexpected(ClientCore.Sent s, @Nullable Response r) {
        return new MemcacheException("memcache " + s.pending().command + ": unexpected response " + r);
    }

    private MemcacheCodec.Encoded encode(String key, V value, boolean mayCompress) {
        MemcacheCodec.Encoded encoded = Objects.requireNonNull(codec.encode(value), "codec returned null");
        if ((encoded.flags() & MemcacheCodec.COMPRESSED) != 0) {
            throw new IllegalStateException("codec " + codec + " set flag bit " + MemcacheCodec.COMPRESSED
                    + " (MemcacheCodec.COMPRESSED), which the client reserves for compression");
        }
        byte[] data = encoded.data();
        int flags = encoded.flags();
        if (mayCompress && data.length >= config.compressionThreshold()) {
            byte[] deflated = Compression.deflate(data);
            if (deflated.length < data.length) {
                data = deflated;
                flags |= MemcacheCodec.COMPRESSED;
            }
        }
        if (data.length > config.maxItemSize()) {
            throw new IllegalArgumentException("memcache value for key \"" + key + "\" is " + data.length
                    + " bytes once encoded" + ((flags & MemcacheCodec.COMPRESSED) != 0 ? " and compressed" : "")
                    + "; the servers' item size limit is " + config.maxItemSize()
                    + " bytes (MemcacheClient.Builder.maxItemSize, memcached -I)");
        }
        return data == encoded.data() ? encoded : new MemcacheCodec.Encoded(data, flags);
    }

    private V decode(Response.Item item) {
        byte[] data = item.data();
        int flags = item.flags();
        if ((flags & MemcacheCodec.COMPRESSED) != 0) {
            data = Compression.inflate(data, item.key());
            flags &= ~MemcacheCodec.COMPRESSED;
        }
        return Objects.requireNonNull(codec.decode(data, flags), "codec returned null");
    }

    static long exptime(Duration expiry) {
        Objects.requireNonNull(expiry, "expiry");
        if (expiry.isNegative()) {
            throw new IllegalArgumentException("memcache expiry must be zero (never) or positive, was " + expiry);
        }
        if (expiry.isZero()) {
            return 0;
        }
        long seconds = expiry.getSeconds() + (expiry.getNano() > 0 ? 1 : 0);
        return seconds <= THIRTY_DAYS ? seconds : Instant.now().getEpochSecond() + seconds;
    }

    /**
     * Settings for a {@link MemcacheClient}. Not thread-safe; {@link #build()} snapshots it.
     *
     * @param <V> the type of the values, set by {@link #codec(MemcacheCodec)}
     * @since 0.1
     */
    public static final class Builder<V> {

        private final List<ServerNodeSpec> servers = new ArrayList<>();
        private MemcacheCodec<V> codec;
        private Duration operationTimeout = Duration.ofMillis(2500);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int connectionsPerServer = 1;
        private int compressionThreshold = 16 * 1024;
        private int maxItemSize = 1024 * 1024;
        private Duration retryInterval = Duration.ofSeconds(1);
        private Duration maxRetryInterval = Duration.ofSeconds(30);
        private boolean failover;

        private Builder(MemcacheCodec<V> codec) {
            this.codec = codec;
        }

        private record ServerNodeSpec(String host, int port, int weight) {
        }

        /**
         * Adds a server with weight 1.
         *
         * @param hostPort {@code "host:port"} ({@code "[::1]:11211"} for IPv6)
         * @return this builder
         * @throws IllegalArgumentException if it is not host:port with a port from 1 to 65535
         */
        public Builder<V> server(String hostPort) {
            return server(hostPort, 1);
        }

        /**
         * Adds a server with a weight: a server of weight 2 gets about twice the keys of one of weight 1.
         * The weights and the "host:port" strings, in Ketama's hashing, place keys exactly as libketama does.
         *
         * @param hostPort {@code "host:port"}
         * @param weight the weight, at least 1
         * @return this builder
         * @throws IllegalArgumentException if it is not host:port, or the weight is less than 1
         */
        public Builder<V> server(String hostPort, int weight) {
            Objects.requireNonNull(hostPort, "hostPort");
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1) {
                throw new IllegalArgumentException("memcache server \"" + hostPort + "\" must be host:port");
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("memcache server \"" + hostPort + "\" has no numeric port", e);
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return server(host, port, weight);
        }

        /**
         * Adds a server by host and port, with a weight. Ketama hashes it as {@code "host:port"}.
         *
         * @param host the host name or address
         * @param port the port, 1 to 65535
         * @param weight the weight, at least 1
         * @return this builder
         * @throws IllegalArgumentException if the port or weight is out of range
         */
        public Builder<V> server(String host, int port, int weight) {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("memcache server port must be 1 to 65535, was " + port);
            }
            if (weight < 1) {
                throw new IllegalArgumentException("memcache server weight must be at least 1, was " + weight);
            }
            servers.add(new ServerNodeSpec(host, port, weight));
            return this;
        }

        /**
         * The codec of the values. Default: {@link MemcacheCodec#bytes()}.
         *
         * @param codec the codec
         * @param <W> the type of the values
         * @return this builder, typed for the codec
         */
        @SuppressWarnings("unchecked")
        public <W> Builder<W> codec(MemcacheCodec<W> codec) {
            Builder<W> self = (Builder<W>) this;
            self.codec = Objects.requireNonNull(codec, "codec");
            return self;
        }

        /**
         * How long each call waits at most, connecting included (the ambient Timeout may be tighter).
         * Default: 2.5 s.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder<V> operationTimeout(Duration timeout) {
            this.operationTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long a connect may take. Default: 5 s.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder<V> connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How many connections to open to each server; requests are spread over them in turn and pipelined
         * on each. Default: 1.
         *
         * @param connections 1 to 64
         * @return this builder
         */
        public Builder<V> connectionsPerServer(int connections) {
            this.connectionsPerServer = connections;
            return this;
        }

        /**
         * Values whose encoding is at least this many bytes are deflated (kept so only if smaller).
         * Default: 16 KiB. See {@link #noCompression()}.
         *
         * @param bytes at least 0
         * @return this builder
         */
        public Builder<V> compressionThreshold(int bytes) {
            this.compressionThreshold = bytes;
            return this;
        }

        /**
         * Never compress values (compressed values stored by others are still read).
         *
         * @return this builder
         */
        public Builder<V> noCompression() {
            this.compressionThreshold = Integer.MAX_VALUE;
            return this;
        }

        /**
         * The servers' item size limit (memcached's {@code -I}): larger values are refused before sending.
         * Default: 1 MiB.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder<V> maxItemSize(int bytes) {
            this.maxItemSize = bytes;
            return this;
        }

        /**
         * How long a server stays marked dead after its first failure; it doubles with each consecutive
         * failure up to {@link #maxRetryInterval(Duration)}. Default: 1 s.
         *
         * @param interval a positive duration
         * @return this builder
         */
        public Builder<V> retryInterval(Duration interval) {
            this.retryInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * The longest a server stays marked dead between retries. Default: 30 s.
         *
         * @param interval a duration at least {@link #retryInterval(Duration)}
         * @return this builder
         */
        public Builder<V> maxRetryInterval(Duration interval) {
            this.maxRetryInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Whether keys of a dead server go to the next live server on the continuum (true) or fail with a
         * {@link MemcacheException} naming the dead server (false). Failing over keeps the cache serving
         * but may read stale values when the server comes back. Default: false.
         *
         * @param failover whether to fail over
         * @return this builder
         */
        public Builder<V> failover(boolean failover) {
            this.failover = failover;
            return this;
        }

        /**
         * Creates the client. Connections open lazily, on first use.
         *
         * @return the client
         * @throws IllegalArgumentException naming the option and its accepted range, if one is out of range,
         *         no server was given, or a server was given twice
         */
        public MemcacheClient<V> build() {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("no memcache server given; add one with server(\"host:port\")");
            }
            positive("operationTimeout", operationTimeout);
            positive("connectTimeout", connectTimeout);
            positive("retryInterval", retryInterval);
            if (maxRetryInterval.compareTo(retryInterval) < 0) {
                throw new IllegalArgumentException("maxRetryInterval (" + maxRetryInterval
                        + ") must be at least retryInterval (" + retryInterval + ")");
            }
            if (connectionsPerServer < 1 || connectionsPerServer > 64) {
                throw new IllegalArgumentException("connectionsPerServer must be 1 to 64, was " + connectionsPerServer);
            }
            if (compressionThreshold < 0) {
                throw new IllegalArgumentException("compressionThreshold must be at least 0 bytes, was "
                        + compressionThreshold);
            }
            if (maxItemSize < 1) {
                throw new IllegalArgumentException("maxItemSize must be at least 1 byte, was " + maxItemSize);
            }
            ClientConfig config = new ClientConfig(operationTimeout, connectTimeout, connectionsPerServer,
                    compressionThreshold, maxItemSize, retryInterval, maxRetryInterval, failover);
            List<ServerNode> nodes = new ArrayList<>();
            java.util.Set<String> names = new java.util.HashSet<>();
            for (ServerNodeSpec spec : servers) {
                ServerNode node = new ServerNode(spec.host(), spec.port(), spec.weight(), config);
                if (!names.add(node.name)) {
                    throw new IllegalArgumentException("memcache server " + node.name + " given twice");
                }
                nodes.add(node);
            }
            return new MemcacheClient<>(new ClientCore(nodes, config), config, codec, true);
        }

        private static void positive(String option, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " must be positive, was " + d);
            }
        }
    }
}
