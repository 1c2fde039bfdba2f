package io.concurrence.it.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One request on its own raw socket, bytes exactly as given, and what the server answered: the status of the
 * first final response ({@code 1xx} interim responses skipped), or {@link #CLOSED} when the connection ended
 * before a response. A server that neither answers nor closes within the bound is a {@link Hang}.
 */
final class RawExchange {

    /** The "status" of a connection the server closed (or reset) without answering. */
    static final int CLOSED = 0;
    private static final int MAX_HEAD = 64 * 1024;

    private RawExchange() {
    }

    /** The answer was not complete within the bound: the server hangs on this request. */
    static final class Hang extends IOException {
        private static final long serialVersionUID = 1L;

        Hang(String message) {
            super(message);
        }
    }

    /**
     * Sends {@code request} to {@code port} on 127.0.0.1 and returns the status of the response (or
     * {@link #CLOSED}); the head of the response, as text, goes to {@code head} when not null.
     *
     * @throws Hang if no response and no close came within {@code bound}
     */
    static int send(int port, byte[] request, Duration bound, StringBuilder head) throws IOException {
        return send(port, request, bound, head, socket -> { });
    }

    /** What to do with the socket once the request is written (say, half-close it). */
    @FunctionalInterface
    interface AfterWrite {
        void accept(Socket socket) throws IOException;
    }

    /** {@link #send(int, byte[], Duration, StringBuilder)}, doing {@code afterWrite} once the request is written. */
    static int send(int port, byte[] request, Duration bound, StringBuilder head, AfterWrite afterWrite)
            throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                afterWrite.accept(socket);
            } catch (SocketException resetWhileWriting) {
                // The server answered and closed before taking everything (an oversize request): read what came.
            }
            InputStream in = socket.getInputStream();
            while (true) {
                String text = readHead(socket, in, deadline);
                if (text == null) {
                    return CLOSED;
                }
                if (head != null) {
                    head.setLength(0);
                    head.append(text);
                }
                int status = parseStatus(text);
                if (status >= 200) {
                    return status;
                }
            }
        }
    }

    /** The status code of a response head's status line. */
    static int parseStatus(String head) throws IOException {
        String[] parts = head.split("\r\n", 2)[0].split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + head);
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not a status code: " + head, e);
        }
    }

    /** Reads up to the end of a head (CRLFCRLF); null if the connection ends before any byte. */
    private static String readHead(Socket socket, InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new Hang("no response within the bound; received so far: " + printable(bytes));
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new Hang("no response within the bound; received so far: " + printable(bytes));
            } catch (SocketException reset) {
                b = -1;
            }
            if (b < 0) {
                if (bytes.size() == 0) {
                    return null;
                }
                throw new IOException("the connection ended within a response head: " + printable(bytes));
            }
            bytes.write(b);
            if (bytes.size() > MAX_HEAD) {
                throw new IOException("a response head larger than " + MAX_HEAD + " bytes");
            }
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static String printable(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }
}
