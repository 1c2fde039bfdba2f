package io.concurrence.it.remote;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RemotePeer} running in a child JVM: the same {@code java} and class path as this one, a small heap
 * and the C1 compiler only (start-up matters more than peak speed here).
 *
 * <p>Everything the child prints (stdout and stderr together) is copied to this JVM's stdout, each line prefixed
 * with {@code [peer <pid>]}, so a failing test's report shows it; {@link #awaitLine} reads the same lines.
 * The child exits when its stdin ends: {@link #close()} closes it, and if this JVM dies the pipe closes with it.
 * {@link #kill()} is the crash: SIGKILL, no goodbye on the wire.
 *
 * <p>Not thread-safe: one test thread drives it (the copying thread only feeds the line queue).
 */
final class PeerProcess implements AutoCloseable {

    /** The bound on a child's start-up, JVM start included (CI runs on 2 shared cores). */
    static final Duration STARTUP = Duration.ofSeconds(60);
    /** The bound on a killed or closed child's exit. */
    static final Duration EXIT = Duration.ofSeconds(20);
    private static final int UNSAFE_FLAG_SINCE = 23;
    private static final Duration POLL_SLICE = Duration.ofMillis(100);

    private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-Xss512k", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED");

    private final Process process;
    private final String prefix;
    /** Lines printed by the child, in order: written by the copying thread, taken by {@link #awaitLine}. */
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    /** Every line so far, for failure messages: appended by the copying thread, read by the test thread. */
    private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());
    private final Thread copier;
    /** The port from the child's {@code READY} line: written once by {@link #start}, before any read. */
    private int port;

    private PeerProcess(Process process) {
        this.process = process;
        this.prefix = "[peer " + process.pid() + "] ";
        this.copier = new Thread(this::copyOutput, "peer-" + process.pid() + "-output");
        copier.setDaemon(true);
        copier.start();
    }

    /**
     * Starts a peer on {@code port} (0: a free one) requiring {@code authToken} (null: none), and waits until it
     * has bound.
     */
    static PeerProcess start(int port, String authToken) {
        return start(port, authToken, null);
    }

    /**
     * Starts a peer on {@code port} (0: a free one) requiring {@code authToken} (null: none) that appends the id of
     * every {@link PeerMsg.Note} it takes to {@code deliveries} (null: nowhere), and waits until it has bound.
     */
    static PeerProcess start(int port, String authToken, Path deliveries) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        if (deliveries != null) {
            command.add("-D" + RemotePeer.DELIVERIES + "=" + deliveries);
        }
        if (Runtime.version().feature() >= UNSAFE_FLAG_SINCE) {
            // quiets Netty's and RSocket's warnings about sun.misc.Unsafe; JVMs before 23 refuse the flag
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(classPath());
        command.add(RemotePeer.class.getName());
        command.add(Integer.toString(port));
        if (authToken != null) {
            command.add(authToken);
        }
        PeerProcess peer;
        try {
            peer = new PeerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        try {
            String ready = peer.awaitLine("READY ", STARTUP);
            peer.port = Integer.parseInt(ready.substring("READY ".length()).trim());
            return peer;
        } catch (RuntimeException | AssertionError e) {
            peer.process.destroyForcibly();
            throw e;
        }
    }

    /**
     * This JVM's class path. Surefire runs it-tests on the class path (useModulePath=false, and it-tests has no
     * module-info), setting {@code java.class.path} to the real test class path; should it ever use the module
     * path, the child gets those jars on its class path too, where everything here also runs.
     */
    private static String classPath() {
        String classPath = System.getProperty("java.class.path", "");
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null || modulePath.isEmpty()) {
            return classPath;
        }
        return classPath.isEmpty() ? modulePath : modulePath + File.pathSeparator + classPath;
    }

    /** The port the peer's server listens on. */
    int port() {
        return port;
    }

    /** The child's process. */
    Process process() {
        return process;
    }

    /**
     * Waits at most {@code timeout} for the next line starting with {@code start}, skipping others, and returns
     * it; fails the test with the child's output so far if none comes.
     */
    String awaitLine(String start, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                // in slices, to give up as soon as the child is dead and all its output read
                String line = lines.poll(Math.min(left, POLL_SLICE.toNanos()), TimeUnit.NANOSECONDS);
                if (line != null && line.startsWith(start)) {
                    return line;
                }
                if (line == null && !copier.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String why = process.isAlive() ? "within " + timeout.toSeconds() + " s" : "before it exited";
        return fail("the peer printed no line starting with '" + start + "' " + why + "; its output:\n"
                + String.join("\n", transcript));
    }

    /** Kills the child at once (SIGKILL) and waits for it to be gone. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** Closes the child's stdin, so that it exits, and kills it if it has not within {@link #EXIT}. Idempotent. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (IOException e) {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("the peer " + process.pid() + " did not exit within " + EXIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void copyOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println(prefix + line);
                transcript.add(line);
                lines.add(line);
            }
        } catch (IOException e) {
            // expected after kill(): destroying a process closes its streams
            System.out.println(prefix + "(output no longer read: " + e.getMessage() + ")");
        }
    }
}
