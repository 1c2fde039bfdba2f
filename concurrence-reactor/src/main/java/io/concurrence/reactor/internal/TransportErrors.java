package io.concurrence.reactor.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.util.Locale;

import io.netty.channel.ConnectTimeoutException;

import io.concurrence.ConcurrenceException;
import io.concurrence.TimeoutException;

/**
 * Translates transport failures at a module's boundary (sockets, HTTP): an {@link UncheckedIOException}
 * whose cause is a {@code java.net} exception, whatever the transport reported (the epoll transport reports its own
 * {@code NativeIoException}s, which are then the cause's cause); Netty's connect timeout becomes
 * {@link TimeoutException}.
 */
public final class TransportErrors {

    private TransportErrors() {
    }

    /**
     * The exception for a transport failure: {@link UncheckedIOException} with a {@code java.net} cause, or
     * {@link TimeoutException} for a connect timeout; an unchecked failure that is neither is returned as is.
     */
    public static RuntimeException translate(String message, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException timeout) {
                TimeoutException e = new TimeoutException(message + ": " + timeout.getMessage());
                e.initCause(timeout);
                return e;
            }
            if (t instanceof IOException io) {
                IOException javaNet = toJavaNet(io);
                return new UncheckedIOException(message + ": " + io.getMessage(), javaNet);
            }
        }
        if (failure instanceof RuntimeException runtime && !(failure instanceof ConcurrenceException)) {
            return runtime;
        }
        return new UncheckedIOException(message + ": " + failure, new SocketException(String.valueOf(failure)));
    }

    /**
     * The {@code java.net} exception for {@code io}: itself if it is a {@code java.*} or {@code javax.*}
     * exception or a subclass of one (Netty's {@code AnnotatedConnectException} is a
     * {@link ConnectException}), else one that wraps it, chosen by its message.
     */
    public static IOException toJavaNet(IOException io) {
        for (Class<?> c = io.getClass(); c != null && c != IOException.class; c = c.getSuperclass()) {
            String pkg = c.getPackageName();
            if (pkg.startsWith("java.") || pkg.startsWith("javax.")) {
                return io;
            }
        }
        String message = io.getMessage() == null || io.getMessage().isBlank() ? io.getClass().getSimpleName()
                : io.getMessage();
        String text = message.toLowerCase(Locale.ROOT);
        IOException mapped;
        if (text.contains("address already in use")) {
            mapped = new BindException(message);
        } else if (text.contains("connection refused")) {
            mapped = new ConnectException(message);
        } else if (text.contains("no route to host")) {
            mapped = new NoRouteToHostException(message);
        } else {
            mapped = new SocketException(message);
        }
        mapped.initCause(io);
        return mapped;
    }
}
