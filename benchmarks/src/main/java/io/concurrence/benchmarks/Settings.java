package io.concurrence.benchmarks;

import java.nio.file.Path;
import java.time.Duration;

import io.concurrence.benchmarks.db.BenchTables;

/**
 * How a harness run measures: full (the committed figures) or quick (proves every scenario still runs).
 *
 * @param quick whether this is a quick run (seconds, not minutes; numbers not meaningful)
 * @param rounds rounds per scenario; each round measures ours and every peer once, in turn
 * @param jar the benchmarks jar, for the JVMs a scenario starts
 * @param java the java launcher running the harness, reused for those JVMs
 */
record Settings(boolean quick, int rounds, Path jar, Path java) {

    int jmhForks() {
        return quick ? 0 : 1;
    }

    int jmhWarmupIterations() {
        return quick ? 1 : 3;
    }

    Duration jmhIterationTime() {
        return quick ? Duration.ofMillis(200) : Duration.ofSeconds(1);
    }

    int greeterConnections() {
        return quick ? 16 : 256;
    }

    int bulkRows() {
        return quick ? 10_000 : 1_000_000;
    }

    String bulkTable() {
        return quick ? BenchTables.BULK_QUICK : BenchTables.BULK;
    }

    int bulkWarmups() {
        return 1;
    }

    int bulkRepetitions() {
        return quick ? 2 : 3;
    }

    /**
     * The warm-up of {@code db-point-select}: longer than the HTTP scenarios', since the reactive stacks
     * (r2dbc's, and ours on top of it) need about 10 s on 2 cores before the JIT has settled.
     */
    Duration dbWarmup() {
        return quick ? Duration.ofMillis(500) : Duration.ofSeconds(10);
    }

    /**
     * The warm-up of the remoting scenarios: raw RSocket's request-response rate was still climbing after
     * 10 s (7 k calls/s after 5 s, 30–70 k after 8–10 s, 75–80 k after 15 s on 2 shared cores), as the JIT
     * worked through RSocket, Reactor, Netty and Jackson in both JVMs.
     */
    Duration remoteWarmup() {
        return quick ? Duration.ofMillis(500) : Duration.ofSeconds(15);
    }

    /** The warm-up of {@code memcache-get}: as for the database, the Netty-based clients need the JIT to settle. */
    Duration memcacheWarmup() {
        return quick ? Duration.ofMillis(500) : Duration.ofSeconds(10);
    }

    /** How long {@code http-10k-connections} holds its connections for the measured run. */
    Duration holdDuration() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(60);
    }

    /**
     * The warm-up of {@code http-10k-connections}, at the full number of connections: the server's heap is read
     * in its middle (a forced GC there would distort the measured run's latency percentiles).
     */
    Duration holdWarmup() {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
    }

    Duration loadWarmup() {
        return quick ? Duration.ofMillis(500) : Duration.ofSeconds(5);
    }

    Duration loadMeasurement() {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
    }
}
