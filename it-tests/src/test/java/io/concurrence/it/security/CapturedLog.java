package io.concurrence.it.security;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What this JVM writes to {@code System.err} while it is open, which is where slf4j-simple logs (it looks the
 * stream up at every line): the server's log lines, for the tests to assert on. Everything still reaches the
 * original stream. Close it to restore that stream.
 */
final class CapturedLog implements AutoCloseable {

    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private CapturedLog() {
        original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing {@code System.err}. */
    static CapturedLog start() {
        return new CapturedLog();
    }

    /** What was logged so far. */
    String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** How many times {@code fragment} was logged so far. */
    int count(String fragment) {
        String text = text();
        int count = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + fragment.length())) {
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}
