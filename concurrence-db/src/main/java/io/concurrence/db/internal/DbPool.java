package io.concurrence.db.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;
import reactor.pool.PooledRefMetadata;

import io.asyncer.r2dbc.mysql.MySqlConnectionConfiguration;
import io.asyncer.r2dbc.mysql.MySqlConnectionFactory;
import io.asyncer.r2dbc.mysql.api.MySqlConnection;
import io.asyncer.r2dbc.mysql.api.MySqlResult;
import io.asyncer.r2dbc.mysql.constant.SslMode;
import io.asyncer.r2dbc.mysql.constant.ZeroDateOption;
import io.concurrence.TaskletExit;
import io.concurrence.Timeout;
import io.concurrence.TimeoutException;
import io.concurrence.db.ConcurrenceDataSource.PoolStats;
import io.concurrence.reactor.Await;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;

/**
 * One data source's pool: r2dbc-pool over R2DBC MySQL, plus what the JDBC facade needs beside it: each physical
 * connection's server id (for {@code KILL QUERY} on a side connection), eviction of connections left in an
 * unknown state, and acquisition that is never cancelled half-way (r2dbc-pool #206, #232: a cancelled acquire can
 * leak a connection). A caller that stops waiting leaves the acquisition running, and the connection it brings is
 * returned at once.
 */
public final class DbPool {

    private static final Logger LOG = LoggerFactory.getLogger(DbPool.class);

    private final DbConfig config;
    /** One connection factory per event loop (see {@link SpreadLoops}); the first also opens side connections. */
    private final List<MySqlConnectionFactory> factories;
    private final AtomicInteger turn = new AtomicInteger();
    private final ConnectionPool pool;
    private final AtomicReference<@Nullable Mono<MySqlConnection>> side = new AtomicReference<>();
    private volatile boolean closed;
    private volatile @Nullable AutoCloseable metrics;

    private DbPool(DbConfig config) {
        this.config = config;
        this.factories = Loops.SHARED.loops().stream()
                .map(loop -> MySqlConnectionFactory.from(connectionConfiguration(config, loop)))
                .toList();
        this.pool = new ConnectionPool(poolConfiguration(config));
    }

    /**
     * A pool for {@code config}; nothing connects until the first borrow (or {@code minIdle} connections).
     *
     * @throws IllegalArgumentException naming {@code poolName}, when {@code metrics} is on and another pool of that
     *         name has its gauges in Micrometer's global registry
     */
    public static DbPool create(DbConfig config) {
        DbPool pool = new DbPool(Objects.requireNonNull(config, "config"));
        if (config.metrics()) {
            try {
                pool.metrics = Metrics.bindGlobal(pool);
            } catch (IllegalStateException e) {
                pool.close();
                throw new IllegalArgumentException("poolName '" + config.poolName() + "' with metrics=true: "
                        + e.getMessage(), e);
            }
        }
        if (config.minIdle() > 0) {
            pool.pool.warmup().subscribe(null, e -> LOG.warn("pool {}: warm-up failed: {}", config.poolName(),
                    e.toString()));
        }
        return pool;
    }

    public DbConfig config() {
        return config;
    }

    /**
     * Borrows a connection, waiting at most the tighter of the pool's acquire timeout, {@code login} (when not
     * null) and the ambient deadline.
     */
    public JdbcConnection borrow(@Nullable Duration login) throws SQLException {
        if (closed) {
            throw new SQLNonTransientConnectionException("pool " + config.poolName() + " is closed", "08003");
        }
        Duration wait = login != null && login.compareTo(config.acquireTimeout()) < 0 ? login
                : config.acquireTimeout();
        long deadline = System.nanoTime() + wait.toNanos();
        Connection pooled = null;
        for (int attempt = 0; pooled == null; attempt++) {
            try {
                pooled = acquire(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), wait);
            } catch (SQLException e) {
                // An idle connection the server had closed fails validation and is dropped: try the next one.
                if (attempt >= config.poolSize() || !staleConnection(e)) {
                    throw e;
                }
            }
        }
        @SuppressWarnings("unchecked")
        Physical physical = (Physical) ((Wrapped<Connection>) pooled).unwrap();
        return new JdbcConnection(this, pooled, physical);
    }

    /** One acquisition, waiting at most {@code wait}: what is left of {@code bound}, the caller's bound. */
    private Connection acquire(Duration wait, Duration bound) throws SQLException {
        Acquisition acquisition = new Acquisition();
        pool.create().subscribe(acquisition);
        try {
            if (!acquisition.arrived()) {
                Await.of(acquisition.arrival(), wait);
            }
        } catch (TimeoutException e) {
            acquisition.abandon();
            PoolStats stats = stats();
            boolean ambient = Timeout.remaining().filter(Duration::isZero).isPresent();
            throw new SQLTimeoutException("no connection free in pool " + config.poolName()
                    + (ambient ? " before the tasklet's ambient Timeout expired" : " within " + bound.toMillis()
                    + " ms") + ": all " + stats.size() + " connections are in use (" + stats.acquired()
                    + " borrowed, " + stats.pending() + " callers waiting); raise poolSize or return connections"
                    + " sooner", "08001", e);
        } catch (TaskletExit e) {
            acquisition.abandon();
            throw e;
        } catch (RuntimeException e) {
            throw SqlErrors.map(e, "connecting to " + config.describe());
        }
        Object outcome = acquisition.outcome();
        if (outcome instanceof Connection connection) {
            return connection;
        }
        throw SqlErrors.map(outcome instanceof Throwable t ? t : new IllegalStateException("no connection"),
                "connecting to " + config.describe());
    }

    /**
     * One acquisition from r2dbc-pool, subscribed to by itself so that a caller that stops waiting never cancels
     * it: a connection that arrives after the caller gave up goes straight back to the pool.
     */
    private static final class Acquisition implements reactor.core.CoreSubscriber<Connection> {

        private static final Object ABANDONED = new Object();

        private final AtomicReference<@Nullable Object> outcome = new AtomicReference<>();
        private final reactor.core.publisher.Sinks.Empty<Void> arrived = reactor.core.publisher.Sinks.empty();

        @Override
        public void onSubscribe(org.reactivestreams.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Connection connection) {
            if (!outcome.compareAndSet(null, connection)) {
                giveBack(connection);
            }
            arrived.tryEmitEmpty();
        }

        @Override
        public void onError(Throwable t) {
            outcome.compareAndSet(null, t);
            arrived.tryEmitEmpty();
        }

        @Override
        public void onComplete() {
            outcome.compareAndSet(null, new IllegalStateException("the pool completed without a connection"));
            arrived.tryEmitEmpty();
        }

        boolean arrived() {
            return outcome.get() != null;
        }

        Mono<Void> arrival() {
            return arrived.asMono();
        }

        /** The connection or the failure, once {@link #arrived()}. */
        @Nullable Object outcome() {
            return outcome.get();
        }

        void abandon() {
            Object o = outcome.getAndSet(ABANDONED);
            if (o instanceof Connection c) {
                giveBack(c);
            }
        }

        private static void giveBack(Connection connection) {
            Mono.from(connection.close()).subscribe(null, e -> LOG.debug("returning a connection failed", e));
        }
    }

    private static boolean staleConnection(SQLException e) {
        Throwable cause = e.getCause();
        return cause instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
                && String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("validation");
    }

    /** The pool's figures now. */
    public PoolStats stats() {
        PoolMetrics m = pool.getMetrics().orElse(null);
        if (m == null) {
            return new PoolStats(config.poolSize(), 0, 0, 0, 0);
        }
        return new PoolStats(config.poolSize(), m.allocatedSize(), m.acquiredSize(), m.idleSize(),
                m.pendingAcquireSize());
    }

    /**
     * Stops the statement running on {@code physical}: {@code KILL QUERY} from a side connection, then, if it has
     * not stopped after {@link DbConfig#killGrace()}, {@code KILL CONNECTION}. Completes once the server has
     * taken the kill; a kill that cannot be sent marks the connection broken.
     */
    Mono<Void> killQuery(Physical physical) {
        return kill("KILL QUERY " + physical.threadId)
                .onErrorResume(e -> {
                    LOG.warn("pool {}: could not stop a cancelled statement on connection {}: {}",
                            config.poolName(), physical.threadId, e.toString());
                    physical.broken = true;
                    return Mono.empty();
                });
    }

    /** Closes {@code physical} on the server: its statement fails, and the pool drops it. */
    Mono<Void> killConnection(Physical physical) {
        physical.broken = true;
        return kill("KILL CONNECTION " + physical.threadId).onErrorResume(e -> Mono.empty());
    }

    /**
     * Runs {@code sql} on the side connection. Callers on any thread kill at the same time, but R2DBC MySQL's
     * request queue takes one submitter at a time (a single-producer queue: a concurrent submission is refused as
     * "Request queue is full", or lost and never answered), so every exchange is subscribed on one thread.
     */
    private Mono<Void> kill(String sql) {
        return sideConnection()
                .flatMap(c -> Mono.defer(() -> Flux.from(c.createStatement(sql).execute())
                                .flatMap(MySqlResult::getRowsUpdated).then())
                        .subscribeOn(KillThread.SERIAL))
                .onErrorResume(e -> {
                    if (e instanceof io.r2dbc.spi.R2dbcException r && r.getErrorCode() == 1094) {
                        // Unknown thread id: the connection is gone already. The side connection is fine: keep it
                        // (closing it would make the next kill wait for a new one).
                        return Mono.empty();
                    }
                    Mono<MySqlConnection> broken = side.getAndSet(null);
                    if (broken != null) {
                        broken.flatMap(MySqlConnection::close).subscribeOn(KillThread.SERIAL)
                                .subscribe(null, ignored -> { });
                    }
                    return Mono.error(e);
                });
    }

    private Mono<MySqlConnection> sideConnection() {
        Mono<MySqlConnection> current = side.get();
        if (current == null) {
            Mono<MySqlConnection> created = factories.get(0).create().map(MySqlConnection.class::cast).cache();
            current = side.compareAndSet(null, created) ? created : side.get();
        }
        return current == null ? Mono.error(new IllegalStateException("no side connection")) : current;
    }

    /** Closes the pool: idle connections now, borrowed ones when returned. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        AutoCloseable m = metrics;
        if (m != null) {
            try {
                m.close();
            } catch (Exception e) {
                LOG.debug("pool {}: unbinding metrics failed", config.poolName(), e);
            }
        }
        Mono<MySqlConnection> s = side.getAndSet(null);
        if (s != null) {
            s.flatMap(MySqlConnection::close).subscribeOn(KillThread.SERIAL).subscribe(null, e -> { });
        }
        pool.disposeLater().subscribe(null, e -> LOG.debug("pool {}: close failed", config.poolName(), e));
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Opens a physical connection on the next event loop in turn, and learns its server id, increment and
     * version (one query).
     */
    private Mono<Physical> open() {
        // Deferred: r2dbc-pool calls create() once and subscribes to the result for every connection.
        return Mono.defer(() -> factories.get(Math.floorMod(turn.getAndIncrement(), factories.size())).create())
                .flatMap(this::setUp);
    }

    private Mono<Physical> setUp(MySqlConnection c) {
        return Flux.from(c.createStatement("SELECT CONNECTION_ID(), @@auto_increment_increment, VERSION()")
                        .execute())
                .concatMap(result -> result.map((row, md) -> new Physical(c,
                        Objects.requireNonNull(row.get(0, Long.class)), Objects.requireNonNull(row.get(1, Long.class)),
                        Objects.requireNonNull(row.get(2, String.class)))))
                .next()
                .onErrorResume(e -> c.close().then(Mono.error(e)));
    }

    private BiPredicate<Connection, PooledRefMetadata> eviction(DbConfig config) {
        long idle = config.maxIdleTime().toMillis();
        long life = config.maxLifeTime().toMillis();
        return (connection, metadata) -> {
            return ((Physical) connection).broken || metadata.idleTime() >= idle
                    || metadata.lifeTime() >= life;
        };
    }

    private ConnectionPoolConfiguration poolConfiguration(DbConfig config) {
        ConnectionFactory physicalFactory = new ConnectionFactory() {
            @Override
            public Publisher<? extends Connection> create() {
                return open();
            }

            @Override
            public ConnectionFactoryMetadata getMetadata() {
                return factories.get(0).getMetadata();
            }
        };
        ConnectionPoolConfiguration.Builder builder = ConnectionPoolConfiguration.builder(physicalFactory)
                .name(config.poolName())
                .maxSize(config.poolSize())
                .minIdle(config.minIdle())
                .initialSize(0)
                .maxIdleTime(config.maxIdleTime())
                .maxLifeTime(config.maxLifeTime())
                .maxAcquireTime(Duration.ofMillis(-1))
                .maxCreateConnectionTime(config.connectTimeout().plusSeconds(5))
                .acquireRetry(0)
                .backgroundEvictionInterval(Duration.ofSeconds(30))
                .customizer(poolBuilder -> poolBuilder
                        .evictionPredicate(eviction(config))
                        .destroyHandler(connection -> Mono.from(connection.close()).onErrorResume(e -> Mono.empty())));
        if (config.validationQuery() != null) {
            builder.validationQuery(config.validationQuery());
        }
        return builder.build();
    }

    private static MySqlConnectionConfiguration connectionConfiguration(DbConfig config, LoopResources loop) {
        MySqlConnectionConfiguration.Builder b = MySqlConnectionConfiguration.builder()
                .host(config.host())
                .port(config.port())
                .user(config.user())
                .password(config.password())
                .connectTimeout(config.connectTimeout())
                .sslMode(SslMode.valueOf(config.sslMode()))
                .tcpKeepAlive(config.tcpKeepAlive())
                .tcpNoDelay(config.tcpNoDelay())
                .zeroDateOption(ZeroDateOption.valueOf(config.zeroDate()))
                .prepareCacheSize(config.prepareCacheSize())
                .loopResources(loop)
                .autodetectExtensions(false)
                .tinyInt1isBit(false);
        if (!config.database().isEmpty()) {
            b.database(config.database());
        }
        if (config.serverPrepare()) {
            b.useServerPrepareStatement();
        } else {
            b.useClientPrepareStatement();
        }
        if (config.sslCa() != null) {
            b.sslCa(config.sslCa());
        }
        if (config.sslCert() != null) {
            b.sslCert(config.sslCert());
        }
        if (config.sslKey() != null) {
            b.sslKey(config.sslKey());
        }
        if (!config.tlsVersions().isEmpty()) {
            b.tlsVersion(config.tlsVersions().toArray(String[]::new));
        }
        if (config.connectionTimeZone() != null) {
            b.connectionTimeZone(config.connectionTimeZone()); // DbConfig checked it
        }
        if (!config.sessionVariables().isEmpty()) {
            b.sessionVariables(config.sessionVariables().toArray(String[]::new));
        }
        return b.build();
    }

    /**
     * The event loops of every pool in the JVM, over which each pool spreads its connections: one per two
     * available processors (at least one). The loops only decode and encode; tasklets need the other cores, and
     * often the database server shares the machine. Measured on 2 cores with MariaDB local, 64 tasklets doing
     * point selects: one loop 11.8-16.7 k queries/s, two loops 9.1-10.1 k (three runs each, alternated). The
     * system property {@code io.concurrence.db.eventLoops} sets another count.
     */
    private static final class Loops {
        static final SpreadLoops SHARED = new SpreadLoops(Integer.getInteger("io.concurrence.db.eventLoops",
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));
    }

    /** The one thread that submits every side-connection exchange of every pool (see {@link #kill(String)}). */
    private static final class KillThread {
        static final Scheduler SERIAL = Schedulers.newSingle("concurrence-db-kill", true);
    }

    /** Binds the pool's gauges to Micrometer when it is on the class path. */
    private static final class Metrics {
        static @Nullable AutoCloseable bindGlobal(DbPool pool) {
            try {
                Class.forName("io.micrometer.core.instrument.MeterRegistry", false, DbPool.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError absent) {
                LOG.warn("pool {}: metrics=true but Micrometer is not on the class path", pool.config.poolName());
                return null;
            }
            return PoolMeters.bind(pool, io.micrometer.core.instrument.Metrics.globalRegistry);
        }
    }
}
