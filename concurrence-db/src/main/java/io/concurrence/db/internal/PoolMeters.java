package io.concurrence.db.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * The pool's gauges in a Micrometer registry, tagged {@code pool=<name>}: {@code concurrence.db.pool.size},
 * {@code .allocated}, {@code .acquired}, {@code .idle} and {@code .pending}. Loaded only when Micrometer is present.
 */
public final class PoolMeters {

    /*
     * Micrometer identifies a gauge by name and tags only: registering a second pool under a name already in the
     * registry returns the first pool's gauge, and removing it removes it for both. So BOUND records, per registry
     * (by identity; weakly, so a dropped registry is forgotten), which pool each name reads and how many bindings
     * share it. Another pool under a bound name is refused; the same pool bound again shares the gauges, which go
     * when its last binding closes. A registry that is a (possibly nested) member of a composite registry already
     * holds the gauges the composite's binding registered: the same pool shares them, another pool is refused.
     * Everything under the lock of BOUND; binds and closes are rare.
     */

    private static final String[] NAMES = {"size", "allocated", "acquired", "idle", "pending"};

    /** Per registry, per pool name: written and read under its own lock, by bind and close on any thread. */
    private static final Map<MeterRegistry, Map<String, Shared>> BOUND = new WeakHashMap<>();

    private PoolMeters() {
    }

    /**
     * Registers the gauges; closing the result (idempotent) removes them once no other binding of the same pool to
     * that registry remains.
     *
     * @throws IllegalStateException naming the pool, when another pool with the same name is bound to the registry
     *         (directly or through a composite it belongs to), or a meter of that name and tag was registered there
     *         by other means
     */
    public static AutoCloseable bind(DbPool pool, MeterRegistry registry) {
        String name = pool.config().poolName();
        synchronized (BOUND) {
            Map<String, Shared> byName = BOUND.computeIfAbsent(registry, r -> new HashMap<>());
            Shared shared = byName.get(name);
            if (shared == null) {
                Shared viaComposite = boundThroughComposite(registry, name);
                if (viaComposite != null) {
                    refuseAnother(viaComposite, pool, name);
                    return () -> { }; // the composite's binding owns the gauges, and they read this pool
                }
                if (registered(registry, name)) {
                    throw new IllegalStateException("pool '" + name + "': the registry already has a meter"
                            + " concurrence.db.pool.*{pool=" + name + "} not bound by DbMetrics for this pool; give"
                            + " the data source another poolName");
                }
                shared = new Shared(pool, register(pool, registry, name));
                byName.put(name, shared);
            } else {
                refuseAnother(shared, pool, name);
            }
            shared.bindings++;
            return new Binding(registry, name, shared);
        }
    }

    private static void refuseAnother(Shared shared, DbPool pool, String name) {
        if (shared.pool != pool) {
            throw new IllegalStateException("pool '" + name + "' is already bound to this registry by another data"
                    + " source, and its gauges would read that pool: give each data source its own poolName");
        }
    }

    /** What a composite registry containing {@code registry} bound under {@code name}, if any. */
    private static @Nullable Shared boundThroughComposite(MeterRegistry registry, String name) {
        for (Map.Entry<MeterRegistry, Map<String, Shared>> entry : BOUND.entrySet()) {
            Shared shared = entry.getValue().get(name);
            if (shared != null && entry.getKey() instanceof CompositeMeterRegistry composite
                    && contains(composite, registry)) {
                return shared;
            }
        }
        return null;
    }

    private static boolean contains(CompositeMeterRegistry composite, MeterRegistry registry) {
        for (MeterRegistry member : composite.getRegistries()) {
            if (member == registry || member instanceof CompositeMeterRegistry inner && contains(inner, registry)) {
                return true;
            }
        }
        return false;
    }

    private static boolean registered(MeterRegistry registry, String name) {
        for (String what : NAMES) {
            if (registry.find("concurrence.db.pool." + what).tag("pool", name).meter() != null) {
                return true;
            }
        }
        return false;
    }

    private static List<Meter> register(DbPool pool, MeterRegistry registry, String name) {
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(registry, name, "size", "most connections the pool opens", pool, p -> p.stats().size()));
        meters.add(gauge(registry, name, "allocated", "connections open", pool, p -> p.stats().allocated()));
        meters.add(gauge(registry, name, "acquired", "connections borrowed", pool, p -> p.stats().acquired()));
        meters.add(gauge(registry, name, "idle", "connections open and free", pool, p -> p.stats().idle()));
        meters.add(gauge(registry, name, "pending", "callers waiting for a connection", pool,
                p -> p.stats().pending()));
        return meters;
    }

    private static Meter gauge(MeterRegistry registry, String pool, String what, String description, DbPool target,
            ToDoubleFunction<DbPool> value) {
        return Gauge.builder("concurrence.db.pool." + what, target, value)
                .description(description)
                .tag("pool", pool)
                .register(registry);
    }

    /** One pool's gauges in one registry, and how many open bindings share them (both under BOUND's lock). */
    private static final class Shared {
        final DbPool pool;
        final List<Meter> meters;
        int bindings;

        Shared(DbPool pool, List<Meter> meters) {
            this.pool = pool;
            this.meters = meters;
        }
    }

    /** One {@link #bind} call's handle; {@code closed} is written and read under BOUND's lock. */
    private static final class Binding implements AutoCloseable {
        private final MeterRegistry registry;
        private final String name;
        private final Shared shared;
        private boolean closed;

        Binding(MeterRegistry registry, String name, Shared shared) {
            this.registry = registry;
            this.name = name;
            this.shared = shared;
        }

        @Override
        public void close() {
            synchronized (BOUND) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--shared.bindings > 0) {
                    return;
                }
                shared.meters.forEach(registry::remove);
                Map<String, Shared> byName = BOUND.get(registry);
                if (byName != null && byName.get(name) == shared) {
                    byName.remove(name);
                }
            }
        }
    }
}
