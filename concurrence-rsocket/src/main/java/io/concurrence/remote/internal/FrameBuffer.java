package io.concurrence.remote.internal;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * The output of one encoding: keeps at most {@code limit} bytes but counts every byte written, so a frame
 * that is too large is measured exactly without holding it in memory. Not thread-safe (one per encoding).
 */
final class FrameBuffer extends OutputStream {

    private final int limit;
    private byte[] bytes = new byte[64];
    private long written;

    FrameBuffer(int limit) {
        this.limit = limit;
    }

    @Override
    public void write(int b) {
        if (written < limit) {
            ensure((int) written + 1);
            bytes[(int) written] = (byte) b;
        }
        written++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (written + len <= limit) {
            ensure((int) written + len);
            System.arraycopy(b, off, bytes, (int) written, len);
        }
        written += len;
    }

    private void ensure(int capacity) {
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(capacity, 2L * bytes.length)));
        }
    }

    /** Returns the number of bytes written, kept or not. */
    long written() {
        return written;
    }

    /** Returns true if more than {@code limit} bytes were written. */
    boolean overflowed() {
        return written > limit;
    }

    /** Returns a copy of the bytes written; only meaningful when not {@link #overflowed()}. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, (int) written);
    }
}
