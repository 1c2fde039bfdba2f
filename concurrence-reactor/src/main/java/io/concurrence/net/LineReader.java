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

    /** Reads one line; the caller holds the socket's read lock. */
    static @Nullable String readLine(Socket socket, int maxLength, long deadline, @Nullable Duration timeout) {
        ByteArrayOutputStream line = null;
        for (;;) {
            ByteBuf buf = socket.readable(deadline, timeout, "Socket.readLine");
            if (buf == null) {
                return line == null ? null : stripCarriageReturn(line.toByteArray());
            }
            int start = buf.readerIndex();
            int newline = buf.indexOf(start, buf.writerIndex(), (byte) '\n');
            int end = newline < 0 ? buf.writerIndex() : newline;
            int length = (line == null ? 0 : line.size()) + (end - start);
            // A line may carry one '\r' before its '\n' beyond the limit.
            boolean tooLong = newline < 0 ? length > maxLength + 1
                    : length - (endsWithCarriageReturn(buf, line, end) ? 1 : 0) > maxLength;
            if (tooLong) {
                buf.readerIndex(newline < 0 ? end : end + 1);
                socket.releaseIfConsumed();
                throw new IllegalStateException("Socket.readLine: a line from " + socket.peer
                        + " is longer than the limit of " + maxLength + " bytes; read it with a larger maxLength,"
                        + " or with read()");
            }
            if (line == null) {
                line = new ByteArrayOutputStream(Math.min(length + 1, 256));
            }
            byte[] chunk = new byte[end - start];
            buf.readBytes(chunk);
            line.write(chunk, 0, chunk.length);
            if (newline >= 0) {
                buf.skipBytes(1);
                socket.releaseIfConsumed();
                return stripCarriageReturn(line.toByteArray());
            }
            socket.releaseIfConsumed();
        }
    }

    private static boolean endsWithCarriageReturn(ByteBuf buf, @Nullable ByteArrayOutputStream line, int end) {
        if (end > buf.readerIndex()) {
            return buf.getByte(end - 1) == '\r';
        }
        if (line != null && line.size() > 0) {
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
