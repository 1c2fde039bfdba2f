package io.concurrence.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The figures a reliability test measured (requests tried, faults survived, rows counted), for
 * {@code docs/reliability.md}: each is printed and appended to {@code target/reliability-figures.tsv} as
 * {@code time, form (quick or soak), test, figure, value}.
 */
public final class Figures {

    private static final Path FILE = Path.of("target", "reliability-figures.tsv");

    private Figures() {
    }

    /**
     * Records one figure.
     *
     * @param test the test (class and method, or a short name)
     * @param figure what was counted or measured
     * @param value its value
     */
    public static synchronized void record(String test, String figure, Object value) {
        String line = Instant.now() + "\t" + Soak.form() + "\t" + test + "\t" + figure + "\t" + value + "\n";
        System.out.print("[figure] " + line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + FILE.toAbsolutePath(), e);
        }
    }
}
