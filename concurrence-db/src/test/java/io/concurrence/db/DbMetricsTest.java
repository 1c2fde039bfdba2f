package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@link DbMetrics#bind}: one pool per name and registry, and a binding removes only what it registered. None of
 * these tests connects: the {@code size} gauge reads the pool's configured size.
 */
class DbMetricsTest {

    private final ConcurrenceDataSource small = dataSource("t4-metrics", 2);
    private final ConcurrenceDataSource large = dataSource("t4-metrics", 5);

    @AfterEach
    void close() {
        small.close();
        large.close();
    }

    @Test
    void bindingASecondDataSourceWithABoundNameThrowsIllegalStateExceptionNamingThePool() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AutoCloseable first = DbMetrics.bind(small, registry)) {
            assertThatThrownBy(() -> DbMetrics.bind(large, registry))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'t4-metrics'")
                    .hasMessageContaining("poolName");

            assertThat(size(registry)).as("the gauge still reads the first pool").isEqualTo(2.0);
        }
        assertThat(gauge(registry)).isNull();
    }

    @Test
    void theSameDataSourceBoundTwiceKeepsItsGaugesUntilBothBindingsClose() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AutoCloseable first = DbMetrics.bind(small, registry);
        AutoCloseable second = DbMetrics.bind(small, registry);

        first.close();
        first.close();
        assertThat(size(registry)).as("after the first binding closed, twice").isEqualTo(2.0);

        second.close();
        assertThat(gauge(registry)).as("after both closed").isNull();
    }

    @Test
    void aClosedBindingClosedAgainLeavesTheGaugesOfTheNextDataSourceWithThatName() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AutoCloseable old = DbMetrics.bind(small, registry);
        old.close();

        try (AutoCloseable next = DbMetrics.bind(large, registry)) {
            old.close();
            assertThat(size(registry)).isEqualTo(5.0);
        }
    }

    @Test
    void dataSourcesWithTheSameNameInDifferentRegistriesEachReadTheirOwnPool() throws Exception {
        SimpleMeterRegistry one = new SimpleMeterRegistry();
        SimpleMeterRegistry two = new SimpleMeterRegistry();
        try (AutoCloseable a = DbMetrics.bind(small, one); AutoCloseable b = DbMetrics.bind(large, two)) {
            assertThat(size(one)).isEqualTo(2.0);
            assertThat(size(two)).isEqualTo(5.0);
        }
    }

    @Test
    void aRegistryInsideABoundCompositeAcceptsTheSamePoolAndRefusesAnotherWithItsName() throws Exception {
        SimpleMeterRegistry child = new SimpleMeterRegistry();
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(child);
        try (AutoCloseable viaComposite = DbMetrics.bind(small, composite)) {
            try (AutoCloseable direct = DbMetrics.bind(small, child)) {
                assertThat(size(child)).isEqualTo(2.0);
            }
            assertThatThrownBy(() -> DbMetrics.bind(large, child))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'t4-metrics'");
            assertThat(size(composite)).isEqualTo(2.0);
        }
    }

    private static ConcurrenceDataSource dataSource(String name, int poolSize) {
        return ConcurrenceDataSource.builder().poolName(name).poolSize(poolSize).build();
    }

    private static Gauge gauge(MeterRegistry registry) {
        return registry.find("concurrence.db.pool.size").tag("pool", "t4-metrics").gauge();
    }

    private static double size(MeterRegistry registry) {
        Gauge gauge = gauge(registry);
        assertThat(gauge).as("gauge concurrence.db.pool.size{pool=t4-metrics}").isNotNull();
        return gauge.value();
    }

    @Test
    void aSecondDataSourceWithMetricsOnAndABoundNameFailsFromUrlWithSqlException08001() throws Exception {
        String url = "jdbc:concurrence:mysql://127.0.0.1:3306/test?metrics=true&poolName=t4-metrics-global";
        try (ConcurrenceDataSource first = ConcurrenceDataSource.fromUrl(url)) {
            assertThatThrownBy(() -> ConcurrenceDataSource.fromUrl(url + "&poolSize=3"))
                    .isExactlyInstanceOf(SQLException.class)
                    .hasMessageContaining("poolName 't4-metrics-global' with metrics=true")
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
            assertThat(first.isClosed()).isFalse();
        }
        try (ConcurrenceDataSource again = ConcurrenceDataSource.fromUrl(url)) {
            assertThat(again.isClosed()).as("the name is free once the first data source closed").isFalse();
        }
    }
}
