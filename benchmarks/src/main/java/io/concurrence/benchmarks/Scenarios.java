package io.concurrence.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import io.concurrence.benchmarks.Scenario.Peer;
import io.concurrence.benchmarks.Scenario.Variant;
import io.concurrence.benchmarks.load.GreeterLoad;
import io.concurrence.benchmarks.load.GreeterServer;
import io.concurrence.benchmarks.memory.ParkedMemory;
import io.concurrence.benchmarks.micro.AwaitMono;
import io.concurrence.benchmarks.micro.ChannelPingPong;
import io.concurrence.benchmarks.micro.ChannelSelect;
import io.concurrence.benchmarks.micro.MailboxCall;
import io.concurrence.benchmarks.micro.TaskletSpawn;

/** The scenarios of PERFORMANCE.md that exist so far, with their peers and targets. */
final class Scenarios {

    private Scenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario("tasklet-spawn", "spawn + join of a trivial tasklet, from a virtual thread",
                        "ops/s", true, jmh(TaskletSpawn.class, "concurrence"),
                        List.of(new Peer(jmh(TaskletSpawn.class, "virtualThread", "virtual-thread"), 0.8, "≥ 0.8"))),
                new Scenario("tasklet-memory", "heap held per tasklet parked on a channel (N parked at once)",
                        "bytes/tasklet", false, memory("concurrence"),
                        List.of(new Peer(memory("virtual-thread"), 1 / 1.3, "≤ 1.3 × the peer's heap"))),
                new Scenario("channel-pingpong", "round trip over two rendezvous channels between two virtual"
                        + " threads", "round trips/s", true, jmh(ChannelPingPong.class, "concurrence"),
                        List.of(new Peer(jmh(ChannelPingPong.class, "synchronousQueue", "synchronous-queue"), 1.0,
                                        "≥ 1.0"),
                                new Peer(jmh(ChannelPingPong.class, "jox", "jox"), 1.0, "≥ 1.0"))),
                new Scenario("channel-select", "select over two rendezvous channels, each fed by a producer",
                        "ops/s", true, jmh(ChannelSelect.class, "concurrence"),
                        List.of(new Peer(jmh(ChannelSelect.class, "jox", "jox-select"), 1.0, "≥ 1.0"))),
                new Scenario("mailbox-call", "tasklet.call(msg) answered by reply, between two virtual threads",
                        "calls/s", true, jmh(MailboxCall.class, "concurrence"),
                        List.of(new Peer(jmh(MailboxCall.class, "synchronousQueuePair", "synchronous-queue-pair"),
                                0.8, "≥ 0.8"))),
                new Scenario("await-mono", "wait for a Mono that completes on a Netty event loop, from a virtual"
                        + " thread", "ops/s", true, jmh(AwaitMono.class, "concurrence"),
                        List.of(new Peer(jmh(AwaitMono.class, "monoBlock", "mono-block"), 1.0, "≥ 1.0"))),
                new Scenario("socket-greeter", "the seed's greeter: connect, read the greeting to the end (a new"
                        + " connection each time)", "connections/s", true, greeter("concurrence"),
                        List.of(new Peer(greeter("reactor-netty"), 0.9, "≥ 0.9"))));
    }

    private static Variant jmh(Class<?> benchmark, String method) {
        return jmh(benchmark, method, "concurrence");
    }

    private static Variant jmh(Class<?> benchmark, String method, String name) {
        return new Variant(name, settings -> runJmh(benchmark, method, settings));
    }

    private static double runJmh(Class<?> benchmark, String method, Settings settings) throws RunnerException {
        TimeValue iteration = TimeValue.milliseconds(settings.jmhIterationTime().toMillis());
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
                .forks(settings.jmhForks())
                .warmupIterations(settings.jmhWarmupIterations())
                .warmupTime(iteration)
                .measurementIterations(settings.jmhWarmupIterations())
                .measurementTime(iteration)
                .jvmArgsAppend("-Xmx1g", "--enable-native-access=ALL-UNNAMED")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        RunResult result = new Runner(options).runSingle();
        return result.getPrimaryResult().getScore();
    }

    private static Variant memory(String variant) {
        return new Variant(variant, settings -> {
            List<String> command = List.of(settings.java().toString(), "-Xmx4g", "-cp", settings.jar().toString(),
                    ParkedMemory.class.getName(), variant, Integer.toString(settings.memoryTasklets()));
            String line = runUntil(command, "BYTES_PER ", Duration.ofMinutes(5));
            return Double.parseDouble(line.substring("BYTES_PER ".length()).trim());
        });
    }

    private static Variant greeter(String variant) {
        return new Variant(variant, settings -> {
            List<String> command = List.of(settings.java().toString(), "-Xmx512m",
                    "--enable-native-access=ALL-UNNAMED", "-cp", settings.jar().toString(),
                    GreeterServer.class.getName(), variant);
            Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                int port = Integer.parseInt(readLine(server, "LISTENING ", Duration.ofSeconds(60))
                        .substring("LISTENING ".length()).trim());
                GreeterLoad.run(port, settings.greeterConnections(), settings.loadWarmup());
                GreeterLoad.Counts counts = GreeterLoad.run(port, settings.greeterConnections(),
                        settings.loadMeasurement());
                if (counts.errors() > counts.completed() / 100) {
                    throw new IllegalStateException(variant + " greeter: " + counts.errors() + " errors for "
                            + counts.completed() + " greetings");
                }
                return counts.perSecond();
            } finally {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        });
    }

    /** Runs {@code command} until it prints a line starting with {@code prefix}; returns that line. */
    private static String runUntil(List<String> command, String prefix, Duration limit) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            return readLine(process, prefix, limit);
        } finally {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String readLine(Process process, String prefix, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> output = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        // The child prints a handful of lines; read them on a virtual thread so the limit can be enforced.
        String[] found = new String[1];
        Thread readerThread = Thread.ofVirtual().start(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith(prefix)) {
                        found[0] = line;
                        return;
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        readerThread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        if (found[0] == null) {
            throw new IllegalStateException("no '" + prefix + "' line from " + String.join(" ", process.info()
                    .commandLine().orElse("the child JVM")) + " within " + limit + "; it printed: " + output);
        }
        return found[0];
    }
}
