package io.concurrence.remote.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Closes a server connection whose next RSocket frame announces more bytes than the server takes, as soon as its
 * 3-byte length prefix has arrived: RSocket's own frame decoder would silently drop such a frame (after
 * discarding its bytes), leaving a call waiting for its timeout, or buffer up to 16 MiB of it. The client sees its
 * connection closed, and its pending calls fail at once. Reads the bytes without consuming them; one per
 * connection, used only by its event loop.
 */
final class FrameLengthGuard extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(FrameLengthGuard.class);
    private static final int LENGTH_BYTES = 3;

    private final int limit;
    /** Bytes of the current frame still to pass. Event loop only. */
    private long remaining;
    /** The length prefix read so far, and how many of its bytes. Event loop only. */
    private int length;
    private int lengthBytes;

    FrameLengthGuard(int limit) {
        this.limit = limit;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buffer && !scan(buffer)) {
            buffer.release();
            LOG.warn("closed a remote connection from {}: a frame of {} bytes, more than the limit of {} bytes"
                    + " (maxFrameBytes and its headroom)", ctx.channel().remoteAddress(), length, limit);
            ctx.close();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Follows the frames in {@code buffer}; false if a frame announces more than the limit. */
    private boolean scan(ByteBuf buffer) {
        int at = buffer.readerIndex();
        int end = buffer.writerIndex();
        while (at < end) {
            if (remaining > 0) {
                int skip = (int) Math.min(remaining, end - at);
                at += skip;
                remaining -= skip;
                continue;
            }
            length = (length << 8) | (buffer.getByte(at++) & 0xFF);
            if (++lengthBytes == LENGTH_BYTES) {
                if (length > limit) {
                    return false;
                }
                remaining = length;
                length = 0;
                lengthBytes = 0;
            }
        }
        return true;
    }
}
