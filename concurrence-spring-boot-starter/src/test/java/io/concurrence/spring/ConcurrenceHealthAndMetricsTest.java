package io.concurrence.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.concurrence.Call;
import io.concurrence.Tasklet;
import io.concurrence.db.ConcurrenceDataSource;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The health indicators and the pool gauges, over the application's own {@link ConcurrenceDataSource} and
 * {@link RemoteClient} beans.
 */
class ConcurrenceHealthAndMetricsTest {

    static final Duration SOON = Duration.ofSeconds(20);
    static final String DB_URL = "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=&poolSize=3";

    record Ping() implements Call<String> {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(ConcurrenceHealthAutoConfiguration.class,
                    ConcurrenceMetricsAutoConfiguration.class));

    @Test
    void theDbIndicatorReportsEachPoolAndIsDownOnceOneIsClosed() {
        runner.withBean("orders", ConcurrenceDataSource.class, () -> dataSource()).run(context -> {
            HealthIndicator indicator = context.getBean("concurrenceDbHealthIndicator", HealthIndicator.class);
            Health up = indicator.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsKey("orders");
            assertThat(up.getDetails().get("orders")).isEqualTo(Map.of("size", 3, "allocated", 0, "acquired", 0,
                    "idle", 0, "pending", 0));

            context.getBean(ConcurrenceDataSource.class).close();
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("orders", "closed");
        });
    }

    @Test
    void theRemoteIndicatorIsUpWhileConnectedAndDownWhenTheServerIsGone() {
        RemoteServer server = RemoteServer.builder().host("127.0.0.1").allow(Ping.class).metrics(false).bind();
        Tasklet<Void> pong = Tasklet.receiver(envelope -> envelope.reply("pong"));
        server.register("pong", pong);
        try {
            runner.withBean("pongClient", RemoteClient.class, () -> RemoteClient.builder().port(server.port())
                    .allow(Ping.class).metrics(false).connect()).run(context -> {
                        HealthIndicator indicator = context.getBean("concurrenceRemoteHealthIndicator",
                                HealthIndicator.class);
                        RemoteClient client = context.getBean(RemoteClient.class);
                        assertThat(client.lookup("pong").call(new Ping(), SOON)).isEqualTo("pong");
                        Health up = indicator.health();
                        assertThat(up.getStatus()).isEqualTo(Status.UP);
                        @SuppressWarnings("unchecked")
                        Map<String, Object> details = (Map<String, Object>) up.getDetails().get("pongClient");
                        assertThat(details).containsEntry("calls", 2L).containsEntry("connectedServers", 1);

                        server.close();
                        long deadline = System.nanoTime() + SOON.toNanos();
                        while (client.isConnected() && System.nanoTime() < deadline) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                        }
                        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
                    });
        } finally {
            pong.kill();
            server.close();
        }
    }

    @Test
    void thePoolGaugesAreBoundToTheRegistryAndRemovedOnClose() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runner.withBean(MeterRegistry.class, () -> registry)
                .withBean("orders", ConcurrenceDataSource.class, () -> dataSource())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(registry.find("concurrence.db.pool.size").gauge()).isNotNull();
                    assertThat(registry.get("concurrence.db.pool.size").gauge().value()).isEqualTo(3.0);
                });
        assertThat(registry.find("concurrence.db.pool.size").gauges()).as("removed when the context closed")
                .isEmpty();
    }

    @Test
    void twoPoolsUnderOneNameFailTheStartNamingThePool() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean("orders", ConcurrenceDataSource.class, () -> dataSource())
                .withBean("reports", ConcurrenceDataSource.class, () -> dataSource())
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("IllegalStateException")
                        .hasStackTraceContaining("127.0.0.1:3306/test")
                        .hasStackTraceContaining("poolName"));
    }

    @Test
    void withoutBeansTheIndicatorsAreUpAndEmpty() {
        runner.run(context -> {
            assertThat(context.getBean("concurrenceDbHealthIndicator", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP);
            assertThat(context.getBean("concurrenceRemoteHealthIndicator", HealthIndicator.class).health()
                    .getDetails()).isEmpty();
        });
    }

    @Test
    void aUserIndicatorOfTheSameNameWins() {
        HealthIndicator mine = () -> Health.outOfService().build();
        runner.withBean("concurrenceDbHealthIndicator", HealthIndicator.class, () -> mine).run(context ->
                assertThat(context.getBean("concurrenceDbHealthIndicator")).isSameAs(mine));
    }

    private static ConcurrenceDataSource dataSource() {
        try {
            return ConcurrenceDataSource.fromUrl(DB_URL);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
