package io.concurrence.http.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;

import io.netty.channel.ConnectTimeoutException;

import io.concurrence.ConcurrenceException;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.internal.Deadlines;
import io.concurrence.reactor.internal.TransportErrors;

/**
 * Translates what Reactor Netty reports into the client's errors, at the client's boundary, once:
 * <ul>
 * <li>transport failures (refused, reset, DNS, TLS, premature close) become an {@link UncheckedIOException}
 *     whose cause is the {@code java.net} / {@code javax.net} exception (the transport's own exception is
 *     kept when it is one, e.g. Netty's {@code AnnotatedConnectException} is a {@code java.net.ConnectException});</li>
 * <li>the engine's timeouts (connect, pool acquire) become {@link TimeoutException} naming the option;</li>
 * <li>a pool full of waiters becomes a {@link ConcurrenceException} naming {@code pendingAcquireMaxCount};</li>
 * <li>{@link TaskletExit}, {@link TimeoutException} and other unchecked exceptions pass through.</li>
 * </ul>
 */
public final class ClientErrors {

    private ClientErrors() {
    }

    /**
     * The exception to throw for {@code failure} of the exchange {@code what} ({@code "GET http://…"}).
     */
    public static RuntimeException translate(String what, Throwable failure, ClientSettings settings) {
        if (failure instanceof TaskletExit exit) {
            return exit;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClientRequestBodies.ReadFailure readFailure) {
                return readFailure;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String type = t.getClass().getSimpleName();
            if (t instanceof ConnectTimeoutException) {
                return timeout(what + ": connecting timed out after " + Deadlines.format(settings.connectTimeout())
                        + " (connectTimeout)", t);
            }
            if (type.equals("PoolAcquireTimeoutException")) {
                return timeout(what + ": no pooled connection became free within "
                        + Deadlines.format(settings.pendingAcquireTimeout()) + " (pendingAcquireTimeout; "
                        + settings.maxConnections() + " connections per host, maxConnections)", t);
            }
            if (type.equals("PoolAcquirePendingLimitException")) {
                return new ConcurrenceException(what + ": refused, " + settings.pendingAcquireMaxCount()
                        + " exchanges already wait for a connection to this host (pendingAcquireMaxCount);"
                        + " raise pendingAcquireMaxCount or maxConnections, or send less at once", t);
            }
            if (type.equals("PoolShutdownException")) {
                return new IllegalStateException(what + ": the HttpClient was closed during the exchange", t);
            }
            if (t instanceof IOException io) {
                return new UncheckedIOException(what + " failed: " + describe(io), TransportErrors.toJavaNet(io));
            }
        }
        if (failure instanceof RuntimeException runtime && failure.getClass() != ConcurrenceException.class) {
            return runtime;
        }
        return new UncheckedIOException(what + " failed: " + failure,
                (SocketException) new SocketException(String.valueOf(failure)).initCause(failure));
    }

    private static TimeoutException timeout(String message, Throwable cause) {
        TimeoutException e = new TimeoutException(message);
        e.initCause(cause);
        return e;
    }

    private static String describe(IOException io) {
        String message = io.getMessage();
        return message == null || message.isBlank() ? io.getClass().getSimpleName() : message;
    }

}
