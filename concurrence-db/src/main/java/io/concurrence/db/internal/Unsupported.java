package io.concurrence.db.internal;

import java.sql.SQLFeatureNotSupportedException;

/** The exception of every JDBC method the driver does not implement: it names the method. */
final class Unsupported {

    private Unsupported() {
    }

    static SQLFeatureNotSupportedException method(String method) {
        return new SQLFeatureNotSupportedException(method + " is not supported by the Concurrence JDBC driver"
                + " (result sets are forward-only and read-only; see docs/database.md, 'What is not supported')",
                "0A000");
    }
}
