package io.concurrence.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code concurrence.db.*} properties of {@link ConcurrenceDbAutoConfiguration}: where the database is and how
 * the pool of {@code ConcurrenceDataSource} behaves. Options in the URL's query override these properties.
 * A setter given a value out of range throws {@link IllegalArgumentException} naming the property, so a bad value
 * fails the application's start-up.
 *
 * <p>Not thread-safe: Spring binds it once at start-up.
 *
 * @since 0.1
 */
@ConfigurationProperties(prefix = ConcurrenceDbProperties.PREFIX)
public class ConcurrenceDbProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "concurrence.db";

    /**
     * The database's JDBC URL, jdbc:concurrence:mysql://host:port/database, with any option of docs/database.md
     * in its query. When absent, spring.datasource.url is used if it starts with jdbc:concurrence:.
     */
    private @Nullable String url;

    /** The user name; defaults to spring.datasource.username, then to the URL's user option, then to root. */
    private @Nullable String username;

    /** The password; defaults to spring.datasource.password, then to the URL's password option, then empty. */
    private @Nullable String password;

    /** The most connections the pool opens. */
    private int poolSize = 10;

    /** Connections kept open while idle. */
    private int minIdle;

    /** How long getConnection waits for a free connection. */
    private Duration acquireTimeout = Duration.ofSeconds(30);

    /** How long opening a connection to the server may take. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** The query timeout every statement starts with; 0 means none. */
    private Duration queryTimeout = Duration.ZERO;

    /** Idle connections older than this are closed. */
    private Duration maxIdleTime = Duration.ofMinutes(10);

    /** Connections older than this are closed when next returned to the pool. */
    private Duration maxLifeTime = Duration.ofMinutes(30);

    /** A query that checks each connection before it is handed out; by default only a local check. */
    private @Nullable String validationQuery;

    /** The pool's name in errors, logs and metrics; by default host:port/database. */
    private @Nullable String poolName;

    /**
     * Any other option of docs/database.md by its name (sslMode, sslCa, connectionTimeZone, sessionVariables,
     * useServerPrepareStatements, ...), as in a URL's query.
     */
    private Map<String, String> options = new LinkedHashMap<>();

    public @Nullable String getUrl() {
        return url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public @Nullable String getUsername() {
        return username;
    }

    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    public @Nullable String getPassword() {
        return password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public int getPoolSize() {
        return poolSize;
    }

    /** Sets the pool size; below 1 throws an {@code IllegalArgumentException} naming the property. */
    public void setPoolSize(int poolSize) {
        if (poolSize < 1) {
            throw outOfRange("pool-size", poolSize, "expected at least 1");
        }
        this.poolSize = poolSize;
    }

    public int getMinIdle() {
        return minIdle;
    }

    /** Sets the idle minimum; below 0 throws an {@code IllegalArgumentException} naming the property. */
    public void setMinIdle(int minIdle) {
        if (minIdle < 0) {
            throw outOfRange("min-idle", minIdle, "expected 0 or more (and at most pool-size)");
        }
        this.minIdle = minIdle;
    }

    public Duration getAcquireTimeout() {
        return acquireTimeout;
    }

    public void setAcquireTimeout(Duration acquireTimeout) {
        this.acquireTimeout = positive("acquire-timeout", acquireTimeout);
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive("connect-timeout", connectTimeout);
    }

    public Duration getQueryTimeout() {
        return queryTimeout;
    }

    /** Sets the query timeout; a negative one throws an {@code IllegalArgumentException} naming the property. */
    public void setQueryTimeout(Duration queryTimeout) {
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (queryTimeout.isNegative()) {
            throw outOfRange("query-timeout", queryTimeout, "expected 0 (none) or more");
        }
        this.queryTimeout = queryTimeout;
    }

    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }

    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = positive("max-idle-time", maxIdleTime);
    }

    public Duration getMaxLifeTime() {
        return maxLifeTime;
    }

    public void setMaxLifeTime(Duration maxLifeTime) {
        this.maxLifeTime = positive("max-life-time", maxLifeTime);
    }

    public @Nullable String getValidationQuery() {
        return validationQuery;
    }

    public void setValidationQuery(@Nullable String validationQuery) {
        this.validationQuery = validationQuery;
    }

    public @Nullable String getPoolName() {
        return poolName;
    }

    public void setPoolName(@Nullable String poolName) {
        this.poolName = poolName;
    }

    public Map<String, String> getOptions() {
        return options;
    }

    public void setOptions(Map<String, String> options) {
        this.options = new LinkedHashMap<>(options);
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw outOfRange(name, value, "expected a duration above 0");
        }
        return value;
    }

    private static IllegalArgumentException outOfRange(String name, Object value, String expected) {
        return new IllegalArgumentException(PREFIX + "." + name + ": " + value + " is out of range: " + expected);
    }
}
