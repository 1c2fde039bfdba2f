package io.concurrence.net;

import java.io.InputStream;
import java.util.Objects;

/**
 * {@link Socket#inputStream()}: blocking reads with the socket's semantics (ambient Timeout, kill); IO
 * failures are {@link java.io.UncheckedIOException}s. Closing it closes the socket.
 */
final class SocketInputStream extends InputStream {

    private final Socket socket;

    SocketInputStream(Socket socket) {
        this.socket = socket;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = socket.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        return socket.read(b, off, len);
    }

    @Override
    public void close() {
        socket.close();
    }
}
