package io.concurrence.spring;

import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

import io.concurrence.db.ConcurrenceDataSource;

/**
 * A {@link DataSource} backed by {@link ConcurrenceDataSource}, so {@code JdbcTemplate}, {@code JdbcClient} and
 * {@code @Transactional} run on Concurrence's pool unchanged.
 *
 * <p>Active when concurrence-db is on the class path and either {@code concurrence.db.url} is set or
 * {@code spring.datasource.url} starts with {@code jdbc:concurrence:} (then {@code spring.datasource.username} and
 * {@code .password} apply too, unless {@code concurrence.db.username}/{@code .password} are set). It runs before
 * Spring Boot's {@link DataSourceAutoConfiguration}, whose pooled data source then backs off; an application's own
 * {@code DataSource} bean switches this one off. The pool is closed with the application context.
 *
 * @since 0.1
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({DataSource.class, ConcurrenceDataSource.class})
@Conditional(OnConcurrenceDbUrlCondition.class)
@EnableConfigurationProperties(ConcurrenceDbProperties.class)
public class ConcurrenceDbAutoConfiguration {

    /** The prefix of the URLs this auto-configuration takes from {@code spring.datasource.url}. */
    static final String URL_PREFIX = "jdbc:concurrence:";

    /** Creates the auto-configuration; Spring calls it. */
    public ConcurrenceDbAutoConfiguration() {
    }

    /**
     * The data source, built from {@link ConcurrenceDbProperties} and closed with the context.
     *
     * @param properties the {@code concurrence.db.*} properties
     * @param environment where {@code spring.datasource.url}, {@code .username} and {@code .password} are read
     *        when {@code concurrence.db.url} is not set
     * @return the pooled data source; it connects at the first {@code getConnection}, or at once when
     *         {@code min-idle} is above 0
     * @throws IllegalArgumentException naming the property, when a value is malformed or out of range
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DataSource.class)
    public ConcurrenceDataSource dataSource(ConcurrenceDbProperties properties, Environment environment) {
        String url = properties.getUrl();
        String origin = ConcurrenceDbProperties.PREFIX + ".url";
        String username = properties.getUsername();
        String password = properties.getPassword();
        if (url == null || url.isBlank()) {
            url = environment.getRequiredProperty("spring.datasource.url");
            origin = "spring.datasource.url";
            username = username != null ? username : environment.getProperty("spring.datasource.username");
            password = password != null ? password : environment.getProperty("spring.datasource.password");
        }
        ConcurrenceDataSource.Builder builder = ConcurrenceDataSource.builder();
        if (username != null) {
            builder.user(username);
        }
        if (password != null) {
            builder.password(password);
        }
        builder.poolSize(properties.getPoolSize())
                .minIdle(properties.getMinIdle())
                .acquireTimeout(properties.getAcquireTimeout())
                .connectTimeout(properties.getConnectTimeout())
                .queryTimeout(properties.getQueryTimeout())
                .maxIdleTime(properties.getMaxIdleTime())
                .maxLifeTime(properties.getMaxLifeTime())
                .validationQuery(properties.getValidationQuery());
        if (properties.getPoolName() != null) {
            builder.poolName(properties.getPoolName());
        }
        for (Map.Entry<String, String> option : properties.getOptions().entrySet()) {
            try {
                builder.property(option.getKey(), option.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ConcurrenceDbProperties.PREFIX + ".options." + option.getKey()
                        + ": " + e.getMessage(), e);
            }
        }
        try {
            builder.url(url);
        } catch (SQLException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConcurrenceDbProperties.PREFIX + " (with " + origin + "): "
                    + e.getMessage(), e);
        }
    }
}
