package io.concurrence.memcache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.internal.Deadlines;
import io.concurrence.reactor.internal.MonoAwaiter;
import io.concurrence.reactor.internal.TransportErrors;

/**
 * One memcached server: its connections (opened lazily, shared by all callers) and whether it is dead.
 */
final class ServerNode {
    /*
     * Each slot holds the current connection attempt. The first caller to find a slot empty (or its
     * connection broken) installs a new attempt and starts the connect; everyone else waits on the same
     * attempt's sink, so a caller that times out or is killed never cancels a connect others wait for.
     *
     * Dead-server detection: a failed connect, or a connection that breaks (I/O error, protocol error,
     * no answer), marks the server dead until now + backoff, where the backoff doubles with each
     * consecutive failure from retryInterval up to maxRetryInterval. While dead, callers fail at once
     * (or the client fails over); the first caller after that time tries a new connection. A successful
     * connect resets the count.
     */

    private static final Logger LOG = LoggerFactory.getLogger(ServerNode.class);

    final String host;
    final int port;
    final int weight;
    final String name;
    private final ClientConfig config;
    private final AtomicReference<@Nullable Attempt>[] slots;
    private final AtomicInteger next = new AtomicInteger();
    /** Guarded by this: consecutive failures, the end of the dead period (nanoTime), the last failure. */
    private int failures;
    private long deadUntil;
    private @Nullable Throwable lastFailure;
    private boolean dead;
    /** Written by close(): no new connections after it. */
    private volatile boolean closed;

    @SuppressWarnings("unchecked")
    ServerNode(String host, int port, int weight, ClientConfig config) {
        this.host = host;
        this.port = port;
        this.weight = weight;
        this.name = host + ":" + port;
        this.config = config;
        this.slots = new AtomicReference[config.connectionsPerServer()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new AtomicReference<>();
        }
    }

    /** A connection attempt: its outcome, shared by all who wait for it. */
    private static final class Attempt {
        final Sinks.One<MemcacheConnection> sink = Sinks.one();
        /** Set on the event loop when the connect succeeds. */
        volatile @Nullable MemcacheConnection connection;
    }

    /** Whether the server is marked dead now (its retry time not yet reached). */
    synchronized boolean isDead() {
        return dead && deadUntil - System.nanoTime() > 0;
    }

    /**
     * A live connection to this server, connecting if needed.
     *
     * @throws MemcacheException if the server is marked dead or the connect fails
     * @throws TimeoutException if {@code deadline} passes while connecting
     * @throws TaskletExit if the caller is killed while connecting
     */
    MemcacheConnection connection(long deadline, String operation) {
        if (closed) {
            throw new IllegalStateException("MemcacheClient is closed; " + operation + " refused");
        }
        AtomicReference<@Nullable Attempt> slot = slots[Math.floorMod(next.getAndIncrement(), slots.length)];
        Attempt attempt = slot.get();
        if (attempt != null) {
            MemcacheConnection c = attempt.connection;
            if (c != null) {
                if (c.isActive()) {
                    return c;
                }
                slot.compareAndSet(attempt, null);
                attempt = null;
            }
        }
        if (attempt == null) {
            checkAlive();
            Attempt fresh = new Attempt();
            if (slot.compareAndSet(null, fresh)) {
                start(slot, fresh);
                attempt = fresh;
            } else {
                attempt = slot.get();
                if (attempt == null) {
                    throw new MemcacheException("connection to memcache server " + name + " was lost while "
                            + "connecting for " + operation + "; retry");
                }
            }
        }
        Duration remaining = Duration.ofNanos(Math.max(0, Math.min(Deadlines.remainingNanos(deadline),
                config.connectTimeout().toNanos())));
        MemcacheConnection c = MonoAwaiter.await(attempt.sink.asMono(), remaining,
                "connecting to memcache server " + name + " for " + operation);
        if (c == null) {
            throw new MemcacheException("connect to memcache server " + name + " completed without a connection");
        }
        return c;
    }

    private void start(AtomicReference<@Nullable Attempt> slot, Attempt attempt) {
        Mono<MemcacheConnection> connect = MemcacheConnection.connect(host, port, config.connectTimeout(),
                failure -> broken(slot, attempt, failure));
        connect.subscribe(c -> {
            attempt.connection = c;
            alive();
            if (closed) {
                c.close();
            }
            attempt.sink.tryEmitValue(c);
        }, error -> {
            slot.compareAndSet(attempt, null);
            RuntimeException translated = TransportErrors.translate("could not connect", error);
            MemcacheException failure = new MemcacheException("could not connect to memcache server " + name + ": "
                    + translated.getMessage(), translated);
            markDead(failure);
            attempt.sink.tryEmitError(failure);
        });
    }

    private void broken(AtomicReference<@Nullable Attempt> slot, Attempt attempt, Throwable failure) {
        slot.compareAndSet(attempt, null);
        markDead(failure);
    }

    private void checkAlive() {
        synchronized (this) {
            if (dead && deadUntil - System.nanoTime() > 0) {
                long millis = (deadUntil - System.nanoTime()) / 1_000_000;
                throw new MemcacheException("memcache server " + name + " is marked dead after " + failures
                        + " consecutive failure(s); next retry in " + millis + " ms. Last failure: "
                        + (lastFailure == null ? "?" : lastFailure.getMessage()), lastFailure);
            }
        }
    }

    private synchronized void markDead(Throwable failure) {
        if (closed) {
            return;
        }
        failures++;
        long base = config.retryInterval().toNanos();
        long backoff = Math.min(config.maxRetryInterval().toNanos(), base << Math.min(20, failures - 1));
        dead = true;
        deadUntil = System.nanoTime() + backoff;
        lastFailure = failure;
        LOG.warn("[memcache {}] marked dead for {} ms after {} failure(s): {}", name, backoff / 1_000_000, failures,
                failure.getMessage());
    }

    private synchronized void alive() {
        if (dead) {
            LOG.info("[memcache {}] reconnected", name);
        }
        dead = false;
        failures = 0;
        lastFailure = null;
    }

    /** Closes every connection; pending requests fail. Idempotent. */
    void close() {
        closed = true;
        for (AtomicReference<@Nullable Attempt> slot : slots) {
            Attempt attempt = slot.getAndSet(null);
            MemcacheConnection c = attempt == null ? null : attempt.connection;
            if (c != null) {
                c.close();
            }
        }
    }

    @Override
    public String toString() {
        return name + (weight == 1 ? "" : " (weight " + weight + ")");
    }
}
