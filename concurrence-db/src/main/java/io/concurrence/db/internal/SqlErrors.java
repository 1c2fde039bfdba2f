package io.concurrence.db.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;

import org.jspecify.annotations.Nullable;

import io.concurrence.ConcurrenceException;
import io.concurrence.TimeoutException;
import io.r2dbc.spi.R2dbcException;

/**
 * Maps what R2DBC MySQL, Netty and the bridge throw onto JDBC's exception hierarchy, as Connector/J does: by the
 * server's SQLState class (42 syntax, 23 integrity, 28 authorization, 40 rollback, 22 data, 08 connection, 0A
 * not supported, HY/70100 timeouts), keeping the server's message, SQLState and error code, and the original
 * exception as the cause.
 */
public final class SqlErrors {

    /** SQLState of a lost or unreachable server (Connector/J's "communications link failure"). */
    static final String LINK_FAILURE = "08S01";

    /** R2DBC MySQL's message for an exchange still queued when its connection closed ({@code RequestQueue}). */
    static final String QUEUE_DISPOSED = "Request queue was disposed";

    /** SQLState of a timeout. */
    static final String TIMEOUT = "HYT00";

    private SqlErrors() {
    }

    /** The JDBC exception for {@code failure}; a {@link SQLException} is returned as it is. */
    public static SQLException map(Throwable failure) {
        return map(failure, null);
    }

    /**
     * Like {@link #map(Throwable)}, with {@code context} (e.g. the SQL) appended to messages that are ours.
     */
    public static SQLException map(Throwable failure, @Nullable String context) {
        Throwable t = unwrap(failure);
        if (t instanceof SQLException sql) {
            return sql;
        }
        if (t instanceof TimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return new SQLTimeoutException(message(t, "timed out", context), TIMEOUT, t);
        }
        if (t instanceof R2dbcException r) {
            return fromServer(r);
        }
        if (t instanceof ConnectException) {
            return new SQLNonTransientConnectionException("cannot connect to the server: " + t.getMessage(),
                    "08001", t);
        }
        if (t instanceof IOException || t instanceof io.netty.channel.ChannelException) {
            return new SQLRecoverableException(message(t, "connection to the server lost", context), LINK_FAILURE,
                    t);
        }
        if (t instanceof IllegalStateException && QUEUE_DISPOSED.equals(t.getMessage())) {
            // R2DBC MySQL fails the exchanges still queued on a connection that closed (killed, say) with this
            return new SQLNonTransientConnectionException("connection to the server lost: " + message(t, "",
                    context), LINK_FAILURE, t);
        }
        if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
            return new SQLException(message(t, "bad request", context), "HY000", t);
        }
        return new SQLException(message(t, t.getClass().getSimpleName(), context), "HY000", t);
    }

    private static SQLException fromServer(R2dbcException r) {
        String state = r.getSqlState();
        int code = r.getErrorCode();
        if ((state == null || state.isEmpty()) && code > 0
                && r instanceof io.r2dbc.spi.R2dbcNonTransientResourceException) {
            // A server error that R2DBC MySQL does not classify itself reaches us without the SQLState the server
            // sent (R2DBC MySQL 1.4 passes null): restore it from the error code, or this data error (22001 for
            // "Data too long", ...) would pass for a lost connection below.
            state = stateOf(code);
        }
        String message = r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
        if (code == 3024 || code == 1969) {
            return new SQLTimeoutException(message, state == null ? "70100" : state, code, r);
        }
        if (code == 1317) {
            return new SQLException(message + " (the statement was cancelled)", "70100", code, r);
        }
        if (code == 1045 || code == 1044 || code == 1698) {
            return new SQLInvalidAuthorizationSpecException(message, state == null ? "28000" : state, code, r);
        }
        if (state == null || state.length() < 2) {
            if (r instanceof io.r2dbc.spi.R2dbcTimeoutException) {
                return new SQLTimeoutException(message, TIMEOUT, code, r);
            }
            if (r instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
                    || r instanceof io.r2dbc.spi.R2dbcTransientResourceException) {
                return new SQLNonTransientConnectionException(message, LINK_FAILURE, code, r);
            }
            if (r instanceof io.r2dbc.spi.R2dbcBadGrammarException) {
                return new SQLSyntaxErrorException(message, "42000", code, r);
            }
            if (r instanceof io.r2dbc.spi.R2dbcDataIntegrityViolationException) {
                return new SQLIntegrityConstraintViolationException(message, "23000", code, r);
            }
            return new SQLException(message, "HY000", code, r);
        }
        return switch (state.substring(0, 2)) {
            case "42" -> new SQLSyntaxErrorException(message, state, code, r);
            case "23" -> new SQLIntegrityConstraintViolationException(message, state, code, r);
            case "28" -> new SQLInvalidAuthorizationSpecException(message, state, code, r);
            case "40" -> new SQLTransactionRollbackException(message, state, code, r);
            case "22" -> new SQLDataException(message, state, code, r);
            case "08" -> code == 1040 || code == 1203
                    ? new SQLTransientConnectionException(message, state, code, r)
                    : new SQLNonTransientConnectionException(message, state, code, r);
            case "0A" -> new SQLFeatureNotSupportedException(message, state, code, r);
            case "HY" -> code == 1205 ? new SQLTransactionRollbackException(message, "40001", code, r)
                    : new SQLException(message, state, code, r);
            default -> new SQLException(message, state, code, r);
        };
    }

    /**
     * The SQLState MySQL and MariaDB send with error {@code code}, for the codes R2DBC MySQL does not classify;
     * HY000 (general error) for the rest.
     */
    private static String stateOf(int code) {
        return switch (code) {
            case 1406 -> "22001"; // data too long
            case 1264, 1690 -> "22003"; // out of range
            case 1292, 1366 -> "22007"; // incorrect date, time or number
            case 1365 -> "22012"; // division by zero
            case 1792 -> "25006"; // write in a read-only transaction
            case 1222, 1242 -> "21000"; // cardinality
            case 1049 -> "42000"; // unknown database
            case 1040 -> "08004"; // too many connections
            case 1053, 1152, 1927 -> LINK_FAILURE; // server shutdown, aborted connection, connection killed
            default -> "HY000";
        };
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (current instanceof ConcurrenceException && !(current instanceof TimeoutException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        if (current.getClass().getName().startsWith("reactor.core.Exceptions$") && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String message(Throwable t, String what, @Nullable String context) {
        String m = t.getMessage() == null ? what : t.getMessage();
        return context == null ? m : m + " [" + context + "]";
    }
}
