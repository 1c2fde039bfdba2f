package io.concurrence.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import io.concurrence.db.internal.DbConfig;
import io.concurrence.db.internal.DbPool;
import io.concurrence.db.internal.DbUrl;
import io.concurrence.db.internal.OptionLists;

/**
 * A pooled {@link DataSource} whose connections run every statement on R2DBC MySQL through r2dbc-pool; the
 * calling tasklet waits only in {@code Await}.
 * <pre>{@code
 * ConcurrenceDataSource db = ConcurrenceDataSource.builder()
 *         .host("127.0.0.1").port(3306).database("test").user("root").password("")
 *         .poolSize(10)
 *         .build();
 * try (Connection c = db.getConnection();
 *      PreparedStatement s = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
 *     s.setLong(1, 42);
 *     try (ResultSet rs = s.executeQuery()) { ... }
 * }
 * db.close();
 * }</pre>
 * {@link Connection#close()} returns the connection to the pool (after rolling back what an uncommitted
 * transaction left and restoring auto-commit, isolation and read-only). Closing the data source closes the pool.
 *
 * <p><b>Timeout:</b> {@link #getConnection()} waits at most the pool's {@code acquireTimeout}, the
 * {@linkplain #setLoginTimeout login timeout} when set, and the ambient {@link io.concurrence.Timeout}; then it
 * throws {@link java.sql.SQLTimeoutException} naming the pool and its size. <b>Kill:</b> a killed tasklet's wait
 * throws {@link io.concurrence.TaskletExit}. <b>Threads:</b> any thread that may block, tasklets above all.
 * See {@code docs/database.md} for every option.
 *
 * @since 0.1
 */
public final class ConcurrenceDataSource implements DataSource, AutoCloseable {

    private final DbPool pool;
    private volatile int loginTimeoutSeconds;
    private volatile @Nullable PrintWriter logWriter;

    private ConcurrenceDataSource(DbPool pool) {
        this.pool = pool;
    }

    /**
     * A builder with the defaults: 127.0.0.1:3306, no database, user root, empty password, a pool of 10.
     *
     * @return a new builder, not shared with other callers
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A data source for {@code url} ({@code jdbc:concurrence:mysql://host:port/database?user=...&password=...}
     * and any option of {@code docs/database.md}).
     *
     * @param url the URL; option names and values are percent-decoded, so a {@code +} reads as a space
     * @return a new data source with a pool of its own, which the caller closes
     * @throws SQLException (SQLState 08001) when the URL is malformed, or an option is unknown, malformed or out of
     *         range (such as {@code poolSize=0}, {@code minIdle} above {@code poolSize}, a negative duration, port
     *         0 or an unknown {@code connectionTimeZone}); the message names the option and what was expected, and
     *         the cause is the builder's {@link IllegalArgumentException}. Nothing has connected yet
     */
    public static ConcurrenceDataSource fromUrl(String url) throws SQLException {
        return fromUrl(url, new Properties());
    }

    /**
     * {@link #fromUrl(String)} with options from {@code info} that the URL's own options override: what
     * {@link ConcurrenceDriver} opens its pools with. Every bad option, wherever the builder finds it, surfaces as
     * the {@link SQLException} (08001) that JDBC callers expect.
     */
    static ConcurrenceDataSource fromUrl(String url, Properties info) throws SQLException {
        Builder builder = builder().url(url, info);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw Builder.badOption(e, url);
        }
    }

    static ConcurrenceDataSource of(DbPool pool) {
        return new ConcurrenceDataSource(pool);
    }

    DbPool pool() {
        return pool;
    }

    /**
     * Borrows a connection from the pool.
     *
     * @throws java.sql.SQLTimeoutException when no connection is free in time (the message names the pool size)
     * @throws java.sql.SQLInvalidAuthorizationSpecException when the server refuses the user or password
     * @throws java.sql.SQLNonTransientConnectionException when the server cannot be reached, or the pool is closed
     */
    @Override
    public Connection getConnection() throws SQLException {
        int login = loginTimeoutSeconds;
        return pool.borrow(login > 0 ? Duration.ofSeconds(login) : null);
    }

    /** Not supported: a pool serves one user. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("ConcurrenceDataSource.getConnection(username, password): the pool"
                + " logs in as " + pool.config().user() + "; build another data source for another user");
    }

    /**
     * The pool's current figures.
     *
     * @return a snapshot taken now, not updated afterwards
     */
    public PoolStats poolStats() {
        return pool.stats();
    }

    /**
     * The pool's name (in errors, logs and metrics).
     *
     * @return the builder's {@code poolName}, by default {@code host:port/database}
     */
    public String name() {
        return pool.config().poolName();
    }

    /** Closes the pool: idle connections close now, borrowed ones when they are returned. Idempotent. */
    @Override
    public void close() {
        pool.close();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once {@link #close()} was called, even while borrowed connections are still out
     */
    public boolean isClosed() {
        return pool.isClosed();
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
        return logWriter;
    }

    /** Kept and returned by {@link #getLogWriter()}; the driver logs through SLF4J. */
    @Override
    public void setLogWriter(@Nullable PrintWriter out) {
        this.logWriter = out;
    }

    /** A bound, in seconds, on {@link #getConnection()}'s wait for a pooled connection; 0 means the pool's. */
    @Override
    public void setLoginTimeout(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("login timeout " + seconds + " is negative: expected seconds >= 0");
        }
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("ConcurrenceDataSource.getParentLogger: the driver logs through"
                + " SLF4J, not java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("ConcurrenceDataSource does not wrap a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "ConcurrenceDataSource[" + name() + ", " + pool.config().describe() + "]";
    }

    /**
     * Figures of the pool at one moment.
     *
     * @param size the most connections the pool opens
     * @param allocated connections open now (idle and borrowed)
     * @param acquired connections borrowed now (including those still finishing a cancelled statement)
     * @param idle connections open and free now
     * @param pending callers waiting for a connection now
     */
    public record PoolStats(int size, int allocated, int acquired, int idle, int pending) {
    }

    /**
     * Builds a {@link ConcurrenceDataSource}. Every option also has a name for {@link #property(String, String)}
     * and JDBC URLs; {@code docs/database.md} lists them with their defaults.
     */
    public static final class Builder {

        private static final List<String> OPTIONS = List.of("user", "password", "poolSize", "minIdle",
                "acquireTimeout", "connectTimeout", "queryTimeout", "maxIdleTime", "maxLifeTime",
                "validationQuery", "sslMode", "sslCa", "sslCert", "sslKey", "tlsVersion", "connectionTimeZone",
                "serverTimezone", "useServerPrepareStatements", "prepareCacheSize", "tinyInt1isBit",
                "zeroDateTimeBehavior", "tcpKeepAlive", "tcpNoDelay", "sessionVariables", "poolName", "metrics",
                "characterEncoding", "killGrace");

        private String host = "127.0.0.1";
        private int port = DbConfig.DEFAULT_PORT;
        private String database = "";
        private String user = "root";
        private String password = "";
        private int poolSize = 10;
        private int minIdle;
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration queryTimeout = Duration.ZERO;
        private Duration maxIdleTime = Duration.ofMinutes(10);
        private Duration maxLifeTime = Duration.ofMinutes(30);
        private @Nullable String validationQuery;
        private String sslMode = "PREFERRED";
        private @Nullable String sslCa;
        private @Nullable String sslCert;
        private @Nullable String sslKey;
        private List<String> tlsVersions = List.of();
        private @Nullable String connectionTimeZone;
        private boolean serverPrepare;
        private int prepareCacheSize = 256;
        private boolean tinyInt1isBit = true;
        private String zeroDate = "USE_NULL";
        private boolean tcpKeepAlive = true;
        private boolean tcpNoDelay = true;
        private List<String> sessionVariables = List.of();
        private @Nullable String poolName;
        private boolean metrics;
        private Duration killGrace = Duration.ofSeconds(10);

        private Builder() {
        }

        /**
         * Takes host, port, database and options from a {@code jdbc:concurrence:mysql://} URL. Host, port and
         * database replace what was set before (a URL without a port means 3306, without a database none); options
         * the URL does not name keep their values.
         *
         * @param url the URL, e.g. {@code jdbc:concurrence:mysql://db:3306/shop?poolSize=20}; option names and
         *        values are percent-decoded, so a {@code +} reads as a space
         * @return this builder
         * @throws SQLException (SQLState 08001) when the URL is malformed, or an option is unknown or malformed, or
         *         {@code connectionTimeZone} and its alias {@code serverTimezone} are both given with different
         *         values
         */
        public Builder url(String url) throws SQLException {
            return url(url, new Properties());
        }

        /**
         * Like {@link #url(String)}, with options from {@code info} that the URL's own options override.
         *
         * @param url the URL, as for {@link #url(String)}
         * @param info options by name, such as the {@code user} and {@code password} that {@code DriverManager}
         *        passes; may be empty
         * @return this builder
         * @throws SQLException (SQLState 08001) when the URL is malformed, or an option is unknown or malformed, or
         *         {@code connectionTimeZone} and its alias {@code serverTimezone} are both given (in the URL or in
         *         {@code info}) with different values
         */
        public Builder url(String url, Properties info) throws SQLException {
            DbUrl parsed = DbUrl.parse(url, info);
            checkOneTimeZone(parsed.options(), url);
            host(parsed.host()).port(parsed.port()).database(parsed.database());
            for (Map.Entry<String, String> option : parsed.options().entrySet()) {
                try {
                    property(option.getKey(), option.getValue());
                } catch (IllegalArgumentException e) {
                    throw badOption(e, url);
                }
            }
            return this;
        }

        /**
         * Sets an option by its name, as in a URL: {@code property("poolSize", "20")}.
         *
         * @param name the option's name, case-sensitive, as listed in {@code docs/database.md} ({@code serverTimezone}
         *        is an alias of {@code connectionTimeZone}: the later call wins); host, port and database are not
         *        options
         * @param value the value as text: booleans {@code true}/{@code false} (or yes/no, 1/0; empty means true),
         *        durations {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code PT5S} or plain milliseconds,
         *        lists ({@code tlsVersion}, {@code sessionVariables}) comma-separated, each item trimmed, empty ones
         *        dropped, a comma inside quotes or parentheses kept ({@code sql_mode='A,B'}); an empty
         *        {@code validationQuery}, {@code tlsVersion} or {@code sessionVariables} means none
         * @return this builder
         * @throws IllegalArgumentException naming the option and what was expected, for an unknown option or a
         *         malformed value (such as a quote left open in {@code sessionVariables})
         */
        public Builder property(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            switch (name) {
                case "user" -> user(value);
                case "password" -> password(value);
                case "poolSize" -> poolSize(integer(name, value));
                case "minIdle" -> minIdle(integer(name, value));
                case "acquireTimeout" -> acquireTimeout(duration(name, value));
                case "connectTimeout" -> connectTimeout(duration(name, value));
                case "queryTimeout" -> queryTimeout(duration(name, value));
                case "maxIdleTime" -> maxIdleTime(duration(name, value));
                case "maxLifeTime" -> maxLifeTime(duration(name, value));
                case "validationQuery" -> validationQuery(value.isEmpty() ? null : value);
                case "sslMode" -> sslMode(value);
                case "sslCa" -> sslCa(value);
                case "sslCert" -> sslCert(value);
                case "sslKey" -> sslKey(value);
                case "tlsVersion" -> tlsVersions(OptionLists.split(name, value));
                case "connectionTimeZone", "serverTimezone" -> connectionTimeZone(value);
                case "useServerPrepareStatements" -> serverPrepareStatements(bool(name, value));
                case "prepareCacheSize" -> prepareCacheSize(integer(name, value));
                case "tinyInt1isBit" -> tinyInt1isBit(bool(name, value));
                case "zeroDateTimeBehavior" -> zeroDateTimeBehavior(value);
                case "tcpKeepAlive" -> tcpKeepAlive(bool(name, value));
                case "tcpNoDelay" -> tcpNoDelay(bool(name, value));
                case "sessionVariables" -> sessionVariables(OptionLists.split(name, value));
                case "poolName" -> poolName(value);
                case "metrics" -> metrics(bool(name, value));
                case "characterEncoding" -> characterEncoding(value);
                case "killGrace" -> killGrace(duration(name, value));
                default -> throw new IllegalArgumentException("unknown option '" + name + "': expected one of "
                        + OPTIONS);
            }
            return this;
        }

        /**
         * The server's host name or address (default 127.0.0.1).
         *
         * @param host a host name or IP address, not blank ({@link #build()} checks)
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The server's port (default 3306).
         *
         * @param port the TCP port, 1 to 65535 ({@link #build()} checks)
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The default database (catalog) of every connection (default none).
         *
         * @param database the database name, or empty for none (statements then qualify their table names)
         * @return this builder
         */
        public Builder database(String database) {
            this.database = Objects.requireNonNull(database, "database");
            return this;
        }

        /**
         * The user name (default root).
         *
         * @param user the MySQL user every connection of the pool logs in as
         * @return this builder
         */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /**
         * The password (default empty).
         *
         * @param password the user's password, empty for none; a wrong one shows at the first {@code getConnection}
         * @return this builder
         */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * The most connections the pool opens (default 10).
         *
         * @param poolSize the most connections open at once, borrowed and idle together; at least 1
         *        ({@link #build()} checks). When all are borrowed, {@code getConnection} waits
         * @return this builder
         */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /**
         * Connections kept open while idle (default 0).
         *
         * @param minIdle idle connections the pool keeps open, from 0 to {@code poolSize} ({@link #build()} checks);
         *        above 0, {@link #build()} starts opening them in the background
         * @return this builder
         */
        public Builder minIdle(int minIdle) {
            this.minIdle = minIdle;
            return this;
        }

        /**
         * How long {@code getConnection} waits for a free connection (default 30 s).
         *
         * @param timeout the longest wait, positive ({@link #build()} checks); then {@code getConnection} throws
         *        {@link java.sql.SQLTimeoutException}. A shorter login timeout or ambient {@code Timeout} wins
         * @return this builder
         */
        public Builder acquireTimeout(Duration timeout) {
            this.acquireTimeout = Objects.requireNonNull(timeout, "acquireTimeout");
            return this;
        }

        /**
         * How long opening a connection to the server may take (default 10 s).
         *
         * @param timeout the bound on the TCP connect, positive ({@link #build()} checks); opening as a whole
         *        (connect, login and a first query) may take 5 s more before the pool gives up
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
            return this;
        }

        /**
         * The query timeout every statement starts with (default 0: none).
         *
         * @param timeout the initial timeout of each statement, zero for none, not negative ({@link #build()}
         *        checks); may be below a second. {@code Statement.setQueryTimeout} replaces it
         * @return this builder
         */
        public Builder queryTimeout(Duration timeout) {
            this.queryTimeout = Objects.requireNonNull(timeout, "queryTimeout");
            return this;
        }

        /**
         * Idle connections older than this are closed (default 10 min).
         *
         * @param time how long a connection may stay idle, positive ({@link #build()} checks); a background sweep
         *        every 30 s closes those idle longer
         * @return this builder
         */
        public Builder maxIdleTime(Duration time) {
            this.maxIdleTime = Objects.requireNonNull(time, "maxIdleTime");
            return this;
        }

        /**
         * Connections older than this are closed when next returned (default 30 min).
         *
         * @param time the longest a connection is reused after it was opened, positive ({@link #build()} checks)
         * @return this builder
         */
        public Builder maxLifeTime(Duration time) {
            this.maxLifeTime = Objects.requireNonNull(time, "maxLifeTime");
            return this;
        }

        /**
         * A query that checks each connection before it is handed out (default none: a local check only).
         *
         * @param query SQL such as {@code SELECT 1}, one more round trip per borrow; null for the local check only
         * @return this builder
         */
        public Builder validationQuery(@Nullable String query) {
            this.validationQuery = query;
            return this;
        }

        /**
         * TLS: DISABLED, PREFERRED (default), REQUIRED, VERIFY_CA or VERIFY_IDENTITY.
         *
         * @param mode one of those five names, in any case
         * @return this builder
         * @throws IllegalArgumentException for any other name
         */
        public Builder sslMode(String mode) {
            String upper = Objects.requireNonNull(mode, "sslMode").toUpperCase(Locale.ROOT);
            if (!List.of("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY").contains(upper)) {
                throw new IllegalArgumentException("sslMode '" + mode + "' is unknown: expected DISABLED, PREFERRED,"
                        + " REQUIRED, VERIFY_CA or VERIFY_IDENTITY");
            }
            this.sslMode = upper;
            return this;
        }

        /**
         * A PEM file of the CA that signed the server's certificate (for VERIFY_CA and VERIFY_IDENTITY).
         *
         * @param path the file's path (default none)
         * @return this builder
         */
        public Builder sslCa(String path) {
            this.sslCa = Objects.requireNonNull(path, "sslCa");
            return this;
        }

        /**
         * A PEM client certificate, for servers that require one.
         *
         * @param path the certificate file's path (default none); give its key with {@link #sslKey(String)}
         * @return this builder
         */
        public Builder sslCert(String path) {
            this.sslCert = Objects.requireNonNull(path, "sslCert");
            return this;
        }

        /**
         * The PEM key of {@link #sslCert(String)}.
         *
         * @param path the private key file's path (default none)
         * @return this builder
         */
        public Builder sslKey(String path) {
            this.sslKey = Objects.requireNonNull(path, "sslKey");
            return this;
        }

        /**
         * The TLS versions allowed, e.g. {@code TLSv1.3} (default: the JDK's).
         *
         * @param versions protocol names such as {@code TLSv1.2} and {@code TLSv1.3}, copied; empty for the JDK's
         * @return this builder
         */
        public Builder tlsVersions(List<String> versions) {
            this.tlsVersions = List.copyOf(versions);
            return this;
        }

        /**
         * The session time zone: LOCAL (default), SERVER, or a zone id such as {@code UTC}.
         *
         * @param zone {@code LOCAL} or {@code SERVER} in any case, or an id for {@link java.time.ZoneId#of}; an
         *        unknown id makes {@link #build()} throw {@link IllegalArgumentException}
         * @return this builder
         */
        public Builder connectionTimeZone(String zone) {
            this.connectionTimeZone = Objects.requireNonNull(zone, "connectionTimeZone");
            return this;
        }

        /**
         * Whether statements with parameters are prepared on the server and run in MySQL's binary protocol
         * (default false: they go as text, the parameters escaped by R2DBC MySQL, like Connector/J's default).
         * R2DBC MySQL 1.4 follows every server-prepared execution with a {@code COM_STMT_RESET}, a second round
         * trip per query, so server preparation only pays for large binary parameters.
         *
         * @param on true to prepare on the server, false to send parameters escaped in a text query
         * @return this builder
         */
        public Builder serverPrepareStatements(boolean on) {
            this.serverPrepare = on;
            return this;
        }

        /**
         * Server-prepared statements cached per connection (default 256).
         *
         * @param size the cache's entries per connection, 0 or more ({@link #build()} checks); matters only with
         *        {@link #serverPrepareStatements(boolean) serverPrepareStatements(true)}
         * @return this builder
         */
        public Builder prepareCacheSize(int size) {
            this.prepareCacheSize = size;
            return this;
        }

        /**
         * Whether TINYINT(1) reads as Boolean, as in Connector/J (default true).
         *
         * @param on true: such a column is typed BIT and {@code getObject} returns a Boolean; false: TINYINT and an
         *        Integer
         * @return this builder
         */
        public Builder tinyInt1isBit(boolean on) {
            this.tinyInt1isBit = on;
            return this;
        }

        /**
         * What a zero date ({@code 0000-00-00}) reads as: CONVERT_TO_NULL (default), EXCEPTION or ROUND
         * (Connector/J's names; R2DBC MySQL's USE_NULL and USE_ROUND are accepted too).
         *
         * @param behavior one of those names, in any case: CONVERT_TO_NULL reads null, EXCEPTION makes reading the
         *        value fail, ROUND reads {@code 0001-01-01}
         * @return this builder
         * @throws IllegalArgumentException for any other name
         */
        public Builder zeroDateTimeBehavior(String behavior) {
            this.zeroDate = switch (Objects.requireNonNull(behavior, "zeroDateTimeBehavior")
                    .toUpperCase(Locale.ROOT)) {
                case "CONVERT_TO_NULL", "CONVERTTONULL", "USE_NULL" -> "USE_NULL";
                case "EXCEPTION" -> "EXCEPTION";
                case "ROUND", "USE_ROUND" -> "USE_ROUND";
                default -> throw new IllegalArgumentException("zeroDateTimeBehavior '" + behavior
                        + "' is unknown: expected CONVERT_TO_NULL, EXCEPTION or ROUND");
            };
            return this;
        }

        /**
         * TCP keep-alive on the connections (default true).
         *
         * @param on true to set {@code SO_KEEPALIVE} on every connection's socket
         * @return this builder
         */
        public Builder tcpKeepAlive(boolean on) {
            this.tcpKeepAlive = on;
            return this;
        }

        /**
         * TCP_NODELAY on the connections (default true).
         *
         * @param on true to send small packets at once (Nagle's algorithm off), false to let the OS coalesce them
         * @return this builder
         */
        public Builder tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return this;
        }

        /**
         * Session variables set on every new connection, each {@code name=value} (default none).
         *
         * @param assignments assignments such as {@code sql_mode='STRICT_ALL_TABLES'}, copied; empty for none
         * @return this builder
         */
        public Builder sessionVariables(List<String> assignments) {
            this.sessionVariables = List.copyOf(assignments);
            return this;
        }

        /**
         * The pool's name in errors, logs and metrics (default {@code host:port/database}).
         *
         * @param name the name; the metrics' {@code pool} tag, so give each data source its own: a registry
         *        refuses a second data source under a name already bound there (see {@link DbMetrics#bind})
         * @return this builder
         */
        public Builder poolName(String name) {
            this.poolName = Objects.requireNonNull(name, "poolName");
            return this;
        }

        /**
         * Registers the pool's gauges in Micrometer's global registry (default false; needs Micrometer).
         *
         * @param on true to register them at {@link #build()} and remove them at
         *        {@link ConcurrenceDataSource#close()}; without Micrometer on the class path the pool logs a warning
         *        and runs without them. {@link #build()} fails when another open data source with metrics on has
         *        the same {@link #poolName(String) poolName}
         * @return this builder
         */
        public Builder metrics(boolean on) {
            this.metrics = on;
            return this;
        }

        /**
         * The connection's character set. The driver always talks utf8mb4 to the server (every Unicode character,
         * emoji included) and decodes each column by its own collation, so only UTF-8 names are accepted.
         *
         * @param encoding UTF-8, UTF8, utf8mb4 or utf8mb3, in any case; it changes nothing, being checked only
         * @return this builder
         * @throws IllegalArgumentException for any other name
         */
        public Builder characterEncoding(String encoding) {
            String upper = Objects.requireNonNull(encoding, "characterEncoding").toUpperCase(Locale.ROOT);
            if (!List.of("UTF-8", "UTF8", "UTF8MB4", "UTF8MB3").contains(upper)) {
                throw new IllegalArgumentException("characterEncoding '" + encoding + "' is not supported: the"
                        + " driver always uses utf8mb4 (expected UTF-8, utf8 or utf8mb4)");
            }
            return this;
        }

        /**
         * How long a cancelled statement may take to stop after its {@code KILL QUERY} before its connection is
         * closed instead (default 10 s).
         *
         * @param grace the wait after {@code KILL QUERY}, positive ({@link #build()} checks); then
         *        {@code KILL CONNECTION} ends the statement and the pool drops the connection
         * @return this builder
         */
        public Builder killGrace(Duration grace) {
            this.killGrace = Objects.requireNonNull(grace, "killGrace");
            return this;
        }

        /**
         * Builds the data source and its pool. Nothing connects yet unless {@code minIdle} is above zero; a bad
         * password shows at the first {@code getConnection}.
         *
         * @return a new data source with a pool of its own, which the caller closes; the builder may be reused
         * @throws IllegalArgumentException naming the option and what was expected, when an option is out of range
         *         or does not fit with another ({@code minIdle} above {@code poolSize}, {@code sslCert} without
         *         {@code sslKey}), or {@code connectionTimeZone} is not a known zone id: every option is checked
         *         here, none at the first connection. ({@link ConcurrenceDataSource#fromUrl(String)} and the
         *         driver turn this into an {@link SQLException} with SQLState 08001)
         */
        public ConcurrenceDataSource build() {
            List<String> variables = new ArrayList<>(sessionVariables);
            DbConfig config = new DbConfig(host, port, database, user, password, poolSize, minIdle, acquireTimeout,
                    connectTimeout, queryTimeout, maxIdleTime, maxLifeTime, validationQuery, sslMode, sslCa, sslCert,
                    sslKey, tlsVersions, connectionTimeZone, serverPrepare, prepareCacheSize, tinyInt1isBit,
                    zeroDate, tcpKeepAlive, tcpNoDelay, variables,
                    poolName != null ? poolName : host + ":" + port + "/" + database, metrics, killGrace);
            return new ConcurrenceDataSource(DbPool.create(config));
        }

        /**
         * Refuses {@code connectionTimeZone} and its alias {@code serverTimezone} with different values. Connector/J
         * takes {@code connectionTimeZone} whatever the order, a last-one-wins rule would take whichever came last:
         * any rule would silently shift the DATETIMEs some user expects, so such a URL is refused instead.
         */
        private static void checkOneTimeZone(Map<String, String> options, String url) throws SQLException {
            String zone = options.get("connectionTimeZone");
            String alias = options.get("serverTimezone");
            if (zone != null && alias != null && !zone.equals(alias)) {
                throw new SQLException("connectionTimeZone=" + zone + " and its alias serverTimezone=" + alias
                        + " disagree: expected one of them, or both the same (in " + DbUrl.redacted(url) + ")",
                        "08001");
            }
        }

        /** A bad option of {@code url}, as JDBC callers expect it: SQLState 08001, the builder's error as cause. */
        static SQLException badOption(IllegalArgumentException e, String url) {
            return new SQLException(e.getMessage() + " (in " + DbUrl.redacted(url) + ")", "08001", e);
        }

        private static int integer(String name, String value) {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option " + name + "='" + value + "' is not a whole number");
            }
        }

        private static boolean bool(String name, String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1", "" -> true;
                case "false", "no", "0" -> false;
                default -> throw new IllegalArgumentException("option " + name + "='" + value
                        + "' is not a boolean: expected true or false");
            };
        }

        /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, ISO-8601 ({@code PT5S}), or plain milliseconds. */
        static Duration duration(String name, String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("pt") || v.startsWith("p")) {
                    return Duration.parse(value.trim());
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
                }
                if (v.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
                }
                if (v.endsWith("m")) {
                    return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()) * 60);
                }
                if (v.endsWith("h")) {
                    return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1).trim()));
                }
                return Duration.ofMillis(Long.parseLong(v));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("option " + name + "='" + value + "' is not a duration: expected"
                        + " e.g. 500ms, 5s, 2m, 1h, PT5S, or milliseconds");
            }
        }
    }
}
