package io.concurrence.remote.internal;

/**
 * Binds a client's or a server's counters to Micrometer's global registry when Micrometer is on the class path;
 * the Micrometer classes are loaded only then.
 */
public final class RemoteMeters {

    private RemoteMeters() {
    }

    /** @return closing it removes the meters (and stops timing calls) */
    public static AutoCloseable bind(RemoteLink link, ClientCounters counters) {
        if (!micrometerPresent()) {
            return () -> { };
        }
        return MicrometerRemoteMetrics.client(link, counters);
    }

    /** @return closing it removes the meters */
    public static AutoCloseable bindServer(int port, ServerCounters counters) {
        if (!micrometerPresent()) {
            return () -> { };
        }
        return MicrometerRemoteMetrics.server(port, counters);
    }

    private static boolean micrometerPresent() {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, RemoteMeters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
