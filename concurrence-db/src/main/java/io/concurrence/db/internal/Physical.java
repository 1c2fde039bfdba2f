package io.concurrence.db.internal;

/**
 * What the driver knows of one physical connection, learnt once when the pool opens it.
 */
final class Physical {

    /** The server's id of the connection, for {@code KILL QUERY}. */
    final long threadId;
    /** {@code @@auto_increment_increment}: the step between the keys of a multi-row insert. */
    final long autoIncrementIncrement;
    /** {@code VERSION()}. */
    final String serverVersion;
    /** Set when the connection's state is unknown: the pool closes it instead of reusing it. */
    volatile boolean broken;

    Physical(long threadId, long autoIncrementIncrement, String serverVersion) {
        this.threadId = threadId;
        this.autoIncrementIncrement = autoIncrementIncrement;
        this.serverVersion = serverVersion;
    }

    /** The variable that holds the session's isolation level on this server. */
    String isolationVariable() {
        if (serverVersion.contains("MariaDB")) {
            String[] parts = serverVersion.split("[.-]");
            try {
                int major = Integer.parseInt(parts[0]);
                int minor = Integer.parseInt(parts[1]);
                return major > 11 || (major == 11 && minor >= 1) ? "transaction_isolation" : "tx_isolation";
            } catch (RuntimeException e) {
                return "tx_isolation";
            }
        }
        return serverVersion.startsWith("5.") ? "tx_isolation" : "transaction_isolation";
    }
}
