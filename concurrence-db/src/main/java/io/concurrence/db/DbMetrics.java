package io.concurrence.db;

import java.util.Objects;

import io.concurrence.db.internal.PoolMeters;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Binds a data source's pool gauges to a Micrometer registry: {@code concurrence.db.pool.size},
 * {@code .allocated}, {@code .acquired}, {@code .idle} and {@code .pending}, each tagged {@code pool=<name>}.
 * Needs Micrometer on the class path (the option {@code metrics=true} binds to the global registry instead).
 *
 * @since 0.1
 */
public final class DbMetrics {

    private DbMetrics() {
    }

    /**
     * Registers the gauges of {@code dataSource}'s pool in {@code registry}.
     *
     * @param dataSource the data source whose pool the gauges read, live, until they are removed
     * @param registry the registry to register the gauges in
     * @return closing it removes the gauges; closing the data source does not
     */
    public static AutoCloseable bind(ConcurrenceDataSource dataSource, MeterRegistry registry) {
        return PoolMeters.bind(Objects.requireNonNull(dataSource, "dataSource").pool(),
                Objects.requireNonNull(registry, "registry"));
    }
}
