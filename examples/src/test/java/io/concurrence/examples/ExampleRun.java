package io.concurrence.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * An example run in this JVM as its command runs it: its exit code and what it printed.
 *
 * @param exitCode what the example returned
 * @param out what it printed to standard output
 * @param err what it printed to standard error
 */
record ExampleRun(int exitCode, String out, String err) {

    /** Runs {@code example} with standard output and error captured (and restored afterwards). */
    static ExampleRun capture(IntSupplier example) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = example.getAsInt();
            return new ExampleRun(code, outBytes.toString(StandardCharsets.UTF_8),
                    errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
