package io.concurrence.memcache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Reads responses off one connection and hands each to the oldest pending request.
 */
final class ResponseDecoder extends ByteToMessageDecoder {
    /*
     * Requests are written in the order they enter `queue` (both happen in one event-loop task), and
     * memcached answers in order, so the head of the queue owns the next response. What the head expects
     * (one line, VALUE blocks, STAT lines) tells where its response ends. ERROR, CLIENT_ERROR and
     * SERVER_ERROR end any response. A request whose caller gave up stays queued: its response is read and
     * dropped, which keeps the stream in step. A line that fits no request (or a malformed one) means the
     * stream can no longer be trusted: every pending request fails and the connection closes.
     */

    /** The longest response line accepted (a VALUE line with a 250-byte key is about 300). */
    static final int MAX_LINE = 8192;

    private final String server;
    /** On the event loop only: the requests written and not yet answered, oldest first. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Called once, on the event loop, with the reason the connection failed (I/O or protocol). */
    private final Consumer<Throwable> onFailure;
    /** Event loop only: the items and stats of the head's response so far. */
    private @Nullable List<Response.Item> items;
    private @Nullable Map<String, String> stats;
    /** Event loop only: the VALUE header whose data block is awaited, or null. */
    private @Nullable String[] valueHeader;
    private int dataLength = -1;
    private @Nullable Throwable failure;

    ResponseDecoder(String server, Consumer<Throwable> onFailure) {
        this.server = server;
        this.onFailure = onFailure;
    }

    /** Queues a request that was just written (or is about to be, in the same event-loop task). */
    void enqueue(Pending pending) {
        if (failure != null) {
            pending.fail(failure);
        } else {
            queue.add(pending);
        }
    }

    /** Fails every pending request with {@code error}, once; later requests fail at once with it too. */
    void failAll(Throwable error) {
        if (failure == null) {
            failure = error;
            onFailure.accept(error);
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.fail(error);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (failure == null) {
            if (dataLength >= 0) {
                if (!readData(ctx, in)) {
                    return;
                }
                continue;
            }
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (eol < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    protocolError(ctx, "a response line longer than " + MAX_LINE + " bytes");
                }
                return;
            }
            int length = eol - in.readerIndex();
            if (length == 0 || in.getByte(eol - 1) != '\r') {
                protocolError(ctx, "a response line not ended by CRLF");
                return;
            }
            String line = in.toString(in.readerIndex(), length - 1, StandardCharsets.UTF_8);
            in.readerIndex(eol + 1);
            onLine(ctx, line);
        }
        in.skipBytes(in.readableBytes());
    }

    private boolean readData(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < dataLength + 2) {
            return false;
        }
        byte[] data = new byte[dataLength];
        in.readBytes(data);
        if (in.readByte() != '\r' || in.readByte() != '\n') {
            protocolError(ctx, "a data block of " + dataLength + " bytes not followed by CRLF");
            return false;
        }
        String[] h = java.util.Objects.requireNonNull(valueHeader);
        long cas = h.length > 4 ? Long.parseUnsignedLong(h[4]) : 0;
        java.util.Objects.requireNonNull(items).add(
                new Response.Item(h[1], Integer.parseUnsignedInt(h[2]), data, cas));
        valueHeader = null;
        dataLength = -1;
        return true;
    }

    private void onLine(ChannelHandlerContext ctx, String line) {
        Pending head = queue.peek();
        if (head == null) {
            protocolError(ctx, "the line \"" + line + "\" with no request pending");
            return;
        }
        if (line.equals("ERROR") || line.startsWith("CLIENT_ERROR") || line.startsWith("SERVER_ERROR")) {
            finish().fail(new MemcacheException("memcache server " + server + " answered \"" + line + "\" to "
                    + head.command));
            return;
        }
        switch (head.expect) {
            case LINE -> finish().complete(new Response.Line(line));
            case VALUES -> onValuesLine(ctx, line);
            case STATS -> onStatsLine(ctx, line);
        }
    }

    private void onValuesLine(ChannelHandlerContext ctx, String line) {
        if (line.equals("END")) {
            List<Response.Item> found = items == null ? List.of() : items;
            finish().complete(new Response.Values(found));
            return;
        }
        String[] h = line.split(" ");
        if (!h[0].equals("VALUE") || h.length < 4 || h.length > 5) {
            protocolError(ctx, "\"" + line + "\" where VALUE <key> <flags> <bytes> [<cas>] or END was expected");
            return;
        }
        try {
            dataLength = Integer.parseInt(h[3]);
            Integer.parseUnsignedInt(h[2]);
            if (h.length > 4) {
                Long.parseUnsignedLong(h[4]);
            }
        } catch (NumberFormatException e) {
            dataLength = -1;
            protocolError(ctx, "\"" + line + "\" with a malformed number");
            return;
        }
        if (items == null) {
            items = new ArrayList<>();
        }
        valueHeader = h;
    }

    private void onStatsLine(ChannelHandlerContext ctx, String line) {
        if (line.equals("END")) {
            Map<String, String> found = stats == null ? Map.of() : stats;
            finish().complete(new Response.Stats(found));
            return;
        }
        String[] parts = line.split(" ", 3);
        if (!parts[0].equals("STAT") || parts.length < 3) {
            protocolError(ctx, "\"" + line + "\" where STAT <name> <value> or END was expected");
            return;
        }
        if (stats == null) {
            stats = new LinkedHashMap<>();
        }
        stats.put(parts[1], parts[2]);
    }

    /** Takes the head off the queue and resets the partial response. */
    private Pending finish() {
        items = null;
        stats = null;
        return queue.remove();
    }

    private void protocolError(ChannelHandlerContext ctx, String what) {
        Pending head = queue.peek();
        failAll(new MemcacheException("memcache server " + server + " broke the protocol: it sent " + what
                + (head == null ? "" : " (answering " + head.command + ")") + "; the connection is closed"));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        failAll(new MemcacheException("connection to memcache server " + server + " closed"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failAll(new MemcacheException("I/O error on the connection to memcache server " + server + ": " + cause,
                cause));
        ctx.close();
    }
}
