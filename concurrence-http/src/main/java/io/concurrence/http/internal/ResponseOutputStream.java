package io.concurrence.http.internal;

import java.io.OutputStream;
import java.util.Objects;

import io.netty.buffer.ByteBuf;

/**
 * {@code HttpResponse.outputStream()}: buffers up to 8 KiB, then hands a buffer to the connection, waiting
 * for demand (a slow client blocks the writer). {@code flush()} sends what is buffered. The first bytes
 * that go out send the head. Closing ends the body. Used by the handler's tasklet only.
 */
final class ResponseOutputStream extends OutputStream {

    private static final int SIZE = 8192;

    private final ServerResponse response;
    private final byte[] buffer = new byte[SIZE];
    private int count;
    private BodyPublisher body;
    private boolean closed;

    ResponseOutputStream(ServerResponse response) {
        this.response = response;
    }

    @Override
    public void write(int b) {
        checkOpen();
        if (count == SIZE) {
            drain();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        if (len >= SIZE) {
            drain();
            emit(b, off, len);
            return;
        }
        if (len > SIZE - count) {
            drain();
        }
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    /** Sends what is buffered (and the head, the first time). */
    @Override
    public void flush() {
        checkOpen();
        if (count > 0) {
            drain();
        } else {
            publisher();
        }
    }

    /** Ends the body. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        drain();
        closed = true;
        publisher().complete();
    }

    void abort(Throwable error) {
        if (!closed) {
            closed = true;
            if (body != null) {
                body.fail(error);
            }
        }
    }

    private void drain() {
        if (count > 0) {
            int n = count;
            count = 0;
            emit(buffer, 0, n);
        }
    }

    private void emit(byte[] b, int off, int len) {
        ByteBuf buf = response.allocator().buffer(len).writeBytes(b, off, len);
        publisher().emit(buf);
    }

    private BodyPublisher publisher() {
        if (body == null) {
            body = response.startStreaming();
        }
        return body;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The response body stream is closed");
        }
    }
}
