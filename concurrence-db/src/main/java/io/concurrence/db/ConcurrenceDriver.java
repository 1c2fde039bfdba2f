package io.concurrence.db;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import io.concurrence.db.internal.DbUrl;

/**
 * The JDBC driver for {@code jdbc:concurrence:mysql://host:port/database?user=...&password=...}, registered
 * through {@link java.util.ServiceLoader}, so {@link DriverManager#getConnection(String)} finds it.
 * <pre>{@code
 * String url = "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=";
 * try (Connection c = DriverManager.getConnection(url)) {
 *     ...
 * }
 * }</pre>
 * Connections from the same URL and properties share one pool of {@code poolSize} connections (default 10);
 * {@link Connection#close()} returns a connection to it. Waiting for a pooled connection honours
 * {@link DriverManager#setLoginTimeout(int)}, the pool's {@code acquireTimeout} and the ambient
 * {@link io.concurrence.Timeout}, and fails with {@link java.sql.SQLTimeoutException}. The options are listed in
 * {@code docs/database.md}; {@link #getPropertyInfo} names them too.
 *
 * @since 0.1
 */
public final class ConcurrenceDriver implements Driver {

    private static final Map<String, ConcurrenceDataSource> POOLS = new ConcurrentHashMap<>();

    static {
        try {
            DriverManager.registerDriver(new ConcurrenceDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** For {@link java.util.ServiceLoader} and {@link DriverManager}. */
    public ConcurrenceDriver() {
    }

    /**
     * A connection from the pool of {@code url} + {@code info}, made on first use.
     *
     * @return null when the URL is not {@code jdbc:concurrence:mysql://...} (as JDBC requires)
     * @throws SQLException (SQLState 08001) when the URL is malformed, or an option of the URL or of {@code info} is
     *         unknown, malformed or out of range, naming the option and what was expected; or what
     *         {@link ConcurrenceDataSource#getConnection()} throws
     */
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        String key = key(url, info);
        ConcurrenceDataSource pool = POOLS.get(key);
        if (pool == null || pool.isClosed()) {
            synchronized (POOLS) {
                pool = POOLS.get(key);
                if (pool == null || pool.isClosed()) {
                    pool = ConcurrenceDataSource.fromUrl(url, info == null ? new Properties() : info);
                    POOLS.put(key, pool);
                }
            }
        }
        int login = DriverManager.getLoginTimeout();
        return pool.pool().borrow(login > 0 ? Duration.ofSeconds(login) : null);
    }

    /** Closes every pool the driver made; later connects make new ones. */
    public static void closePools() {
        synchronized (POOLS) {
            POOLS.values().forEach(ConcurrenceDataSource::close);
            POOLS.clear();
        }
    }

    private static String key(String url, Properties info) {
        if (info == null || info.isEmpty()) {
            return url;
        }
        Map<String, String> sorted = new TreeMap<>();
        for (String name : info.stringPropertyNames()) {
            sorted.put(name, info.getProperty(name));
        }
        return url + "\u0000" + sorted;
    }

    @Override
    public boolean acceptsURL(String url) {
        return DbUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        String[][] options = {
            {"user", "the user name", "root"},
            {"password", "the password", ""},
            {"poolSize", "the most connections the pool opens", "10"},
            {"minIdle", "connections kept open while idle", "0"},
            {"acquireTimeout", "how long getConnection waits for a free connection", "30s"},
            {"connectTimeout", "how long opening a connection may take", "10s"},
            {"queryTimeout", "the default query timeout of statements (0: none)", "0"},
            {"maxIdleTime", "idle connections older than this are closed", "10m"},
            {"maxLifeTime", "connections older than this are closed when returned", "30m"},
            {"validationQuery", "a query that checks a connection before it is handed out", ""},
            {"sslMode", "DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY", "PREFERRED"},
            {"sslCa", "PEM file of the CA of the server's certificate", ""},
            {"sslCert", "PEM client certificate", ""},
            {"sslKey", "PEM client key", ""},
            {"tlsVersion", "allowed TLS versions, comma-separated", ""},
            {"connectionTimeZone", "LOCAL, SERVER or a zone id (alias serverTimezone)", "LOCAL"},
            {"useServerPrepareStatements", "prepare statements with parameters on the server", "false"},
            {"prepareCacheSize", "server-prepared statements cached per connection", "256"},
            {"tinyInt1isBit", "TINYINT(1) reads as Boolean", "true"},
            {"zeroDateTimeBehavior", "CONVERT_TO_NULL, EXCEPTION or ROUND", "CONVERT_TO_NULL"},
            {"tcpKeepAlive", "TCP keep-alive", "true"},
            {"tcpNoDelay", "TCP_NODELAY", "true"},
            {"sessionVariables", "name=value,... set on every new connection", ""},
            {"poolName", "the pool's name in errors, logs and metrics", "host:port/database"},
            {"metrics", "register pool gauges in Micrometer's global registry", "false"},
            {"characterEncoding", "only UTF-8 (utf8mb4) is supported", "utf8mb4"},
            {"killGrace", "how long a cancelled statement may take to stop before its connection is closed", "10s"},
        };
        DriverPropertyInfo[] result = new DriverPropertyInfo[options.length];
        for (int i = 0; i < options.length; i++) {
            String value = info == null ? null : info.getProperty(options[i][0]);
            DriverPropertyInfo p = new DriverPropertyInfo(options[i][0], value != null ? value : options[i][2]);
            p.description = options[i][1];
            p.required = false;
            result[i] = p;
        }
        return result;
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    /** False: the driver does not pass the JDBC compliance tests (forward-only result sets, no CallableStatement). */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("ConcurrenceDriver.getParentLogger: the driver logs through SLF4J");
    }
}
