package io.concurrence.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBuf;

import io.concurrence.TaskletExit;
import io.concurrence.Timeout;
import io.concurrence.TimeoutException;
import io.concurrence.internal.Deadlines;
import io.concurrence.reactor.internal.Bridge;
import io.concurrence.reactor.internal.QueueSubscriber;

/**
 * A response body as a blocking {@link InputStream}, over the exchange's body queue (subscribed on the event
 * loop when the head arrived, see {@link ClientExchange}): a few buffers are requested ahead of the reader,
 * so a reader that stops stops the connection, and the server's writes back up.
 *
 * <p>Each wait for more bytes honours the tighter of the ambient {@link Timeout} and the client's
 * {@code readTimeout}. A failed read (timeout, kill, transport failure) cancels the body, and every later
 * read fails too: a body cut short never looks complete.
 *
 * <p>One reader at a time (reads are serialized by a lock that is held while waiting); {@link #close()}
 * may be called from any thread and wakes a waiting reader.
 */
final class ClientBodyStream extends InputStream {

    private final QueueSubscriber<ByteBuf> buffers;
    private final Duration readTimeout;
    private final ClientSettings settings;
    /** "GET http://…", for messages. */
    private final String what;
    private final ReentrantLock lock = new ReentrantLock();
    /** Closes the response this body belongs to. */
    private final Runnable onClose;

    /** The buffer being read; guarded by {@link #lock}. */
    private @Nullable ByteBuf current;
    /** Whether the end of the body was reached; guarded by {@link #lock}. */
    private boolean ended;
    /** Why reading stopped early, rethrown by every later read; guarded by {@link #lock}. */
    private @Nullable RuntimeException failure;
    /** Set by close (any thread); read by the reader. */
    private volatile boolean closed;

    ClientBodyStream(QueueSubscriber<ByteBuf> buffers, Duration readTimeout, ClientSettings settings, String what,
                     Runnable onClose) {
        this.buffers = buffers;
        this.onClose = onClose;
        this.readTimeout = readTimeout;
        this.settings = settings;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            ByteBuf buffer = readable();
            if (buffer == null) {
                return -1;
            }
            int n = Math.min(len, buffer.readableBytes());
            buffer.readBytes(b, off, n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        if (!lock.tryLock()) {
            return 0;
        }
        try {
            ByteBuf buffer = current;
            return closed || buffer == null ? 0 : buffer.readableBytes();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the body was read to its end. */
    boolean isEnded() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** The buffer to read from, waiting for one if needed; null at the end. Holds {@link #lock}. */
    private @Nullable ByteBuf readable() throws IOException {
        for (;;) {
            checkOpen();
            ByteBuf buffer = current;
            if (buffer != null && buffer.isReadable()) {
                return buffer;
            }
            releaseCurrent();
            if (ended) {
                return null;
            }
            ByteBuf next = next();
            checkOpen(); // closed while waiting: the wait ended because the body was cancelled
            if (next == null) {
                ended = true;
                return null;
            }
            current = next;
        }
    }

    /** Waits for the next buffer; null at the end. */
    @SuppressWarnings("try") // the Timeout is pushed for the scope of the block
    private @Nullable ByteBuf next() {
        Optional<Duration> ambient = Timeout.remaining();
        Bridge.checkMayBlock("HttpClient.Response body read");
        try (Timeout ignored = Timeout.push(readTimeout)) {
            return buffers.poll(Deadlines.ambient(), null, "HttpClient.Response body read");
        } catch (TimeoutException e) {
            boolean ambientGoverned = ambient.isPresent() && ambient.get().compareTo(readTimeout) <= 0;
            TimeoutException timeout = new TimeoutException(what + ": reading the response body timed out: "
                    + (ambientGoverned ? "the ambient Timeout expired"
                            : "no bytes within " + Deadlines.format(readTimeout) + " (readTimeout)"));
            timeout.initCause(e);
            throw fail(timeout);
        } catch (TaskletExit e) {
            throw fail(e);
        } catch (RuntimeException e) {
            if (closed) {
                return null;
            }
            throw fail(ClientErrors.translate(what + " (reading the response body)", e, settings));
        }
    }

    private RuntimeException fail(RuntimeException e) {
        failure = e;
        return e;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            releaseCurrent();
            throw new IOException(what + ": the response body was closed");
        }
        RuntimeException failed = failure;
        if (failed != null) {
            throw new IOException(what + ": the response body is unusable after an earlier failure: "
                    + failed.getMessage(), failed);
        }
    }

    private void releaseCurrent() {
        ByteBuf buffer = current;
        current = null;
        if (buffer != null) {
            buffer.release();
        }
    }

    /**
     * Stops reading: cancels the body (see {@link ClientBodyFlux} for what that does to the connection),
     * releases what is buffered, and closes the response. Idempotent; any thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffers.cancel();
        if (lock.tryLock()) {
            try {
                releaseCurrent();
            } finally {
                lock.unlock();
            }
        }
        onClose.run();
    }
}
