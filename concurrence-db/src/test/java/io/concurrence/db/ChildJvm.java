package io.concurrence.db;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} class of the test class path in a child JVM (the same {@code java}, the same class path), waits
 * for it at most {@link #BOUND}, and hands back its exit code and output (stdout and stderr together).
 */
final class ChildJvm {

    /** The bound on a child JVM's whole run, start-up included (CI runs on 2 shared cores). */
    static final Duration BOUND = Duration.ofSeconds(90);

    /**
     * What a child JVM did.
     *
     * @param exitCode its exit code
     * @param output what it printed, stdout and stderr interleaved
     */
    record Outcome(int exitCode, String output) {
    }

    private ChildJvm() {
    }

    /**
     * Runs {@code main} with {@code jvmOptions} and {@code args}; fails the test if it does not exit within
     * {@link #BOUND} (after killing it).
     */
    static Outcome run(Class<?> main, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("concurrence-db-child-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            boolean exited = process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("child JVM running " + main.getSimpleName() + " did not exit within " + BOUND.toSeconds()
                        + " s; its output:\n" + Files.readString(log));
            }
            return new Outcome(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
