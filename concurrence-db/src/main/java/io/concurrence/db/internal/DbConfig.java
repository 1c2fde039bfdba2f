package io.concurrence.db.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Everything a {@code ConcurrenceDataSource} is made of: where the server is, who logs in, and how the pool and
 * the connections behave. Built by {@code ConcurrenceDataSource.Builder} or parsed from a JDBC URL by
 * {@link DbUrl}.
 *
 * @param host server host name or address
 * @param port server port
 * @param database the default database (catalog), or empty for none
 * @param user the user name
 * @param password the password (may be empty)
 * @param poolSize the most connections the pool opens
 * @param minIdle connections kept open while idle
 * @param acquireTimeout how long {@code getConnection} waits for a pooled connection
 * @param connectTimeout how long opening a TCP connection to the server may take
 * @param queryTimeout the default query timeout of statements, {@link Duration#ZERO} for none
 * @param maxIdleTime idle connections older than this are closed
 * @param maxLifeTime connections older than this are closed when next returned to the pool
 * @param validationQuery a query run to check a connection before handing it out, or null for a local check
 * @param sslMode the R2DBC MySQL SSL mode name (DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY)
 * @param sslCa path of a PEM CA certificate, or null
 * @param sslCert path of a PEM client certificate, or null
 * @param sslKey path of a PEM client key, or null
 * @param tlsVersions allowed TLS versions, empty for the defaults
 * @param connectionTimeZone the time zone of the session ("LOCAL", "SERVER" in any case, or an id that
 *        {@link ZoneId#of(String)} knows), or null for LOCAL
 * @param serverPrepare whether statements with parameters are prepared on the server (binary protocol)
 * @param prepareCacheSize prepared statements cached per connection
 * @param tinyInt1isBit whether TINYINT(1) columns read as Boolean (as in Connector/J)
 * @param zeroDate what a zero date reads as: EXCEPTION, USE_NULL or USE_ROUND
 * @param tcpKeepAlive whether TCP keep-alive is on
 * @param tcpNoDelay whether Nagle's algorithm is off
 * @param sessionVariables {@code name=value} assignments run on every new connection
 * @param poolName the pool's name in errors, logs and metrics
 * @param metrics whether pool metrics are registered in Micrometer's global registry
 * @param killGrace how long a cancelled statement may take to stop after its KILL QUERY before its connection
 *        is closed instead
 */
public record DbConfig(String host, int port, String database, String user, String password, int poolSize,
        int minIdle, Duration acquireTimeout, Duration connectTimeout, Duration queryTimeout, Duration maxIdleTime,
        Duration maxLifeTime, @Nullable String validationQuery, String sslMode, @Nullable String sslCa,
        @Nullable String sslCert, @Nullable String sslKey, List<String> tlsVersions,
        @Nullable String connectionTimeZone, boolean serverPrepare, int prepareCacheSize, boolean tinyInt1isBit,
        String zeroDate, boolean tcpKeepAlive, boolean tcpNoDelay, List<String> sessionVariables, String poolName,
        boolean metrics, Duration killGrace) {

    /** The port MySQL listens on by default. */
    public static final int DEFAULT_PORT = 3306;

    /** Checks every field, so that a bad one fails here and never at the first connection. */
    public DbConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(sslMode, "sslMode");
        Objects.requireNonNull(zeroDate, "zeroDate");
        Objects.requireNonNull(poolName, "poolName");
        tlsVersions = List.copyOf(tlsVersions);
        sessionVariables = List.copyOf(sessionVariables);
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is empty: expected a host name or address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range: expected 1 to 65535");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize " + poolSize + " is too small: expected at least 1");
        }
        if (minIdle < 0 || minIdle > poolSize) {
            throw new IllegalArgumentException("minIdle " + minIdle + " is out of range: expected 0 to poolSize ("
                    + poolSize + ")");
        }
        if (prepareCacheSize < 0) {
            throw new IllegalArgumentException("prepareCacheSize " + prepareCacheSize + " is negative");
        }
        positive("acquireTimeout", acquireTimeout);
        positive("connectTimeout", connectTimeout);
        notNegative("queryTimeout", queryTimeout);
        positive("maxIdleTime", maxIdleTime);
        positive("maxLifeTime", maxLifeTime);
        positive("killGrace", killGrace);
        checkZone(connectionTimeZone);
        if ((sslCert == null) != (sslKey == null)) {
            throw new IllegalArgumentException((sslCert == null ? "sslKey" : "sslCert") + " is set without "
                    + (sslCert == null ? "sslCert" : "sslKey") + ": expected both (a client certificate and its key)"
                    + " or neither");
        }
    }

    /** {@code host:port/database} as user {@code user}: no password. */
    public String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    private static void checkZone(@Nullable String zone) {
        if (zone == null || zone.equalsIgnoreCase("LOCAL") || zone.equalsIgnoreCase("SERVER")) {
            return;
        }
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("connectionTimeZone '" + zone + "' is unknown: expected LOCAL, SERVER"
                    + " or a zone id such as UTC, +02:00 or Europe/Paris", e);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " " + value + " is not positive: expected a duration > 0");
        }
    }

    private static void notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " " + value + " is negative: expected 0 (none) or more");
        }
    }
}
