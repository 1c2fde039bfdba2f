package io.concurrence.reactor.internal;

import java.io.InputStream;
import java.util.Objects;
import java.util.function.LongFunction;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import reactor.util.context.Context;

import io.concurrence.internal.Deadlines;

/**
 * A blocking {@link InputStream} over a publisher of (retained) Netty buffers, for one reading tasklet:
 * HTTP bodies. Reads honour the ambient {@code Timeout} and kill (see {@link QueueSubscriber#poll}); demand
 * follows reading, so a reader that stops stops the connection. An optional limit fails a read that would
 * go past it. {@link #close()} cancels the publisher and releases what it holds.
 */
public final class ByteBufInputStream extends InputStream {

    private final QueueSubscriber<ByteBuf> subscriber;
    private final String operation;
    private final long limit;
    private final LongFunction<RuntimeException> overLimit;

    /** The buffer being read; reader only. */
    private @Nullable ByteBuf current;
    /** Bytes read so far; reader only. */
    private long total;
    private boolean ended;
    private volatile boolean closed;

    /**
     * Subscribes to {@code source} at once.
     *
     * @param source retained buffers, released here once read
     * @param prefetch buffers requested ahead
     * @param operation what a timeout message names
     * @param limit the most bytes that may be read, or {@code Long.MAX_VALUE}
     * @param overLimit the exception for a body that goes past the limit, given the limit
     */
    public ByteBufInputStream(Publisher<ByteBuf> source, int prefetch, String operation, long limit,
                              LongFunction<RuntimeException> overLimit) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.limit = limit;
        this.overLimit = overLimit;
        this.subscriber = new QueueSubscriber<>(prefetch, Context.empty(), ReferenceCountUtil::release);
        source.subscribe(subscriber);
    }

    @Override
    public int read() {
        ByteBuf readable = readable();
        if (readable == null) {
            return -1;
        }
        int b = readable.readByte() & 0xff;
        releaseIfConsumed();
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        ByteBuf readable = readable();
        if (readable == null) {
            return -1;
        }
        int n = Math.min(length, readable.readableBytes());
        readable.readBytes(buffer, offset, n);
        releaseIfConsumed();
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = 0;
        while (skipped < n) {
            ByteBuf readable = readable();
            if (readable == null) {
                break;
            }
            int step = (int) Math.min(n - skipped, readable.readableBytes());
            readable.skipBytes(step);
            skipped += step;
            releaseIfConsumed();
        }
        return skipped;
    }

    @Override
    public int available() {
        ByteBuf buf = current;
        return buf == null || closed ? 0 : buf.readableBytes();
    }

    /** Whether the end of the body has been reached. */
    public boolean isAtEnd() {
        return ended;
    }

    /** Cancels the source and releases what was not read. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriber.cancel();
        ByteBuf buf = current;
        current = null;
        if (buf != null) {
            buf.release();
        }
    }

    private @Nullable ByteBuf readable() {
        if (closed) {
            throw new IllegalStateException(operation + " on a closed stream");
        }
        ByteBuf buf = current;
        while (buf == null || !buf.isReadable()) {
            if (buf != null) {
                buf.release();
                current = null;
            }
            if (ended) {
                return null;
            }
            buf = subscriber.poll(Deadlines.ambient(), null, operation);
            if (buf == null) {
                ended = true;
                return null;
            }
            total += buf.readableBytes();
            if (total > limit) {
                buf.release();
                close();
                throw overLimit.apply(limit);
            }
            current = buf;
        }
        return buf;
    }

    private void releaseIfConsumed() {
        ByteBuf buf = current;
        if (buf != null && !buf.isReadable()) {
            buf.release();
            current = null;
        }
    }
}
