package io.concurrence.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * {@link FrameLengthGuard} passes frames up to its limit untouched, however the bytes are split, and closes the
 * connection at the length prefix of a larger one; and {@link Wire#printable} keeps wire text from forging log
 * lines.
 */
class FrameLengthGuardTest {

    private static final int LIMIT = 100;

    @Test
    void framesUpToTheLimitPassUntouchedWhateverTheSplit() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameLengthGuard(LIMIT));
        ByteBuf frames = Unpooled.buffer();
        frames.writeMedium(LIMIT).writeZero(LIMIT).writeMedium(0).writeMedium(3).writeBytes(new byte[] {1, 2, 3});
        int total = frames.readableBytes();
        // one byte at a time: prefixes and bodies cut anywhere
        for (int i = 0; i < total; i++) {
            assertThat(channel.writeInbound(frames.readRetainedSlice(1))).isTrue();
        }
        frames.release();
        assertThat(channel.isOpen()).isTrue();
        int passed = 0;
        for (ByteBuf piece = channel.readInbound(); piece != null; piece = channel.readInbound()) {
            passed += piece.readableBytes();
            piece.release();
        }
        assertThat(passed).isEqualTo(total);
        channel.finishAndReleaseAll();
    }

    @Test
    void aFrameAnnouncingMoreThanTheLimitClosesTheConnectionAndIsReleased() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameLengthGuard(LIMIT));
        ByteBuf first = Unpooled.buffer().writeMedium(2).writeShort(7);
        assertThat(channel.writeInbound(first)).isTrue();
        ByteBuf oversize = Unpooled.buffer().writeMedium(LIMIT + 1).writeZero(10);
        channel.writeInbound(oversize);
        assertThat(oversize.refCnt()).as("released, not passed on").isZero();
        assertThat(channel.isOpen()).isFalse();
        ByteBuf passed = channel.readInbound();
        assertThat(passed.readableBytes()).isEqualTo(5);
        passed.release();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void wireTextIsMadePrintableForTheLog() {
        assertThat(Wire.printable("echo\n[main] ERROR forged\r")).isEqualTo("echo\\u000a[main] ERROR forged\\u000d");
        assertThat(Wire.printable(null)).isEqualTo("null");
        assertThat(Wire.printable("x".repeat(300))).startsWith("x".repeat(Wire.PRINTABLE_LENGTH) + "...")
                .endsWith("(300 characters)");
    }
}
