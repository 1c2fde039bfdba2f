package io.concurrence.db.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The pool's gauges in a Micrometer registry, tagged {@code pool=<name>}: {@code concurrence.db.pool.size},
 * {@code .allocated}, {@code .acquired}, {@code .idle} and {@code .pending}. Loaded only when Micrometer is present.
 */
public final class PoolMeters {

    private PoolMeters() {
    }

    /** Registers the gauges; closing the result removes them. */
    public static AutoCloseable bind(DbPool pool, MeterRegistry registry) {
        List<Meter> meters = new ArrayList<>();
        String name = pool.config().poolName();
        meters.add(gauge(registry, name, "size", "most connections the pool opens", pool, p -> p.stats().size()));
        meters.add(gauge(registry, name, "allocated", "connections open", pool, p -> p.stats().allocated()));
        meters.add(gauge(registry, name, "acquired", "connections borrowed", pool, p -> p.stats().acquired()));
        meters.add(gauge(registry, name, "idle", "connections open and free", pool, p -> p.stats().idle()));
        meters.add(gauge(registry, name, "pending", "callers waiting for a connection", pool,
                p -> p.stats().pending()));
        return () -> meters.forEach(registry::remove);
    }

    private static Meter gauge(MeterRegistry registry, String pool, String what, String description, DbPool target,
            ToDoubleFunction<DbPool> value) {
        return Gauge.builder("concurrence.db.pool." + what, target, value)
                .description(description)
                .tag("pool", pool)
                .register(registry);
    }
}
