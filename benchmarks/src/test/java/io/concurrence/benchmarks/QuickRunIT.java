package io.concurrence.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark scenario still runs: the harness in quick mode (short runs, one round, no results written
 * to {@code benchmarks/results}, no figures asserted), from the jar the build just made. Scenarios that need a
 * service (MariaDB on 3306, memcached on 11211, wrk for the HTTP ones) run when it is there; with
 * {@code CI=true} a missing service is a failure, elsewhere those scenarios are left out, with a message.
 */
class QuickRunIT {

    /** The bound on the whole quick run (about 2 minutes on 2 shared cores). */
    static final Duration BOUND = Duration.ofMinutes(20);

    @Test
    void everyScenarioRunsInQuickMode() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path jar = root.resolve("benchmarks/target/benchmarks.jar");
        assertThat(jar).as("the shaded jar of the package phase").exists();
        boolean ci = "true".equals(System.getenv("CI"));
        List<String> run = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Scenario scenario : Scenarios.all()) {
            String name = scenario.name();
            String need = name.startsWith("db-") ? (open(3306) ? null : "MariaDB on 127.0.0.1:3306")
                    : name.startsWith("memcache-") ? (open(11211) ? null : "memcached on 127.0.0.1:11211")
                    : name.startsWith("http-") && !name.equals("http-client")
                            ? (wrkAvailable() ? null : "wrk (apt-get install wrk, or run as root)") : null;
            if (need == null) {
                run.add(name);
            } else {
                missing.add(name + " needs " + need);
            }
        }
        if (!missing.isEmpty()) {
            if (ci) {
                fail("CI=true and services are missing: " + missing);
            }
            System.out.println("QuickRunIT leaves out: " + missing);
        }
        Assumptions.assumeFalse(run.isEmpty(), "no scenario can run here");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString(), "--quick"));
        command.addAll(run);
        Path log = Files.createTempFile("quick-run", ".log");
        Process harness = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean ended = harness.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            harness.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertThat(ended).as("the quick run ended within %s; its output:%n%s", BOUND, output).isTrue();
        assertThat(harness.exitValue()).as("the harness's exit code; its output:%n%s", output).isZero();
        for (String name : run) {
            assertThat(output).as("a result line for %s", name)
                    .containsPattern("(?m)^" + Pattern.quote(name) + "( at \\d+ \\w+)?: ours ");
        }
        assertThat(output).doesNotContain("FAILED");
    }

    private static boolean open(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** wrk on the PATH, or the harness can install it (root on Debian). */
    private static boolean wrkAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return true;
            }
        }
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/apt-get"));
    }
}
