package io.concurrence.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import io.concurrence.benchmarks.Scenario.Measurement;
import io.concurrence.benchmarks.Scenario.Peer;
import io.concurrence.benchmarks.Scenario.Scale;
import io.concurrence.benchmarks.Scenario.Variant;
import io.concurrence.benchmarks.db.BenchTables;
import io.concurrence.benchmarks.db.BulkReadLoad;
import io.concurrence.benchmarks.db.MysqlTarget;
import io.concurrence.benchmarks.db.PointSelectLoad;
import io.concurrence.benchmarks.load.GreeterLoad;
import io.concurrence.benchmarks.load.GreeterServer;
import io.concurrence.benchmarks.load.HttpBenchServer;
import io.concurrence.benchmarks.load.HttpClientLoad;
import io.concurrence.benchmarks.load.Wrk;
import io.concurrence.benchmarks.memcache.MemcacheGetLoad;
import io.concurrence.benchmarks.memory.ParkedMemory;
import io.concurrence.benchmarks.micro.AwaitMono;
import io.concurrence.benchmarks.micro.ChannelPingPong;
import io.concurrence.benchmarks.micro.ChannelSelect;
import io.concurrence.benchmarks.micro.MailboxCall;
import io.concurrence.benchmarks.micro.TaskletSpawn;
import io.concurrence.benchmarks.remote.RemoteBenchServer;
import io.concurrence.benchmarks.remote.RemoteLoad;

/** The scenarios of PERFORMANCE.md that exist so far, with their peers and targets. */
final class Scenarios {

    /** 256 connections, 16 in a quick run. */
    private static final Scale PLAINTEXT_CONNECTIONS = new Scale("connections", List.of(256), 256, 16);

    /** 256 concurrent loops, 16 in a quick run. */
    private static final Scale CONCURRENT_256 = new Scale("tasklets", List.of(256), 256, 16);

    private Scenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario("tasklet-spawn", "spawn + join of a trivial tasklet, from a virtual thread",
                        "ops/s", true, jmh(TaskletSpawn.class, "concurrence"),
                        List.of(new Peer(jmh(TaskletSpawn.class, "virtualThread", "virtual-thread"), 0.8, "≥ 0.8"))),
                new Scenario("tasklet-memory", "heap held per tasklet parked on a channel (N parked at once)",
                        "bytes/tasklet", false, new Scale("tasklets", List.of(10_000, 100_000, 1_000_000), 1_000_000,
                                10_000), memory("concurrence"),
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
                        List.of(new Peer(greeter("reactor-netty"), 0.9, "≥ 0.9"))),
                new Scenario("http-plaintext", "GET answered with 13 bytes of text/plain, keep-alive, wrk with"
                        + " 256 connections (and along a scale of connections)", "req/s", true,
                        new Scale("connections", List.of(16, 64, 256, 1024, 4096), 256, 16), plaintext("concurrence"),
                        List.of(new Peer(plaintext("helidon-se"), 1.1, "≥ 1.1"),
                                new Peer(plaintext("reactor-netty"), 0.9, "≥ 0.9"))),
                new Scenario("http-plaintext-carrier", "http-plaintext with eventLoopCarriers(true): handlers on"
                        + " the event loops (experimental mode)", "req/s", true, PLAINTEXT_CONNECTIONS,
                        plaintext("concurrence-carrier"),
                        List.of(new Peer(plaintext("helidon-se"), 1.1, "≥ 1.1"),
                                new Peer(plaintext("reactor-netty"), 0.9, "≥ 0.9"))),
                new Scenario("http-connect-per-request", "the same GET on a new connection each time"
                        + " (Connection: close), wrk with 1 000 connections", "req/s", true,
                        new Scale("connections", List.of(1000), 1000, 16), connectPerRequest("concurrence"),
                        List.of(new Peer(connectPerRequest("helidon-se"), 1.3, "≥ 1.3"),
                                new Peer(connectPerRequest("reactor-netty"), 0.9, "≥ 0.9"))),
                new Scenario("http-10k-connections", "the plaintext GET from 10 000 concurrent keep-alive"
                        + " connections held for 60 s (wrk -c10000), the server's heap capped at 512 MB; latency"
                        + " percentiles and the server's heap after a GC in mid-run per round", "req/s", true,
                        new Scale("connections", List.of(10_000), 10_000, 512), manyConnections("concurrence"),
                        List.of(new Peer(manyConnections("helidon-se"), 1.0,
                                "≥ 1.0 (set here: PERFORMANCE.md names none)"))),
                new Scenario("http-client", "GET of 13 bytes from 256 concurrent loops against raw Reactor"
                        + " Netty's server (keep-alive pool of 256)", "req/s", true, CONCURRENT_256,
                        httpClient("concurrence"),
                        List.of(new Peer(httpClient("reactor-netty"), 0.9, "≥ 0.9"),
                                new Peer(httpClient("jdk"), 1.0, "≥ 1.0"))),
                new Scenario("db-point-select", "SELECT id, name, value FROM bench_point WHERE id = ? (a random"
                        + " id of 10 000) from 64 concurrent loops, a connection from a pool of "
                        + PointSelectLoad.POOL_SIZE + " per query (and along a scale of loops)", "queries/s", true,
                        new Scale("tasklets", List.of(1, 8, 64, 512), 64, 16), pointSelect("concurrence"),
                        List.of(new Peer(pointSelect("r2dbc"), 0.95, "≥ 0.95"),
                                new Peer(pointSelect("connector-j"), 1.0, "≥ 1.0"))),
                new Scenario("db-bulk-read", "SELECT id, name, value FROM bench_bulk: 1 000 000 rows streamed by one"
                        + " query and every row read, in a JVM of -Xmx256m", "rows/s", true, bulkRead("concurrence"),
                        List.of(new Peer(bulkRead("r2dbc"), 0.95, "≥ 0.95"),
                                new Peer(bulkRead("connector-j"), 1.0, "≥ 1.0"))),
                new Scenario("remote-call", "RemoteTasklet.call(Ping) answered by a receiver tasklet's reply, from "
                        + RemoteLoad.CALLERS + " tasklets over one TCP connection to a server in another JVM",
                        "calls/s", true, remote("concurrence", "call", RemoteLoad.CALLERS),
                        List.of(new Peer(remote("rsocket", "call", RemoteLoad.CALLERS), 0.9, "≥ 0.9"))),
                new Scenario("remote-send", "fire-and-forget Ticks from " + RemoteLoad.SENDERS + " tasklets into a"
                        + " receiver's mailbox in another JVM, delivered per second (a flush call every "
                        + RemoteLoad.WINDOW + " sends bounds the backlog)", "messages/s", true,
                        remote("concurrence", "send", RemoteLoad.SENDERS),
                        List.of(new Peer(remote("rsocket", "send", RemoteLoad.SENDERS), 0.9, "≥ 0.9"))),
                new Scenario("memcache-get", "get of a random key of " + MemcacheGetLoad.KEYS + " ("
                        + MemcacheGetLoad.VALUE_BYTES + "-byte values, every one checked) from 64 concurrent loops"
                        + " over one connection to memcached", "gets/s", true,
                        new Scale("tasklets", List.of(64), 64, 16), memcacheGet("concurrence"),
                        List.of(new Peer(memcacheGet("xmemcached"), 1.0, "≥ 1.0"),
                                new Peer(memcacheGet("spymemcached"), 1.0, "≥ 1.0"))));
    }

    private static Variant jmh(Class<?> benchmark, String method) {
        return jmh(benchmark, method, "concurrence");
    }

    private static Variant jmh(Class<?> benchmark, String method, String name) {
        return Variant.of(name, (settings, size) -> runJmh(benchmark, method, settings));
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
        return Variant.of(variant, (settings, tasklets) -> {
            List<String> command = List.of(settings.java().toString(), "-Xmx4g", "-cp", settings.jar().toString(),
                    ParkedMemory.class.getName(), variant, Integer.toString(tasklets));
            String line = runUntil(command, "BYTES_PER ", Duration.ofMinutes(5));
            return Double.parseDouble(line.substring("BYTES_PER ".length()).trim());
        });
    }

    private static Variant greeter(String variant) {
        return Variant.of(variant, (settings, size) -> {
            Process server = new ProcessBuilder(loadJvm(settings, GreeterServer.class, variant))
                    .redirectErrorStream(true).start();
            try {
                int port = Integer.parseInt(listeningPort(server));
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

    private static Variant plaintext(String variant) {
        return httpServer(variant, List.of());
    }

    private static Variant connectPerRequest(String variant) {
        return httpServer(variant, List.of("Connection: close"));
    }

    /** A server of {@link HttpBenchServer} in its own JVM, driven by wrk: warm-up, then the measured run. */
    private static Variant httpServer(String variant, List<String> headers) {
        return Variant.of(variant, (settings, clients) -> {
            Process server = new ProcessBuilder(loadJvm(settings, HttpBenchServer.class, variant))
                    .redirectErrorStream(true).start();
            try {
                String url = "http://127.0.0.1:" + listeningPort(server) + HttpBenchServer.PATH;
                Wrk.run(url, clients, settings.loadWarmup(), headers);
                Wrk.Summary summary = Wrk.run(url, clients, settings.loadMeasurement(), headers);
                if (summary.errors() > summary.requests() / 100) {
                    throw new IllegalStateException(variant + ": " + summary.errors() + " errors for "
                            + summary.requests() + " requests:\n" + summary.output());
                }
                return summary.perSecond();
            } finally {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        });
    }

    /**
     * {@code http-10k-connections}: a server of {@link HttpBenchServer} in its own JVM (heap capped at 512 MB),
     * warmed up by wrk at the full number of connections, its heap read after a GC in the middle of the warm-up,
     * then wrk holding the connections for the measured run. Errors (wrk's socket errors and non-2xx answers) are
     * reported with the figures; more than 1 % of the requests fails the measurement.
     */
    private static Variant manyConnections(String variant) {
        return new Variant(variant, (settings, connections) -> {
            Process server = new ProcessBuilder(loadJvm(settings, HttpBenchServer.class, variant))
                    .redirectErrorStream(true).start();
            try {
                String url = "http://127.0.0.1:" + listeningPort(server) + HttpBenchServer.PATH;
                Wrk.Running warmup = Wrk.start(url, connections, settings.holdWarmup(), List.of());
                if (warmup.awaitEnd(settings.holdWarmup().dividedBy(2))) {
                    throw new IllegalStateException(variant + ": wrk ended before the middle of the warm-up: "
                            + warmup.finish().output());
                }
                server.getOutputStream().write("HEAP\n".getBytes(StandardCharsets.US_ASCII));
                server.getOutputStream().flush();
                double heapMb = Long.parseLong(readLine(server, "HEAP ", Duration.ofSeconds(60))
                        .substring("HEAP ".length()).trim()) / (1024.0 * 1024.0);
                Wrk.Summary warm = warmup.finish();
                Wrk.Summary summary = Wrk.run(url, connections, settings.holdDuration(), List.of());
                if (summary.errors() > summary.requests() / 100) {
                    throw new IllegalStateException(variant + ": " + summary.errors() + " errors in the measured run"
                            + " of " + summary.requests() + " requests:\n" + summary.output());
                }
                Map<String, Double> details = new LinkedHashMap<>();
                details.put("p50_ms", summary.p50Millis());
                details.put("p99_ms", summary.p99Millis());
                details.put("p999_ms", summary.p999Millis());
                details.put("errors", (double) summary.errors());
                details.put("warmup_errors", (double) warm.errors());
                details.put("heap_mb_mid_warmup", Math.round(heapMb * 10) / 10.0);
                return new Measurement(summary.perSecond(), details);
            } finally {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        });
    }

    /**
     * A client of {@link HttpClientLoad} in its own JVM against raw Reactor Netty's {@link HttpBenchServer} in
     * another; the client JVM warms up and measures by itself.
     */
    private static Variant httpClient(String variant) {
        return Variant.of(variant, (settings, concurrency) -> {
            Process server = new ProcessBuilder(loadJvm(settings, HttpBenchServer.class, "reactor-netty"))
                    .redirectErrorStream(true).start();
            try {
                String port = listeningPort(server);
                Duration limit = settings.loadWarmup().plus(settings.loadMeasurement()).plusSeconds(90);
                String line = runUntil(loadJvm(settings, HttpClientLoad.class, variant, port,
                        Integer.toString(concurrency),
                        Long.toString(settings.loadWarmup().toMillis()),
                        Long.toString(settings.loadMeasurement().toMillis())), "RATE ", limit);
                String[] words = line.split(" ");
                double rate = Double.parseDouble(words[1]);
                long errors = Long.parseLong(words[3]);
                if (errors > rate * settings.loadMeasurement().toSeconds() / 100) {
                    throw new IllegalStateException(variant + " client: " + errors + " errors; " + line);
                }
                return rate;
            } finally {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        });
    }

    /**
     * A {@link PointSelectLoad} of one variant in its own JVM, which warms up and measures by itself; the
     * table is checked (and filled if needed) first, from the harness.
     */
    private static Variant pointSelect(String variant) {
        return Variant.of(variant, (settings, concurrency) -> {
            BenchTables.ensurePoint(MysqlTarget.fromEnvironment());
            Duration limit = settings.dbWarmup().plus(settings.loadMeasurement()).plusSeconds(90);
            String line = runUntil(loadJvm(settings, "-Xmx512m", PointSelectLoad.class, variant,
                    Integer.toString(concurrency),
                    Long.toString(settings.dbWarmup().toMillis()),
                    Long.toString(settings.loadMeasurement().toMillis())), "RATE ", limit);
            String[] words = line.split(" ");
            double rate = Double.parseDouble(words[1]);
            long errors = Long.parseLong(words[3]);
            if (errors > rate * settings.loadMeasurement().toSeconds() / 100) {
                throw new IllegalStateException(variant + " point selects: " + errors + " errors; " + line);
            }
            return rate;
        });
    }

    /**
     * A {@link BulkReadLoad} of one variant in its own JVM with a heap of 256 MB, far less than the whole
     * result would take; the table is checked (and filled if needed) first, from the harness.
     */
    private static Variant bulkRead(String variant) {
        return Variant.of(variant, (settings, size) -> {
            BenchTables.ensureBulk(MysqlTarget.fromEnvironment(), settings.bulkTable(), settings.bulkRows());
            String line = runUntil(loadJvm(settings, "-Xmx256m", BulkReadLoad.class, variant,
                    settings.bulkTable(), Integer.toString(settings.bulkRows()),
                    Integer.toString(settings.bulkWarmups()), Integer.toString(settings.bulkRepetitions())),
                    "RATE ", Duration.ofMinutes(10));
            System.err.println("  " + variant + ": " + line);
            return Double.parseDouble(line.split(" ")[1]);
        });
    }

    /**
     * A {@link RemoteLoad} of one variant and mode in its own JVM against the {@link RemoteBenchServer} of the
     * same variant in another; the client JVM warms up and measures by itself.
     */
    private static Variant remote(String variant, String mode, int concurrency) {
        return Variant.of(variant, (settings, size) -> {
            Process server = new ProcessBuilder(loadJvm(settings, RemoteBenchServer.class, variant))
                    .redirectErrorStream(true).start();
            try {
                String port = listeningPort(server);
                Duration limit = settings.remoteWarmup().plus(settings.loadMeasurement()).plusSeconds(90);
                String line = runUntil(loadJvm(settings, RemoteLoad.class, variant, mode, port,
                        Integer.toString(concurrency), Long.toString(settings.remoteWarmup().toMillis()),
                        Long.toString(settings.loadMeasurement().toMillis())), "RATE ", limit);
                String[] words = line.split(" ");
                double rate = Double.parseDouble(words[1]);
                long errors = Long.parseLong(words[3]);
                if (errors > 0 || !(rate > 0)) {
                    throw new IllegalStateException(variant + " remote " + mode + ": " + errors + " errors, "
                            + (rate > 0 ? "" : "nothing completed in the measured period, ") + line);
                }
                return rate;
            } finally {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        });
    }

    /**
     * A {@link MemcacheGetLoad} of one variant in its own JVM against the memcached server every variant uses;
     * the JVM sets the keys, warms up and measures by itself. Any error (a miss, a wrong value, an exception)
     * fails the variant.
     */
    private static Variant memcacheGet(String variant) {
        return Variant.of(variant, (settings, concurrency) -> {
            Duration limit = settings.memcacheWarmup().plus(settings.loadMeasurement()).plusSeconds(90);
            String line = runUntil(loadJvm(settings, MemcacheGetLoad.class, variant,
                    Integer.toString(concurrency),
                    Long.toString(settings.memcacheWarmup().toMillis()),
                    Long.toString(settings.loadMeasurement().toMillis())), "RATE ", limit);
            String[] words = line.split(" ");
            double rate = Double.parseDouble(words[1]);
            long errors = Long.parseLong(words[3]);
            if (errors > 0 || !(rate > 0)) {
                throw new IllegalStateException(variant + " memcache gets: " + errors + " errors, "
                        + (rate > 0 ? "" : "nothing completed in the measured period, ") + line);
            }
            return rate;
        });
    }

    private static List<String> loadJvm(Settings settings, Class<?> main, String... args) {
        return loadJvm(settings, "-Xmx512m", main, args);
    }

    /**
     * The command line of a JVM running a load program: the same heap and flags for ours and every peer
     * ({@code --add-opens} serves our experimental event-loop-carrier mode; the others ignore it).
     */
    private static List<String> loadJvm(Settings settings, String heap, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(settings.java().toString(), heap,
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", settings.jar().toString(), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** The port a server JVM of the benchmarks listens on, from its {@code LISTENING <port>} line. */
    private static String listeningPort(Process server) throws Exception {
        return readLine(server, "LISTENING ", Duration.ofSeconds(60)).substring("LISTENING ".length()).trim();
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
            String command = process.info().commandLine().orElse("the child JVM");
            boolean ended = !readerThread.isAlive() && process.waitFor(5, TimeUnit.SECONDS);
            String when = ended ? " (it ended with exit status " + process.exitValue() + ")" : " within " + limit;
            synchronized (output) {
                throw new IllegalStateException("no '" + prefix + "' line from " + command + when
                        + "; it printed: " + String.join("\n", output));
            }
        }
        return found[0];
    }
}
