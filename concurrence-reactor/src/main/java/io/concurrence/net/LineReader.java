package io.concurrence.net;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBuf;

/** {@link Socket#readLine}: scans the socket's buffers for {@code \n}, without copying more than the line. */
final class LineReader {

    private LineReader() {
    }

    /**
     * Reads one line; the caller holds the socket's read lock. The bytes of a line not yet complete are kept
     * in the socket ({@code partialLine}), so a read that times out mid-line loses nothing.
     */
    static @Nullable String readLine(Socket socket, int maxLength, long deadline, @Nullable Duration timeout) {
        ByteArrayOutputStream line = socket.partialLine;
        for (;;) {
            ByteBuf buf = socket.readable(deadline, timeout, "Socket.readLine");
            if (buf == null) {
                if (line.size() == 0) {
                    return null;
                }
                byte[] last = line.toByteArray();
                line.reset();
                int length = last[last.length - 1] == '\r' ? last.length - 1 : last.length;
                if (length > maxLength) {
                    throw tooLong(socket, maxLength);
                }
                return new String(last, 0, length, StandardCharsets.UTF_8);
            }
            int start = buf.readerIndex();
            int newline = buf.indexOf(start, buf.writerIndex(), (byte) '\n');
            int end = newline < 0 ? buf.writerIndex() : newline;
            int length = line.size() + (end - start);
            // A line may carry one '\r' before its '\n' beyond the limit.
            boolean tooLong = newline < 0 ? length > maxLength + 1
                    : length - (endsWithCarriageReturn(buf, line, end) ? 1 : 0) > maxLength;
            if (tooLong) {
                buf.readerIndex(newline < 0 ? end : end + 1);
                socket.releaseIfConsumed();
                line.reset();
                throw tooLong(socket, maxLength);
            }
            byte[] chunk = new byte[end - start];
            buf.readBytes(chunk);
            line.write(chunk, 0, chunk.length);
            if (newline >= 0) {
                buf.skipBytes(1);
                socket.releaseIfConsumed();
                byte[] bytes = line.toByteArray();
                line.reset();
                return stripCarriageReturn(bytes);
            }
            socket.releaseIfConsumed();
        }
    }

    private static IllegalStateException tooLong(Socket socket, int maxLength) {
        return new IllegalStateException("Socket.readLine: a line from " + socket.peer + " is longer than the"
                + " limit of " + maxLength + " bytes; read it with a larger maxLength, or with read()");
    }

    private static boolean endsWithCarriageReturn(ByteBuf buf, ByteArrayOutputStream line, int end) {
        if (end > buf.readerIndex()) {
            return buf.getByte(end - 1) == '\r';
        }
        if (line.size() > 0) {
            byte[] bytes = line.toByteArray();
            return bytes[bytes.length - 1] == '\r';
        }
        return false;
    }

    private static String stripCarriageReturn(byte[] bytes) {
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
