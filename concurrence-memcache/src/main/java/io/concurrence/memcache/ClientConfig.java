package io.concurrence.memcache;

import java.time.Duration;
import java.util.Objects;

/** A snapshot of a {@link MemcacheClient.Builder}'s settings but the servers and the codec. */
record ClientConfig(Duration operationTimeout, Duration connectTimeout, int connectionsPerServer,
                    int compressionThreshold, int maxItemSize, Duration retryInterval, Duration maxRetryInterval,
                    boolean failover) {

    ClientConfig {
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(retryInterval, "retryInterval");
        Objects.requireNonNull(maxRetryInterval, "maxRetryInterval");
    }

    ClientConfig withOperationTimeout(Duration timeout) {
        return new ClientConfig(timeout, connectTimeout, connectionsPerServer, compressionThreshold, maxItemSize,
                retryInterval, maxRetryInterval, failover);
    }
}
