package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.db.ConcurrenceDataSource.PoolStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The pool under load and at its limits: many tasklets on few connections, exhaustion and the login timeout,
 * DriverManager's pool per URL (also from a plain platform thread and a plain {@code main}), the pool's figures
 * and their Micrometer gauges.
 */
class PoolTest {

    /** A bound that an acquisition timeout of well under a second must meet even on a loaded machine. */
    private static final Duration FEW_SECONDS = Duration.ofSeconds(10);

    private ConcurrenceDataSource db;

    @BeforeAll
    static void server() {
        DbTestSupport.requireServer();
    }

    @AfterEach
    void closeDataSource() {
        if (db != null) {
            db.close();
        }
    }

    @AfterAll
    static void closeDriverPools() {
        // The driver's pools are JVM-wide; a later connect makes a new one. Test classes run one after another.
        ConcurrenceDriver.closePools();
    }

    /**
     * A pool's connections are spread over the database event loops, not stacked on one: in a JVM with two loops
     * ({@code io.concurrence.db.eventLoops=2}), four connections start both loops' threads (a loop's thread starts
     * when the first connection registers on it; stacked, the second would never start).
     */
    @Test
    void connectionsAreSpreadOverTheEventLoops() throws Exception {
        ChildJvm.Outcome outcome = ChildJvm.run(SpreadMain.class,
                List.of("-Xmx128m", "-Dio.concurrence.db.eventLoops=2"), DbTestSupport.url(), "4");
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("loops=").contains("concurrence-db-1-").contains("concurrence-db-2-");
    }

    @Test
    void fiveHundredTaskletsShareAPoolOfTenAndAllSucceed() throws Exception {
        db = DbTestSupport.dataSource("poolSize=10&poolName=t2-pool-500");
        AtomicInteger borrowed = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Tasklet<Long>> tasklets = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long n = i;
            tasklets.add(Tasklet.spawn(() -> {
                try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement("SELECT ? * 2")) {
                    peak.accumulateAndGet(borrowed.incrementAndGet(), Math::max);
                    try {
                        p.setLong(1, n);
                        try (ResultSet rs = p.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            return rs.getLong(1);
                        }
                    } finally {
                        borrowed.decrementAndGet();
                    }
                }
            }));
        }

        for (int i = 0; i < tasklets.size(); i++) {
            assertThat(tasklets.get(i).join(DbTestSupport.SOON)).as("result of tasklet %d", i).isEqualTo(2L * i);
        }
        assertThat(peak.get()).as("connections borrowed at once").isBetween(1, 10);
        assertThat(db.poolStats().allocated()).as("connections opened").isBetween(1, 10);
        DbTestSupport.eventually("every connection is back in the pool", () -> db.poolStats().acquired() == 0);
    }

    @Test
    void exhaustedPoolThrowsSqlTimeoutNamingThePoolAndItsSize() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&acquireTimeout=500ms&poolName=t2-pool-exhausted");
        try (Connection held = db.getConnection()) {
            long start = System.nanoTime();

            assertThatThrownBy(db::getConnection).isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("pool t2-pool-exhausted")
                    .hasMessageContaining("within 500 ms")
                    .hasMessageContaining("all 1 connections are in use")
                    .hasCauseInstanceOf(io.concurrence.TimeoutException.class);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FEW_SECONDS);
            assertThat(Queries.selectInt(held, "SELECT 5")).as("the held connection still works").isEqualTo(5);
        }
        DbTestSupport.eventually("the connection is back and the abandoned acquisition gave it up",
                () -> db.poolStats().equals(new PoolStats(1, 1, 0, 1, 0)));
    }

    @Test
    void loginTimeoutBoundsTheWaitBelowTheAcquireTimeout() throws Exception {
        db = DbTestSupport.dataSource("poolSize=1&acquireTimeout=60s&poolName=t2-pool-login");
        db.setLoginTimeout(1);
        assertThat(db.getLoginTimeout()).isEqualTo(1);
        try (Connection held = db.getConnection()) {
            long start = System.nanoTime();

            assertThatThrownBy(db::getConnection).isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("pool t2-pool-login")
                    .hasMessageContaining("within 1000 ms");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FEW_SECONDS);
        }
        DbTestSupport.eventually("the connection is back and the abandoned acquisition gave it up",
                () -> db.poolStats().equals(new PoolStats(1, 1, 0, 1, 0)));
        assertThatThrownBy(() -> db.setLoginTimeout(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void getConnectionWithUserAndPasswordIsNotSupported() throws Exception {
        db = DbTestSupport.dataSource("poolName=t2-pool-user");

        assertThatThrownBy(() -> db.getConnection("someone", "secret"))
                .isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining("logs in as root")
                .hasMessageContaining("build another data source");
    }

    @Test
    void poolStatsFollowBorrowsReturnsAndWaiters() throws Exception {
        db = DbTestSupport.dataSource("poolSize=2&poolName=t2-pool-stats");
        assertThat(db.poolStats()).as("before the first borrow").isEqualTo(new PoolStats(2, 0, 0, 0, 0));

        Connection a = db.getConnection();
        Connection b = db.getConnection();
        assertThat(db.poolStats()).as("two borrowed").isEqualTo(new PoolStats(2, 2, 2, 0, 0));

        Tasklet<Integer> waiter = Tasklet.spawn(() -> {
            try (Connection c = db.getConnection()) {
                return Queries.selectInt(c, "SELECT 3");
            }
        });
        DbTestSupport.eventually("one caller waits", () -> db.poolStats().pending() == 1);

        a.close();
        assertThat(waiter.join(DbTestSupport.SOON)).isEqualTo(3);
        DbTestSupport.eventually("one borrowed, one idle, nobody waiting",
                () -> db.poolStats().equals(new PoolStats(2, 2, 1, 1, 0)));

        b.close();
        DbTestSupport.eventually("both idle", () -> db.poolStats().equals(new PoolStats(2, 2, 0, 2, 0)));
    }

    @Test
    void driverManagerConnectionsOfOneUrlShareOnePool() throws Exception {
        String url = DbTestSupport.url("poolSize=1&acquireTimeout=500ms&poolName=t2-pool-driver");
        long first;
        try (Connection a = DriverManager.getConnection(url)) {
            first = Queries.connectionId(a);

            assertThatThrownBy(() -> DriverManager.getConnection(url)).as("a second connection of the same URL")
                    .isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("pool t2-pool-driver")
                    .hasMessageContaining("all 1 connections are in use");
        }

        try (Connection b = borrowOnceReturned(url)) {
            assertThat(Queries.connectionId(b)).as("server connection of the second DriverManager connection")
                    .isEqualTo(first);
        }
    }

    @Test
    void driverManagerWorksFromAPlainPlatformThread() throws Exception {
        assertThat(Tasklet.findCurrent()).as("the test runs outside any tasklet").isEmpty();
        assertThat(Thread.currentThread().isVirtual()).isFalse();

        try (Connection c = DriverManager.getConnection(DbTestSupport.url())) {
            assertThat(Queries.selectInt(c, "SELECT 6 * 7")).isEqualTo(42);
            assertThat(Queries.connectionId(c)).isPositive();
        }
    }

    @Test
    void plainMainInAChildJvmQueriesAndExits() throws Exception {
        ChildJvm.Outcome outcome = ChildJvm.run(PlainMain.class, List.of("-Xmx128m"), DbTestSupport.url());

        assertThat(outcome.exitCode()).as("exit code; output:%n%s", outcome.output()).isZero();
        assertThat(outcome.output()).contains("plain-main answer=42 tasklet=false virtual=false");
    }

    @Test
    void dbMetricsBindsGaugesThatFollowThePool() throws Exception {
        db = DbTestSupport.dataSource("poolSize=2&poolName=t2-pool-metrics");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AutoCloseable binding = DbMetrics.bind(db, registry);
        try {
            for (String name : List.of("size", "allocated", "acquired", "idle", "pending")) {
                assertThat(gauge(registry, name, "t2-pool-metrics")).as("gauge concurrence.db.pool." + name)
                        .isNotNull();
            }
            assertThat(gauge(registry, "size", "t2-pool-metrics").value()).isEqualTo(2.0);
            assertThat(gauge(registry, "acquired", "t2-pool-metrics").value()).isZero();

            try (Connection c = db.getConnection()) {
                assertThat(gauge(registry, "acquired", "t2-pool-metrics").value()).isEqualTo(1.0);
                assertThat(gauge(registry, "allocated", "t2-pool-metrics").value()).isEqualTo(1.0);
                assertThat(gauge(registry, "idle", "t2-pool-metrics").value()).isZero();
                assertThat(Queries.selectInt(c, "SELECT 1")).isEqualTo(1);
            }
            DbTestSupport.eventually("the gauges show the connection idle again",
                    () -> gauge(registry, "acquired", "t2-pool-metrics").value() == 0
                            && gauge(registry, "idle", "t2-pool-metrics").value() == 1);
        } finally {
            binding.close();
        }
        assertThat(gauge(registry, "acquired", "t2-pool-metrics")).as("gauge after unbinding").isNull();
    }

    @Test
    void metricsOptionRegistersGaugesInTheGlobalRegistryUntilClose() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try {
            db = DbTestSupport.dataSource("poolSize=3&metrics=true&poolName=t2-pool-global");
            assertThat(gauge(registry, "size", "t2-pool-global")).isNotNull();
            assertThat(gauge(registry, "size", "t2-pool-global").value()).isEqualTo(3.0);
            try (Connection c = db.getConnection()) {
                assertThat(gauge(registry, "acquired", "t2-pool-global").value()).isEqualTo(1.0);
            }

            db.close();
            assertThat(Metrics.globalRegistry.find("concurrence.db.pool.size").tag("pool", "t2-pool-global").gauge())
                    .as("global gauge after the data source closed").isNull();
        } finally {
            Metrics.removeRegistry(registry);
        }
    }

    private static Gauge gauge(SimpleMeterRegistry registry, String name, String pool) {
        return registry.find("concurrence.db.pool." + name).tag("pool", pool).gauge();
    }

    /** Borrows from {@code url}'s pool, retrying while its connection is still on its way back. */
    private static Connection borrowOnceReturned(String url) throws Exception {
        long deadline = System.nanoTime() + DbTestSupport.SOON.toNanos();
        while (true) {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLTimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }
}
