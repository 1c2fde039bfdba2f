package io.concurrence.http.internal;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

import io.concurrence.http.HttpClient;

/**
 * The connection pools of one client, as its {@link ConnectionProvider} creates them (one per remote address):
 * the provider's {@link ConnectionProvider.MeterRegistrar}, which keeps each live pool's
 * {@link ConnectionPoolMetrics} and sums them on demand. The provider registers a pool when it creates it (on
 * the first exchange with a host) and deregisters it when it disposes of it, under the same id.
 *
 * <p>Thread-safe: pools are registered on whatever thread first asks for a connection; any thread may sum. A sum
 * reads each pool's counters one after the other, so under load it is a close snapshot, not an atomic one.
 */
public final class ClientPools implements ConnectionProvider.MeterRegistrar {

    /** The live pools by the provider's id; written by the provider, read by {@link #totals()}. */
    private final Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();

    @Override
    public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
                                ConnectionPoolMetrics metrics) {
        pools.put(id, metrics);
    }

    @Override
    public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
        pools.remove(id);
    }

    /** The figures of every live pool, summed. */
    public HttpClient.PoolStats totals() {
        int hosts = 0;
        int allocated = 0;
        int acquired = 0;
        int idle = 0;
        int pending = 0;
        for (ConnectionPoolMetrics pool : pools.values()) {
            hosts++;
            allocated += pool.allocatedSize();
            acquired += pool.acquiredSize();
            idle += pool.idleSize();
            pending += pool.pendingAcquireSize();
        }
        return new HttpClient.PoolStats(hosts, allocated, acquired, idle, pending);
    }
}
