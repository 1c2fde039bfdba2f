package io.concurrence.spring;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.concurrence.db.ConcurrenceDataSource;
import io.concurrence.remote.RemoteClient;

/**
 * Health indicators when Spring Boot's health support (spring-boot-health, with Actuator) is present:
 * {@code concurrenceDb} reports the pools of the application's {@link ConcurrenceDataSource} beans, and
 * {@code concurrenceRemote} the connections of its {@link RemoteClient} beans. Each reads the beans when asked,
 * so it sees every data source and client however they were defined.
 *
 * @since 0.1
 */
@AutoConfiguration
@ConditionalOnClass(HealthIndicator.class)
public final class ConcurrenceHealthAutoConfiguration {

    /** Creates the auto-configuration; Spring calls it. */
    public ConcurrenceHealthAutoConfiguration() {
    }

    /** The database pools' health: down when a pool is closed; details are each pool's counts. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ConcurrenceDataSource.class)
    static final class Db {

        @Bean
        @ConditionalOnMissingBean(name = "concurrenceDbHealthIndicator")
        HealthIndicator concurrenceDbHealthIndicator(ListableBeanFactory beans) {
            return () -> dbHealth(beans.getBeansOfType(ConcurrenceDataSource.class, false, false));
        }
    }

    /** The remote clients' health: down when a client has no server connected; details are its counters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RemoteClient.class)
    static final class Remote {

        @Bean
        @ConditionalOnMissingBean(name = "concurrenceRemoteHealthIndicator")
        HealthIndicator concurrenceRemoteHealthIndicator(ListableBeanFactory beans) {
            return () -> remoteHealth(beans.getBeansOfType(RemoteClient.class, false, false));
        }
    }

    static Health dbHealth(Map<String, ConcurrenceDataSource> dataSources) {
        Health.Builder health = Health.up();
        Map<String, Object> pools = new TreeMap<>();
        dataSources.forEach((name, dataSource) -> {
            if (dataSource.isClosed()) {
                health.down();
                pools.put(name, "closed");
            } else {
                ConcurrenceDataSource.PoolStats stats = dataSource.poolStats();
                pools.put(name, Map.of("size", stats.size(), "allocated", stats.allocated(),
                        "acquired", stats.acquired(), "idle", stats.idle(), "pending", stats.pending()));
            }
        });
        return health.withDetails(pools).build();
    }

    static Health remoteHealth(Map<String, RemoteClient> clients) {
        Health.Builder health = Health.up();
        Map<String, Object> details = new TreeMap<>();
        clients.forEach((name, client) -> {
            RemoteClient.Stats stats = client.stats();
            if (stats.connectedServers() == 0) {
                health.down();
            }
            details.put(name, Map.of("servers", stats.servers(), "connectedServers", stats.connectedServers(),
                    "calls", stats.calls(), "failedCalls", stats.failedCalls(), "sends", stats.sends(),
                    "disconnectedSends", stats.disconnectedSends(), "unconfirmedSends", stats.unconfirmedSends(),
                    "reconnects", stats.reconnects()));
        });
        return health.withDetails(details).build();
    }
}
