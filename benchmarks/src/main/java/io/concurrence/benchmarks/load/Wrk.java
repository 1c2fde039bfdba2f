package io.concurrence.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs <a href="https://github.com/wg/wrk">wrk</a>, the load generator of the HTTP server scenarios (the same
 * for every server), and reads its summary. Installs it from the distribution's packages ({@code apt-get
 * install wrk}) when it is missing and the harness runs as root on Debian or Ubuntu.
 */
public final class Wrk {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");

    /**
     * One wrk run's summary.
     *
     * @param perSecond completed requests per second
     * @param requests completed requests
     * @param errors socket errors (connect, read, write, timeout) plus non-2xx responses
     * @param output wrk's whole output
     */
    public record Summary(double perSecond, long requests, long errors, String output) {
    }

    private Wrk() {
    }

    /**
     * Runs wrk with two threads against {@code url}.
     *
     * @param connections connections kept open (each reconnects after a {@code Connection: close} response)
     * @param headers extra request headers, e.g. {@code Connection: close}
     */
    public static Summary run(String url, int connections, Duration duration, List<String> headers)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable(), "-t2", "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "5s"));
        for (String header : headers) {
            command.add("-H");
            command.add(header);
        }
        command.add(url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
            wrk.destroyForcibly();
            throw new IllegalStateException("wrk failed: " + String.join(" ", command) + "\n" + output);
        }
        Matcher rate = RATE.matcher(output);
        Matcher total = TOTAL.matcher(output);
        if (!rate.find() || !total.find()) {
            throw new IllegalStateException("no summary in wrk's output:\n" + output);
        }
        long errors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        return new Summary(Double.parseDouble(rate.group(1)), Long.parseLong(total.group(1)), errors, output);
    }

    /** The wrk on the PATH, installed first if missing (root on Debian/Ubuntu only). */
    static synchronized String executable() throws IOException, InterruptedException {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "wrk");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        Process install = new ProcessBuilder("apt-get", "install", "-y", "-q", "wrk").inheritIO().start();
        if (install.waitFor(10, TimeUnit.MINUTES) && install.exitValue() == 0 && Files.isExecutable(
                Path.of("/usr/bin/wrk"))) {
            return "/usr/bin/wrk";
        }
        throw new IllegalStateException("wrk is not installed and 'apt-get install wrk' failed; install wrk"
                + " (https://github.com/wg/wrk) and put it on the PATH");
    }
}
