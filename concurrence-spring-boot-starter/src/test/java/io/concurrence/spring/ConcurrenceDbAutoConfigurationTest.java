package io.concurrence.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import io.concurrence.db.ConcurrenceDataSource;

class ConcurrenceDbAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConcurrenceDbAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                    TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class));

    @BeforeEach
    void requireServer() {
        DbTestServer.require();
    }

    @Test
    void concurrenceDbUrlGivesJdbcTemplateAConcurrenceDataSource() {
        runner.withPropertyValues("concurrence.db.url=" + DbTestServer.url(), "concurrence.db.pool-size=3")
                .run(context -> {
                    assertThat(context).hasSingleBean(DataSource.class);
                    assertThat(context.getBean(DataSource.class)).isInstanceOf(ConcurrenceDataSource.class);
                    assertThat(context.getBean(ConcurrenceDataSource.class).poolStats().size()).isEqualTo(3);
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    assertThat(jdbc.queryForObject("SELECT 1 + 1", Integer.class)).isEqualTo(2);
                });
    }

    @Test
    void springDatasourceUrlWithConcurrencePrefixBacksBootsDataSourceOff() {
        String url = DbTestServer.url();
        runner.withPropertyValues("spring.datasource.url=" + url).run(context -> {
            assertThat(context).hasSingleBean(DataSource.class);
            assertThat(context.getBean(DataSource.class)).isInstanceOf(ConcurrenceDataSource.class);
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT 'ok'", String.class))
                    .isEqualTo("ok");
        });
    }

    @Test
    void springDatasourceUsernameAndPasswordApplyToTheConcurrenceUrl() {
        String url = DbTestServer.url().replaceFirst("\\?.*$", "");
        runner.withPropertyValues("spring.datasource.url=" + url, "spring.datasource.username=concurrence_nobody",
                "spring.datasource.password=wrong", "concurrence.db.acquire-timeout=10s").run(context -> {
                    DataSource dataSource = context.getBean(DataSource.class);
                    assertThatThrownBy(dataSource::getConnection)
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("concurrence_nobody");
                });
    }

    @Test
    void transactionalMethodRollsBackItsInsertOnException() {
        runner.withPropertyValues("concurrence.db.url=" + DbTestServer.url())
                .withUserConfiguration(AccountsConfiguration.class)
                .run(context -> {
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    jdbc.execute("CREATE TABLE IF NOT EXISTS spring_tx (id INT PRIMARY KEY) ENGINE=InnoDB");
                    jdbc.execute("DELETE FROM spring_tx");
                    Accounts accounts = context.getBean(Accounts.class);
                    assertThatThrownBy(() -> accounts.insertThenFail(1))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessage("after the insert of 1");
                    accounts.insert(2);
                    assertThat(jdbc.queryForList("SELECT id FROM spring_tx", Integer.class)).containsExactly(2);
                    jdbc.execute("DROP TABLE spring_tx");
                });
    }

    @Test
    void closingTheContextClosesThePool() {
        AtomicReference<ConcurrenceDataSource> dataSource = new AtomicReference<>();
        runner.withPropertyValues("concurrence.db.url=" + DbTestServer.url()).run(context -> {
            dataSource.set(context.getBean(ConcurrenceDataSource.class));
            try (Connection connection = dataSource.get().getConnection()) {
                assertThat(connection.isValid(10)).isTrue();
            }
            assertThat(dataSource.get().isClosed()).isFalse();
        });
        assertThat(dataSource.get().isClosed()).isTrue();
        assertThatThrownBy(() -> dataSource.get().getConnection()).isInstanceOf(SQLException.class);
    }

    @Test
    void poolSizeZeroFailsStartupNamingTheProperty() {
        runner.withPropertyValues("concurrence.db.url=" + DbTestServer.url(), "concurrence.db.pool-size=0")
                .run(context -> assertThat(context).getFailure()
                        .rootCause()
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("concurrence.db.pool-size: 0 is out of range: expected at least 1"));
    }

    @Test
    void malformedOptionFailsStartupNamingTheProperty() {
        runner.withPropertyValues("concurrence.db.url=" + DbTestServer.url(), "concurrence.db.options.sslMode=sometimes")
                .run(context -> assertThat(context).getFailure()
                        .rootCause()
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("sslMode 'sometimes' is unknown"));
        runner.withPropertyValues("concurrence.db.url=" + DbTestServer.url(), "concurrence.db.options.sslMode=sometimes")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("concurrence.db.options.sslMode: sslMode 'sometimes' is unknown"));
    }

    @Test
    void malformedUrlFailsStartupNamingTheProperty() {
        runner.withPropertyValues("spring.datasource.url=jdbc:concurrence:mysql://127.0.0.1:notaport/test")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("spring.datasource.url: bad port 'notaport'"));
    }

    @Test
    void userDataSourceSwitchesTheAutoConfigurationOff() {
        runner.withPropertyValues("concurrence.db.url=" + DbTestServer.url())
                .withUserConfiguration(UserDataSourceConfiguration.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(DataSource.class);
                    assertThat(context.getBean(ConcurrenceDataSource.class).name()).isEqualTo("users-own");
                });
    }

    @Test
    void noConcurrenceUrlLeavesTheDataSourceToSpringBoot() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConcurrenceDbAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:mysql://127.0.0.1:3306/test")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DataSource.class);
                    assertThat(context).doesNotHaveBean(ConcurrenceDbProperties.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class AccountsConfiguration {

        @Bean
        Accounts accounts(JdbcTemplate jdbc) {
            return new Accounts(jdbc);
        }
    }

    /** A transactional service; public with public methods so the transaction proxy applies. */
    public static class Accounts {

        private final JdbcTemplate jdbc;

        Accounts(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        /** Inserts {@code id}. */
        @Transactional
        public void insert(int id) {
            jdbc.update("INSERT INTO spring_tx (id) VALUES (?)", id);
        }

        /** Inserts {@code id}, then throws. */
        @Transactional
        public void insertThenFail(int id) {
            jdbc.update("INSERT INTO spring_tx (id) VALUES (?)", id);
            throw new IllegalStateException("after the insert of " + id);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserDataSourceConfiguration {

        @Bean(destroyMethod = "close")
        ConcurrenceDataSource usersDataSource() throws SQLException {
            return ConcurrenceDataSource.builder().url(DbTestServer.url()).poolName("users-own").build();
        }
    }
}
