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
     * Registers the gauges of {@code dataSource}'s pool in {@code registry}. Micrometer tells gauges apart by name
     * and tags only, so a registry holds one pool per {@linkplain ConcurrenceDataSource#name() pool name}: binding
     * a second data source with a name already bound there (directly, or through a composite registry it belongs
     * to) fails rather than show the first pool's figures under both. Binding the same data source again shares
     * its gauges, which stay until the last of its bindings to that registry is closed.
     *
     * @param dataSource the data source whose pool the gauges read, live, until they are removed
     * @param registry the registry to register the gauges in
     * @return closing it (idempotent) removes the gauges, unless another binding of the same data source to that
     *         registry is still open; it never removes another data source's gauges. Closing the data source
     *         does not remove them
     * @throws IllegalStateException naming the pool, when another data source with the same pool name is bound to
     *         {@code registry} (give each its own {@code poolName}), or the registry holds meters of that name and
     *         tag registered by other means
     */
    public static AutoCloseable bind(ConcurrenceDataSource dataSource, MeterRegistry registry) {
        return PoolMeters.bind(Objects.requireNonNull(dataSource, "dataSource").pool(),
                Objects.requireNonNull(registry, "registry"));
    }
}
