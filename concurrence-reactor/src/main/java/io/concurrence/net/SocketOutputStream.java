package io.concurrence.net;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * {@link Socket#outputStream()}: buffers up to 8 KiB and writes through the socket (with its backpressure)
 * on flush, when full, and on close. Closing it flushes and closes the socket.
 */
final class SocketOutputStream extends java.io.OutputStream {

    private static final int SIZE = 8192;

    private final Socket socket;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final byte[] buffer = new byte[SIZE];
    /** Guarded by {@link #lock}. */
    private int count;

    SocketOutputStream(Socket socket) {
        this.socket = socket;
    }

    @Override
    public void write(int b) {
        lock.lock();
        try {
            if (count == SIZE) {
                drainLocked(null);
            }
            buffer[count++] = (byte) b;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        lock.lock();
        try {
            if (len >= SIZE) {
                drainLocked(null);
                socket.write(b, off, len, null);
                return;
            }
            if (len > SIZE - count) {
                drainLocked(null);
            }
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        socket.flush();
    }

    @Override
    public void close() {
        try {
            drain(null);
        } finally {
            socket.close();
        }
    }

    /** Writes what is buffered to the socket. */
    void drain(@Nullable Duration timeout) {
        lock.lock();
        try {
            drainLocked(timeout);
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is buffered, unless the socket can no longer take it (as it closes). */
    void drainQuietly() {
        try {
            drain(null);
        } catch (RuntimeException ignored) {
            // The socket is closing; a write failure was or will be reported elsewhere.
        }
    }

    private void drainLocked(@Nullable Duration timeout) {
        if (count > 0) {
            int n = count;
            count = 0;
            socket.write(buffer, 0, n, timeout);
        }
    }
}
