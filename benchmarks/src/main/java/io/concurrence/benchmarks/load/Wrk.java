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

    private static final Pattern LATENCY = Pattern.compile(
            "LATENCY_US p50 (\\d+) p99 (\\d+) p999 (\\d+) max (\\d+)");

    /** Prints the latency percentiles wrk's own summary leaves out (p99.9), in microseconds. */
    private static final String LATENCY_SCRIPT = """
            done = function(summary, latency, requests)
              io.write(string.format("LATENCY_US p50 %d p99 %d p999 %d max %d\\n",
                latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
            end
            """;

    /**
     * One wrk run's summary.
     *
     * @param perSecond completed requests per second
     * @param requests completed requests
     * @param errors socket errors (connect, read, write, timeout) plus non-2xx responses
     * @param p50Millis the median latency, in milliseconds
     * @param p99Millis the 99th percentile of latency, in milliseconds
     * @param p999Millis the 99.9th percentile of latency, in milliseconds
     * @param output wrk's whole output
     */
    public record Summary(double perSecond, long requests, long errors, double p50Millis, double p99Millis,
                          double p999Millis, String output) {
    }

    /** A wrk run in progress. */
    public static final class Running {
        private final List<String> command;
        private final Process process;
        private final Duration duration;
        private final Path script;

        private Running(List<String> command, Process process, Duration duration, Path script) {
            this.command = command;
            this.process = process;
            this.duration = duration;
            this.script = script;
        }

        /**
         * Waits up to {@code limit} for wrk to end (used to act in the middle of a run).
         *
         * @return whether it has ended
         */
        public boolean awaitEnd(Duration limit) throws InterruptedException {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Waits for the run to end and reads its summary. */
        public Summary finish() throws IOException, InterruptedException {
            try {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException("wrk failed: " + String.join(" ", command) + "\n" + output);
                }
                return summary(output);
            } finally {
                Files.deleteIfExists(script);
            }
        }
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
        return start(url, connections, duration, headers).finish();
    }

    /** Starts wrk as {@link #run} does, without waiting for it. */
    public static Running start(String url, int connections, Duration duration, List<String> headers)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("wrk-latency", ".lua");
        Files.writeString(script, LATENCY_SCRIPT, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(executable(), "-t2", "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "5s", "-s", script.toString()));
        for (String header : headers) {
            command.add("-H");
            command.add(header);
        }
        command.add(url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new Running(command, wrk, duration, script);
    }

    private static Summary summary(String output) {
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
        Matcher latency = LATENCY.matcher(output);
        if (!latency.find()) {
            throw new IllegalStateException("no latency percentiles in wrk's output:\n" + output);
        }
        return new Summary(Double.parseDouble(rate.group(1)), Long.parseLong(total.group(1)), errors,
                millis(latency.group(1)), millis(latency.group(2)), millis(latency.group(3)), output);
    }

    private static double millis(String micros) {
        return Long.parseLong(micros) / 1000.0;
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
