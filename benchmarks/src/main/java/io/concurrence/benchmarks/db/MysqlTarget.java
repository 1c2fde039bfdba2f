package io.concurrence.benchmarks.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.asyncer.r2dbc.mysql.MySqlConnectionConfiguration;
import io.asyncer.r2dbc.mysql.MySqlConnectionFactory;
import io.asyncer.r2dbc.mysql.constant.SslMode;
import io.concurrence.db.ConcurrenceDataSource;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;

/**
 * The MySQL (MariaDB) server the database scenarios run against, and how each variant connects to it.
 * Every variant reads the same {@link #fromEnvironment() environment}: {@value #ENVIRONMENT} in the form
 * {@code jdbc:concurrence:mysql://host:port/database?user=..&password=..}, by default
 * {@code 127.0.0.1:3306/test}, user {@code root}, empty password.
 *
 * <p>The peers are configured as a careful user would: no TLS (the benchmark server has none) and
 * {@code TCP_NODELAY} on r2dbc-mysql as Connector/J has it by default; otherwise their defaults.
 *
 * @param host the server's host
 * @param port its port
 * @param database the database (schema)
 * @param user the user
 * @param password the password, possibly empty
 */
public record MysqlTarget(String host, int port, String database, String user, String password) {

    /** The environment variable overriding the default server. */
    public static final String ENVIRONMENT = "CONCURRENCE_MYSQL_URL";

    private static final String PREFIX = "jdbc:concurrence:mysql://";

    /** Checks the components. */
    public MysqlTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be within 1..65535, got " + port);
        }
    }

    /** The server named by {@value #ENVIRONMENT}, or the default one when it is not set. */
    public static MysqlTarget fromEnvironment() {
        String url = System.getenv(ENVIRONMENT);
        return url == null || url.isBlank() ? new MysqlTarget("127.0.0.1", 3306, "test", "root", "") : parse(url);
    }

    /**
     * Parses {@code jdbc:concurrence:mysql://host[:port][/database][?user=..&password=..]}; what is left out
     * takes the default (port 3306, database {@code test}, user {@code root}, empty password).
     *
     * @param url the URL
     * @return the server it names
     */
    public static MysqlTarget parse(String url) {
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException(ENVIRONMENT + " must look like " + PREFIX
                    + "host:port/database?user=..&password=.., got '" + url + "'");
        }
        URI uri;
        try {
            uri = new URI("mysql://" + url.substring(PREFIX.length()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ENVIRONMENT + " is not a valid URL: '" + url + "'", e);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(ENVIRONMENT + " names no host: '" + url + "'");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        String user = "root";
        String password = "";
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                String key = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> { } // other driver options do not concern the benchmarks
                }
            }
        }
        return new MysqlTarget(uri.getHost(), uri.getPort() < 0 ? 3306 : uri.getPort(),
                path.isEmpty() ? "test" : path, user, password);
    }

    /** Ours: the JDBC facade of concurrence-db with a pool of {@code poolSize}. */
    public ConcurrenceDataSource concurrence(int poolSize) {
        return ConcurrenceDataSource.builder().host(host).port(port).database(database).user(user)
                .password(password).poolSize(poolSize).build();
    }

    /** The Connector/J peer: HikariCP with {@code poolSize} connections, all opened up front. */
    public HikariDataSource hikari(int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(connectorJUrl());
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setPoolName("bench");
        return new HikariDataSource(config);
    }

    /** The URL of Connector/J (without the credentials, which go as properties). */
    public String connectorJUrl() {
        return "jdbc:mysql://" + host + ":" + port + "/" + database + "?sslMode=DISABLED";
    }

    /** The r2dbc peer: r2dbc-mysql under r2dbc-pool with {@code poolSize} connections, all opened up front. */
    public ConnectionPool r2dbcPool(int poolSize) {
        MySqlConnectionConfiguration configuration = MySqlConnectionConfiguration.builder()
                .host(host).port(port).database(database).user(user).password(password)
                .sslMode(SslMode.DISABLED).tcpNoDelay(true).build();
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration
                .builder(MySqlConnectionFactory.from(configuration))
                .initialSize(poolSize).maxSize(poolSize).build());
        pool.warmup().block(Duration.ofSeconds(60));
        return pool;
    }
}
