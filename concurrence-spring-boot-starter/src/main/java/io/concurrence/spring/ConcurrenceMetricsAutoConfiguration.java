package io.concurrence.spring;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import io.concurrence.db.ConcurrenceDataSource;
import io.concurrence.db.DbMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Binds the Concurrence meters to the application's {@link MeterRegistry} when Micrometer is present. The HTTP
 * server's and remoting's meters go to Micrometer's global registry, to which Spring Boot adds its registry
 * ({@code management.metrics.use-global-registry}, on by default); the database pools' gauges are bound here, to
 * every {@link MeterRegistry} bean, for every {@link ConcurrenceDataSource} bean.
 *
 * @since 0.1
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure"
        + ".CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, ConcurrenceDataSource.class})
public final class ConcurrenceMetricsAutoConfiguration {

    /** Creates the auto-configuration; Spring calls it. */
    public ConcurrenceMetricsAutoConfiguration() {
    }

    @Bean
    static DbPoolMeters concurrenceDbPoolMeters(ObjectProvider<ConcurrenceDataSource> dataSources,
            ObjectProvider<MeterRegistry> registries) {
        return new DbPoolMeters(dataSources, registries);
    }

    /** Binds the pools' gauges once every singleton exists; removes them when the context closes. */
    static final class DbPoolMeters implements SmartInitializingSingleton, DisposableBean {

        private final ObjectProvider<ConcurrenceDataSource> dataSources;
        private final ObjectProvider<MeterRegistry> registries;
        private final List<AutoCloseable> bindings = new ArrayList<>();

        DbPoolMeters(ObjectProvider<ConcurrenceDataSource> dataSources, ObjectProvider<MeterRegistry> registries) {
            this.dataSources = dataSources;
            this.registries = registries;
        }

        @Override
        public void afterSingletonsInstantiated() {
            registries.orderedStream().forEach(registry -> dataSources.orderedStream()
                    .forEach(dataSource -> bindings.add(DbMetrics.bind(dataSource, registry))));
        }

        @Override
        public void destroy() throws Exception {
            for (AutoCloseable binding : bindings) {
                binding.close();
            }
            bindings.clear();
        }
    }
}
