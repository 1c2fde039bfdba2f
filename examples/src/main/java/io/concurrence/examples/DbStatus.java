package io.concurrence.examples;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.concurrence.Tasklet;
import io.concurrence.db.ConcurrenceDataSource;

/**
 * The showcase's database, when there is one: a pool for the configured URL and a probe tasklet that asks the
 * server its version every few seconds. A server that cannot be reached is a status ("database not reachable:
 * ..."), never a failure of the showcase. Thread-safe.
 */
final class DbStatus {

    /** What the showcase connects to unless told otherwise. */
    static final String DEFAULT_URL = "jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=";

    /** Between two probes. */
    private static final Duration PROBE_PERIOD = Duration.ofSeconds(5);
    /** How long a probe may take to connect and answer. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    /** A probe's outcome: the server's version, or why it could not be asked. */
    record Probe(boolean reachable, String status) {
    }

    private final String url;
    private final @Nullable ConcurrenceDataSource dataSource;
    /** The last probe's outcome: written by the probe tasklet, read by the diagnostics. */
    private volatile Probe last = new Probe(false, "database not reachable: not probed yet");
    private final @Nullable Tasklet<Void> prober;

    DbStatus(String url) {
        this.url = url;
        ConcurrenceDataSource source;
        try {
            source = ConcurrenceDataSource.builder().url(url).poolSize(4).minIdle(0)
                    .connectTimeout(PROBE_TIMEOUT).acquireTimeout(PROBE_TIMEOUT).poolName("showcase").build();
        } catch (SQLException | RuntimeException e) {
            source = null;
            last = new Probe(false, "database not reachable: bad URL: " + e.getMessage());
        }
        this.dataSource = source;
        this.prober = source == null ? null
                : Tasklet.named("db-probe").daemon(true).interval(PROBE_PERIOD, this::probeNow, true);
    }

    /** The URL without its password. */
    String url() {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** The last probe's outcome. */
    Probe probe() {
        return last;
    }

    /** The pool's figures, or null without a pool (a malformed URL). */
    ConcurrenceDataSource.@Nullable PoolStats poolStats() {
        return dataSource == null ? null : dataSource.poolStats();
    }

    /**
     * Runs {@code SELECT NOW(), VERSION()} and returns the two values, or throws when the database cannot be
     * reached.
     */
    String[] nowAndVersion() throws SQLException {
        if (dataSource == null) {
            throw new SQLException(last.status());
        }
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT NOW(), VERSION()")) {
            rows.next();
            return new String[] {rows.getString(1), rows.getString(2)};
        }
    }

    /** Stops the probe and closes the pool. Idempotent. */
    void close() {
        if (prober != null) {
            prober.kill();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    private void probeNow() {
        try {
            last = new Probe(true, "connected: MySQL " + nowAndVersion()[1]);
        } catch (SQLException | RuntimeException e) {
            last = new Probe(false, "database not reachable: " + e.getMessage());
        }
    }
}
