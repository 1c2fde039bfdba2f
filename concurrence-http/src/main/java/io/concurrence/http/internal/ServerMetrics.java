package io.concurrence.http.internal;

/**
 * The server's metrics: Micrometer's when it is on the class path and enabled, none otherwise. The
 * Micrometer implementation is loaded only when Micrometer is present.
 */
interface ServerMetrics {

    ServerMetrics NONE = new ServerMetrics() {
    };

    /** A request ended (response written, or the exchange failed). */
    default void requestCompleted(String method, int status, long nanos) {
    }

    /** The server has stopped: its meters leave the registry (a later server on the port starts afresh). */
    default void close() {
    }

    static ServerMetrics create(boolean enabled, ServerRuntime runtime) {
        if (!enabled) {
            return NONE;
        }
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, ServerMetrics.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return NONE;
        }
        return MicrometerServerMetrics.create(runtime);
    }
}
