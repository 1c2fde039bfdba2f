package io.concurrence.net;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import reactor.util.context.Context;

import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.internal.Deadlines;
import io.concurrence.internal.Parking;
import io.concurrence.reactor.internal.Bridge;
import io.concurrence.reactor.internal.MonoAwaiter;
import io.concurrence.reactor.internal.NettyFutures;
import io.concurrence.reactor.internal.QueueSubscriber;
import io.concurrence.reactor.internal.TransportErrors;

/**
 * A blocking TCP connection for tasklets, on Reactor Netty: the seed's {@code Socket}.
 * <pre>{@code
 * try (Socket socket = Socket.connect("localhost", 9010, Duration.ofSeconds(5))) {
 *     socket.write("hello\n".getBytes(StandardCharsets.UTF_8));
 *     String reply = socket.readLine(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <h2>Reading</h2>
 * {@link #read(byte[], int, int)} returns what has arrived (at least one byte), or -1 once the peer has
 * closed its side; {@link #readLine()} reads a line of at most {@value #DEFAULT_MAX_LINE_LENGTH} bytes
 * (or a given limit). Reads are backpressured: while nobody reads, at most a few buffers are held, the
 * socket stops reading from the network, and the peer's writes back up. A read that times out or is killed
 * leaves the socket usable.
 *
 * <h2>Writing</h2>
 * {@link #write(byte[])} hands the bytes to the connection and returns without waiting for the peer; it
 * blocks only while the connection's outbound buffer is above its high-water mark (a slow reader on the
 * other side stops the writer, not the heap). A write error is reported by the next write, {@link #flush()}
 * or {@link #close()}. {@code flush()} waits until everything written has reached the operating system.
 * {@code TCP_NODELAY} is on.
 *
 * <h2>Closing</h2>
 * {@link #close()} closes the connection once the bytes already written have gone out, without waiting for
 * that; it is idempotent. {@link #shutdownOutput()} half-closes: the peer reads the end of the stream while
 * this side can still read. A connection reset surfaces as {@link UncheckedIOException} naming the peer.
 *
 * <h2>Timeouts and threads</h2>
 * Every blocking method honours the ambient {@link io.concurrence.Timeout} and has a {@code Duration}
 * overload. One tasklet may read while another writes; concurrent reads are serialized.
 *
 * @since 0.1
 */
public final class Socket implements AutoCloseable {

    /** The default longest line {@link #readLine()} accepts, in bytes (the seed's buffer size). */
    public static final int DEFAULT_MAX_LINE_LENGTH = 8192;

    /** Inbound buffers held ahead of the reader; with Netty's 64 KiB reads, at most 256 KiB a socket. */
    private static final int READ_AHEAD = 4;

    /** How long the default (untimed) connect waits, unless an ambient Timeout is tighter. */
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final Connection connection;
    private final QueueSubscriber<ByteBuf> inbound;
    /** Queued behind the data when the peer half-closes: reads see the end of the stream there. */
    private final ByteBuf endOfInput = Unpooled.unreleasableBuffer(Unpooled.buffer(0, 0));
    /** Whether the reader has reached {@link #endOfInput}; guarded by {@link #readLock}. */
    private boolean inputEnded;
    /** The peer's address, for messages. */
    final String peer;
    private final ReentrantLock readLock = new ReentrantLock();
    /** Threads waiting for the channel to become writable. */
    private final Set<Thread> writeWaiters = ConcurrentHashMap.newKeySet();

    /** The buffer being read; guarded by {@link #readLock}. */
    private @Nullable ByteBuf current;
    /** The last write, for flush and close; written by writers. */
    private volatile @Nullable ChannelFuture lastWrite;
    /** The first write failure; reported by the next write, flush or close. */
    private volatile @Nullable Throwable writeFailure;
    private volatile boolean closed;
    /** Set by {@link #shutdownOutput()}: writes fail from then on. */
    private volatile boolean outputShutdown;
    /** A line {@link #readLine} has begun and not finished (it timed out); guarded by {@link #readLock}. */
    final java.io.ByteArrayOutputStream partialLine = new java.io.ByteArrayOutputStream();

    private @Nullable InputStream inputStream;
    private @Nullable OutputStream outputStream;

    Socket(Connection connection) {
        this.connection = connection;
        SocketAddress remote = connection.channel().remoteAddress();
        this.peer = remote == null ? "an unconnected peer" : remote.toString();
        connection.addHandlerLast("concurrence.socket", new EventsHandler());
        Context context = Context.empty();
        this.inbound = new QueueSubscriber<>(READ_AHEAD, context, ReferenceCountUtil::release);
        connection.inbound().receive().retain().subscribe(inbound);
    }

    /**
     * Opens a connection, waiting at most 30 s (or the ambient {@link io.concurrence.Timeout}).
     *
     * @param host the host name or address
     * @param port the port, 1 to 65535
     * @return the connected socket
     * @throws UncheckedIOException if the connection is refused or the host unknown (the cause is the
     *         {@code java.net} exception)
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while connecting (the attempt is cancelled)
     */
    public static Socket connect(String host, int port) {
        return connect(host, port, DEFAULT_CONNECT_TIMEOUT);
    }

    /**
     * Opens a connection, waiting at most {@code timeout}.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link io.concurrence.Timeout}; the
     * attempt is cancelled. <b>Kill:</b> throws {@link TaskletExit}; the attempt is cancelled.
     * <b>Threads:</b> any thread that may block.
     *
     * @param host the host name or address
     * @param port the port, 1 to 65535
     * @param timeout how long to wait at most
     * @return the connected socket
     * @throws UncheckedIOException if the connection is refused or the host unknown (the cause is the
     *         {@code java.net} exception)
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while connecting
     */
    public static Socket connect(String host, int port, Duration timeout) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
        }
        String operation = "Socket.connect to " + host + ":" + port;
        long deadline = Deadlines.effective(timeout);
        // Netty's own connect timeout fires a second after ours, so that ours (with its message) wins.
        long nettyMillis = Math.max(1, Math.min(Integer.MAX_VALUE - 1_000,
                Deadlines.remainingNanos(deadline) / 1_000_000)) + 1_000;
        TcpClient client = TcpClient.newConnection()
                .host(host)
                .port(port)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) nettyMillis)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true);
        // The socket subscribes to the inbound on the event loop, in the task that completes the connect:
        // before any byte (or the peer's FIN) can arrive with nobody listening.
        Mono<Socket> connect = client.connect().map(Socket::new).doOnDiscard(Socket.class, Socket::close);
        Socket socket;
        try {
            socket = MonoAwaiter.await(connect, timeout, operation);
        } catch (TimeoutException | TaskletExit e) {
            throw e;
        } catch (RuntimeException e) {
            throw transportFailure("Could not connect to " + host + ":" + port, e);
        }
        return Objects.requireNonNull(socket, "connect() completed without a connection");
    }

    // ---- reading ----

    /**
     * Blocks until at least one byte has arrived (or the end of the stream), and reads up to {@code len}.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link io.concurrence.Timeout}.
     * <b>Kill:</b> throws {@link TaskletExit}; the socket stays usable. <b>Threads:</b> one reader at a
     * time (others wait their turn).
     *
     * @param buffer where to put the bytes
     * @param offset the first index to fill
     * @param length the most bytes to read
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws UncheckedIOException if the connection was reset or this socket is closed
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public int read(byte[] buffer, int offset, int length) {
        return readWithin(buffer, offset, length, null);
    }

    /**
     * Like {@link #read(byte[], int, int)}, waiting at most {@code timeout}.
     *
     * @param buffer where to put the bytes
     * @param offset the first index to fill
     * @param length the most bytes to read
     * @param timeout how long to wait at most
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws UncheckedIOException if the connection was reset or this socket is closed
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public int read(byte[] buffer, int offset, int length, Duration timeout) {
        return readWithin(buffer, offset, length, Objects.requireNonNull(timeout, "timeout"));
    }

    private int readWithin(byte[] buffer, int offset, int length, @Nullable Duration timeout) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        long deadline = Deadlines.effective(timeout);
        lockForReading(deadline, timeout);
        try {
            ByteBuf readable = readable(deadline, timeout, "Socket.read");
            if (readable == null) {
                return -1;
            }
            int n = Math.min(length, readable.readableBytes());
            readable.readBytes(buffer, offset, n);
            releaseIfConsumed();
            return n;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Reads a line of at most {@value #DEFAULT_MAX_LINE_LENGTH} bytes, as UTF-8, without its terminator
     * ({@code \n} or {@code \r\n}). Like {@link #readLine(int, Duration)} without a timeout of its own.
     *
     * @return the line; the last, unterminated line at the end of the stream; or null at the end
     * @throws IllegalStateException if the line is longer than the limit
     * @throws UncheckedIOException if the connection was reset or this socket is closed
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public @Nullable String readLine() {
        return readLine(DEFAULT_MAX_LINE_LENGTH, null);
    }

    /**
     * Reads a line of at most {@value #DEFAULT_MAX_LINE_LENGTH} bytes, waiting at most {@code timeout}
     * for all of it.
     *
     * @param timeout how long to wait at most
     * @return the line; the last, unterminated line at the end of the stream; or null at the end
     * @throws IllegalStateException if the line is longer than the limit
     * @throws UncheckedIOException if the connection was reset or this socket is closed
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public @Nullable String readLine(Duration timeout) {
        return readLine(DEFAULT_MAX_LINE_LENGTH, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Reads a line of at most {@code maxLength} bytes (terminator excluded), as UTF-8, waiting at most
     * {@code timeout} for all of it (null: no timeout of its own; the ambient one applies).
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link io.concurrence.Timeout};
     * the bytes of a partly read line stay in the socket for the next read. <b>Kill:</b> throws
     * {@link TaskletExit}. <b>Threads:</b> one reader at a time.
     *
     * @param maxLength the longest line accepted, in bytes, at least 1
     * @param timeout how long to wait at most, or null
     * @return the line; the last, unterminated line at the end of the stream; or null at the end
     * @throws IllegalStateException if the line is longer than {@code maxLength} (the bytes read so far are
     *         consumed)
     * @throws UncheckedIOException if the connection was reset or this socket is closed
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public @Nullable String readLine(int maxLength, @Nullable Duration timeout) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1, was " + maxLength);
        }
        long deadline = Deadlines.effective(timeout);
        lockForReading(deadline, timeout);
        try {
            return LineReader.readLine(this, maxLength, deadline, timeout);
        } finally {
            readLock.unlock();
        }
    }

    /** The buffer to read from, waiting for one if needed; null at the end of the stream. Holds readLock. */
    @Nullable ByteBuf readable(long deadline, @Nullable Duration timeout, String operation) {
        checkOpen(operation);
        ByteBuf buf = current;
        while (buf == null || !buf.isReadable()) {
            if (buf != null) {
                buf.release();
                current = null;
            }
            if (inputEnded) {
                return null;
            }
            try {
                buf = inbound.poll(deadline, timeout, operation);
            } catch (TimeoutException | TaskletExit e) {
                throw e;
            } catch (RuntimeException e) {
                throw transportFailure(operation + " from " + peer + " failed", e);
            }
            if (buf == null) {
                checkOpen(operation);
                return null;
            }
            if (buf == endOfInput) {
                inputEnded = true;
                return null;
            }
            current = buf;
        }
        return buf;
    }

    /** Releases the current buffer once it is read. Holds readLock. */
    void releaseIfConsumed() {
        ByteBuf buf = current;
        if (buf != null && !buf.isReadable()) {
            buf.release();
            current = null;
        }
    }

    private void lockForReading(long deadline, @Nullable Duration timeout) {
        if (readLock.tryLock()) {
            return;
        }
        try {
            long nanos = Deadlines.remainingNanos(deadline);
            if (!readLock.tryLock(nanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                throw Deadlines.timeout("Socket.read (waiting for another reader)", timeout, deadline);
            }
        } catch (InterruptedException e) {
            throw Parking.killed("Socket.read (waiting for another reader)");
        }
    }

    // ---- writing ----

    /**
     * Writes {@code data}. Blocks only while the connection's outbound buffer is full.
     *
     * <p><b>Timeout:</b> waits indefinitely for room, subject to the ambient {@link io.concurrence.Timeout}.
     * <b>Kill:</b> throws {@link TaskletExit}; nothing was written. <b>Threads:</b> any; each write is
     * atomic with respect to others.
     *
     * @param data the bytes (copied: the array may be reused at once)
     * @throws UncheckedIOException if the connection is closed or an earlier write failed
     * @throws TimeoutException if the ambient deadline passes before there is room
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void write(byte[] data) {
        write(data, 0, data.length, null);
    }

    /**
     * Writes {@code data}, waiting at most {@code timeout} for room in the outbound buffer.
     *
     * @param data the bytes (copied: the array may be reused at once)
     * @param timeout how long to wait at most
     * @throws UncheckedIOException if the connection is closed or an earlier write failed
     * @throws TimeoutException if the deadline passes before there is room (nothing was written)
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void write(byte[] data, Duration timeout) {
        write(data, 0, data.length, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Writes {@code length} bytes of {@code data} from {@code offset}, waiting at most {@code timeout}
     * (null: no timeout of its own) for room in the outbound buffer.
     *
     * @param data the bytes (copied)
     * @param offset the first index to write
     * @param length how many bytes
     * @param timeout how long to wait at most, or null
     * @throws UncheckedIOException if the connection is closed or an earlier write failed
     * @throws TimeoutException if the deadline passes before there is room (nothing was written)
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void write(byte[] data, int offset, int length, @Nullable Duration timeout) {
        Objects.checkFromIndexSize(offset, length, data.length);
        checkWritable("Socket.write");
        if (length == 0) {
            return;
        }
        awaitWritable(Deadlines.effective(timeout), timeout);
        var channel = connection.channel();
        ByteBuf buf = channel.alloc().buffer(length).writeBytes(data, offset, length);
        ChannelFuture future = channel.writeAndFlush(buf);
        lastWrite = future;
        future.addListener(this::recordWriteResult);
    }

    /**
     * Blocks until everything written so far has been handed to the operating system.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link io.concurrence.Timeout}.
     * <b>Kill:</b> throws {@link TaskletExit}. <b>Threads:</b> any.
     *
     * @throws UncheckedIOException if a write failed
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void flush() {
        flush(null);
    }

    /**
     * Like {@link #flush()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @throws UncheckedIOException if a write failed
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void flush(@Nullable Duration timeout) {
        if (outputStream instanceof SocketOutputStream out) {
            out.drain(timeout);
        }
        ChannelFuture last = lastWrite;
        if (last != null) {
            long deadline = Deadlines.effective(timeout);
            NettyFutures.await(last, deadline, timeout, "Socket.flush");
        }
        throwIfWriteFailed("Socket.flush");
    }

    /**
     * Half-closes the connection: flushes, then shuts the output down, so the peer reads the end of the
     * stream; this side can still read.
     *
     * @throws UncheckedIOException if the connection is closed or a write failed
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     */
    public void shutdownOutput() {
        flush(null);
        outputShutdown = true;
        writeWaiters.forEach(LockSupport::unpark);
        if (connection.channel() instanceof DuplexChannel duplex) {
            Throwable failure = NettyFutures.await(duplex.shutdownOutput(), Deadlines.effective(null), null,
                    "Socket.shutdownOutput");
            if (failure != null) {
                throw transportFailure("Socket.shutdownOutput to " + peer + " failed", failure);
            }
        }
    }

    private void awaitWritable(long deadline, @Nullable Duration timeout) {
        var channel = connection.channel();
        if (channel.isWritable()) {
            return;
        }
        Bridge.checkMayBlock("Socket.write");
        Thread self = Thread.currentThread();
        writeWaiters.add(self);
        Parking.Wake wake;
        try {
            wake = Parking.park(() -> channel.isWritable() || !channel.isActive() || closed || outputShutdown,
                    deadline, this);
        } finally {
            writeWaiters.remove(self);
        }
        if (wake == Parking.Wake.TIMED_OUT && !channel.isWritable()) {
            throw Deadlines.timeout("Socket.write to " + peer + " (the peer is not reading)", timeout, deadline);
        }
        if (wake == Parking.Wake.INTERRUPTED) {
            throw Parking.killed("Socket.write");
        }
        checkWritable("Socket.write");
    }

    private void recordWriteResult(io.netty.util.concurrent.Future<? super Void> future) {
        if (!future.isSuccess() && writeFailure == null) {
            writeFailure = future.cause();
        }
    }

    // ---- state ----

    /**
     * The peer's address.
     *
     * @return the remote address
     */
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) connection.channel().remoteAddress();
    }

    /**
     * The local address.
     *
     * @return the local address
     */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) connection.channel().localAddress();
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed by this side
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * A blocking {@link InputStream} over this socket; closing it closes the socket.
     *
     * @return the input stream (the same one each time)
     */
    public synchronized InputStream inputStream() {
        if (inputStream == null) {
            inputStream = new SocketInputStream(this);
        }
        return inputStream;
    }

    /**
     * A buffered {@link OutputStream} over this socket: bytes go out on {@code flush()}, when 8 KiB have
     * accumulated, or on close. Closing it flushes and closes the socket.
     *
     * @return the output stream (the same one each time)
     */
    public synchronized OutputStream outputStream() {
        if (outputStream == null) {
            outputStream = new SocketOutputStream(this);
        }
        return outputStream;
    }

    /**
     * Closes the connection once what was written has gone out, without waiting for that. Bytes not yet
     * read are dropped. Idempotent; never blocks.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (outputStream instanceof SocketOutputStream out) {
            out.drainQuietly();
        }
        closed = true;
        ChannelFuture last = lastWrite;
        if (last != null && !last.isDone()) {
            last.addListener(ChannelFutureListener.CLOSE);
        } else {
            connection.dispose();
        }
        // After the close is under way: cancelling the inbound of a live channel would ask it to read again.
        inbound.cancel();
        writeWaiters.forEach(LockSupport::unpark);
        if (readLock.tryLock()) {
            try {
                ByteBuf buf = current;
                current = null;
                if (buf != null) {
                    buf.release();
                }
            } finally {
                readLock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "Socket[" + peer + (closed ? ", closed]" : "]");
    }

    private void checkOpen(String operation) {
        if (closed) {
            ByteBuf buf = current;
            current = null;
            if (buf != null) {
                buf.release();
            }
            throw new UncheckedIOException(new SocketException(operation + " on a closed socket (" + peer + ")"));
        }
    }

    private void checkWritable(String operation) {
        checkOpen(operation);
        if (outputShutdown || connection.channel() instanceof DuplexChannel duplex && duplex.isOutputShutdown()) {
            throw new UncheckedIOException(new SocketException(operation + " after shutdownOutput() (" + peer
                    + "): the output is shut down"));
        }
        throwIfWriteFailed(operation);
        if (!connection.channel().isActive()) {
            throw new UncheckedIOException(new SocketException(operation + ": the connection to " + peer
                    + " is closed"));
        }
    }

    private void throwIfWriteFailed(String operation) {
        Throwable failure = writeFailure;
        if (failure != null) {
            throw transportFailure(operation + ": an earlier write to " + peer + " failed", failure);
        }
    }

    /** An {@link UncheckedIOException} for a transport failure, whose cause is a {@code java.net} exception. */
    static RuntimeException transportFailure(String message, Throwable failure) {
        return TransportErrors.translate(message, failure);
    }

    /**
     * Wakes writers waiting for room when the channel's writability changes or it closes; and turns the
     * peer's half-close (FIN, with {@code ALLOW_HALF_CLOSURE}) into an end-of-stream marker that travels
     * behind the data already received (Reactor Netty does not complete the inbound on a half-close).
     */
    private final class EventsHandler extends ChannelDuplexHandler {
        /** Set on the event loop once the peer has half-closed; later read requests are not passed on. */
        private boolean inputShutdown;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                inputShutdown = true;
            } else if (event == ChannelInputShutdownReadComplete.INSTANCE) {
                inputShutdown = true;
                ctx.fireChannelRead(endOfInput);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void read(ChannelHandlerContext ctx) {
            // Reactor Netty asks for more input on demand; after a half-close there is none, and asking the
            // epoll transport to watch the shut-down input fails (epoll_ctl ENOENT).
            if (!inputShutdown) {
                ctx.read();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writeWaiters.forEach(LockSupport::unpark);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            writeWaiters.forEach(LockSupport::unpark);
            ctx.fireChannelInactive();
        }
    }
}
