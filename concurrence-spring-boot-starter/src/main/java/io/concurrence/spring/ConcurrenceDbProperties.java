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

    /**
     * The user name; defaults to spring.datasource.username (with spring.datasource.url), then to root. The URL's
     * user option, when present, takes precedence.
     */
    private @Nullable String username;

    /**
     * The password; defaults to spring.datasource.password (with spring.datasource.url), then empty. The URL's
     * password option, when present, takes precedence.
     */
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

    /** Creates properties holding the defaults. */
    public ConcurrenceDbProperties() {
    }

    /**
     * The database's JDBC URL.
     *
     * @return a {@code jdbc:concurrence:mysql://host:port/database} URL, or {@code null} (the default) to use
     *         {@code spring.datasource.url}
     */
    public @Nullable String getUrl() {
        return url;
    }

    /**
     * Sets the database's JDBC URL; options in its query override the other properties. A malformed URL fails the
     * data source's creation, naming this property.
     *
     * @param url a {@code jdbc:concurrence:mysql://host:port/database} URL, or {@code null} (or blank) to use
     *        {@code spring.datasource.url}
     */
    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    /**
     * The user name.
     *
     * @return the user name, or {@code null} (the default) to fall back on {@code spring.datasource.username} (when
     *         the URL is {@code spring.datasource.url}), then on {@code root}
     */
    public @Nullable String getUsername() {
        return username;
    }

    /**
     * Sets the user name; the URL's {@code user} option, if present, takes precedence.
     *
     * @param username the user name, or {@code null} for the default
     */
    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    /**
     * The password.
     *
     * @return the password, or {@code null} (the default) to fall back on {@code spring.datasource.password} (when
     *         the URL is {@code spring.datasource.url}), then on an empty one
     */
    public @Nullable String getPassword() {
        return password;
    }

    /**
     * Sets the password; the URL's {@code password} option, if present, takes precedence.
     *
     * @param password the password, or {@code null} for the default
     */
    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    /**
     * The most connections the pool opens.
     *
     * @return 1 or more; default 10
     */
    public int getPoolSize() {
        return poolSize;
    }

    /**
     * Sets the most connections the pool opens.
     *
     * @param poolSize 1 or more
     * @throws IllegalArgumentException naming the property, if below 1
     */
    public void setPoolSize(int poolSize) {
        if (poolSize < 1) {
            throw outOfRange("pool-size", poolSize, "expected at least 1");
        }
        this.poolSize = poolSize;
    }

    /**
     * The connections kept open while idle.
     *
     * @return 0 or more; default 0
     */
    public int getMinIdle() {
        return minIdle;
    }

    /**
     * Sets the connections kept open while idle. A value above the pool size fails the data source's creation.
     *
     * @param minIdle 0 to the pool size
     * @throws IllegalArgumentException naming the property, if below 0
     */
    public void setMinIdle(int minIdle) {
        if (minIdle < 0) {
            throw outOfRange("min-idle", minIdle, "expected 0 or more (and at most pool-size)");
        }
        this.minIdle = minIdle;
    }

    /**
     * How long {@code getConnection} waits for a free connection before it fails.
     *
     * @return a positive duration; default 30 s
     */
    public Duration getAcquireTimeout() {
        return acquireTimeout;
    }

    /**
     * Sets how long {@code getConnection} waits for a free connection before it fails.
     *
     * @param acquireTimeout a positive duration, not null
     * @throws IllegalArgumentException naming the property, if zero or negative
     */
    public void setAcquireTimeout(Duration acquireTimeout) {
        this.acquireTimeout = positive("acquire-timeout", acquireTimeout);
    }

    /**
     * How long opening a connection to the server may take.
     *
     * @return a positive duration; default 10 s
     */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * Sets how long opening a connection to the server may take.
     *
     * @param connectTimeout a positive duration, not null
     * @throws IllegalArgumentException naming the property, if zero or negative
     */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive("connect-timeout", connectTimeout);
    }

    /**
     * The query timeout every statement starts with.
     *
     * @return zero (none, the default) or a positive duration
     */
    public Duration getQueryTimeout() {
        return queryTimeout;
    }

    /**
     * Sets the query timeout every statement starts with.
     *
     * @param queryTimeout zero for none, or a positive duration; not null
     * @throws IllegalArgumentException naming the property, if negative
     */
    public void setQueryTimeout(Duration queryTimeout) {
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (queryTimeout.isNegative()) {
            throw outOfRange("query-timeout", queryTimeout, "expected 0 (none) or more");
        }
        this.queryTimeout = queryTimeout;
    }

    /**
     * How long a connection may stay idle in the pool before it is closed.
     *
     * @return a positive duration; default 10 min
     */
    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }

    /**
     * Sets how long a connection may stay idle in the pool before it is closed.
     *
     * @param maxIdleTime a positive duration, not null
     * @throws IllegalArgumentException naming the property, if zero or negative
     */
    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = positive("max-idle-time", maxIdleTime);
    }

    /**
     * The age past which a connection is closed when next returned to the pool.
     *
     * @return a positive duration; default 30 min
     */
    public Duration getMaxLifeTime() {
        return maxLifeTime;
    }

    /**
     * Sets the age past which a connection is closed when next returned to the pool.
     *
     * @param maxLifeTime a positive duration, not null
     * @throws IllegalArgumentException naming the property, if zero or negative
     */
    public void setMaxLifeTime(Duration maxLifeTime) {
        this.maxLifeTime = positive("max-life-time", maxLifeTime);
    }

    /**
     * The query that checks each connection before it is handed out.
     *
     * @return the SQL, or {@code null} (the default) for a local check only
     */
    public @Nullable String getValidationQuery() {
        return validationQuery;
    }

    /**
     * Sets the query that checks each connection before it is handed out.
     *
     * @param validationQuery the SQL (e.g. {@code SELECT 1}), or {@code null} for a local check only
     */
    public void setValidationQuery(@Nullable String validationQuery) {
        this.validationQuery = validationQuery;
    }

    /**
     * The pool's name in errors, logs and metrics.
     *
     * @return the name, or {@code null} (the default) for {@code host:port/database}
     */
    public @Nullable String getPoolName() {
        return poolName;
    }

    /**
     * Sets the pool's name in errors, logs and metrics.
     *
     * @param poolName the name, or {@code null} for {@code host:port/database}
     */
    public void setPoolName(@Nullable String poolName) {
        this.poolName = poolName;
    }

    /**
     * The other options of docs/database.md, by name.
     *
     * @return the live, mutable map from option name to value, as in a URL's query; empty by default
     */
    public Map<String, String> getOptions() {
        return options;
    }

    /**
     * Sets the other options of docs/database.md, by name. An unknown option or a malformed value fails the data
     * source's creation, naming {@code concurrence.db.options.<name>}.
     *
     * @param options option name to value, as in a URL's query (e.g. {@code sslMode} to {@code REQUIRED}); copied
     */
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
