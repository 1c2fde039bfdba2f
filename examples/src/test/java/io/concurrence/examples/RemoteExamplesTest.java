package io.concurrence.examples;

import static io.concurrence.examples.ExampleRun.capture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.concurrence.Concurrence;

/**
 * Runs the {@code remote_client} example as its command does (under dispatch) against the {@code remote_server}
 * example: in this JVM, and in a child JVM started as the command starts it; and against a port where nothing
 * listens.
 */
@org.junit.jupiter.api.Timeout(120)
class RemoteExamplesTest {

    /** The bound on a child JVM's start-up and on each line awaited from it (CI runs on 2 shared cores). */
    private static final Duration CHILD_BOUND = Duration.ofSeconds(60);

    /** The lines the client prints before its round-trip summary, every time. */
    private static final List<String> PLAY = List.of(
            "ping 1 -> pong 1",
            "ping 2 -> pong 2",
            "ping 3 -> pong 3",
            "ping 4 -> pong 4",
            "ping 5 -> pong 5",
            "sent 3 notes; the server has counted 3 so far",
            "count 5 -> 1",
            "count 5 -> 2",
            "count 5 -> 3",
            "count 5 -> 4",
            "count 5 -> 5");

    private static final List<String> NOTES = List.of(
            "note: hello (1 so far)",
            "note: from (2 so far)",
            "note: the client (3 so far)");

    /** Checks a finished client run: exit code 0, the play in order, then the summary of {@code calls} calls. */
    private static void assertPlayed(ExampleRun run, int calls) {
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(Concurrence.EXIT_OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(PLAY.size() + 1);
        assertThat(lines.subList(0, PLAY.size())).containsExactlyElementsOf(PLAY);
        assertThat(lines.get(PLAY.size())).matches(calls + " calls in \\d+\\.\\d\\d s \\(\\d+ calls/s\\); round trip"
                + " min \\d+\\.\\d\\d ms, median \\d+\\.\\d\\d ms, 99% \\d+\\.\\d\\d ms, max \\d+\\.\\d\\d ms");
    }

    @Test
    void clientCallsSendsAndStreamsAgainstAServerInThisJvmAndQuitsWithZero() {
        ByteArrayOutputStream serverBytes = new ByteArrayOutputStream();
        PrintStream serverOut = new PrintStream(serverBytes, true, StandardCharsets.UTF_8);
        try (RemotePingPong.PongServer server = RemotePingPong.serve("127.0.0.1", 0, serverOut)) {
            ExampleRun run = capture(() -> Examples.run("remote_client", "--port", String.valueOf(server.port()),
                    "--calls", "200"));

            assertPlayed(run, 200);
            assertThat(server.notes()).isEqualTo(3);
            assertThat(serverBytes.toString(StandardCharsets.UTF_8).lines()).containsExactlyElementsOf(NOTES);
        }
    }

    @Test
    void clientRunsAgainstTheServerExampleInAChildJvm() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // as the run profile does (examples/pom.xml)
        }
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Examples.class.getName(), "remote_server", "--port", "0"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BlockingQueue<String> lines = readLines(child);
            Matcher listening = Pattern.compile("remote server listening on port (\\d+)")
                    .matcher(awaitLine(lines, "remote server listening on port ", child));
            assertThat(listening.matches()).isTrue();

            ExampleRun run = capture(() -> Examples.run("remote_client", "--port", listening.group(1), "--calls", "100"));

            assertPlayed(run, 100);
            for (String note : NOTES) {
                assertThat(awaitLine(lines, "note: ", child)).isEqualTo(note);
            }
            assertThat(child.isAlive()).as("the server runs until stopped").isTrue();
        } finally {
            child.destroy();
            if (!child.waitFor(CHILD_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void clientExitsWithOneAndSaysWhyWhenNothingListens() throws IOException {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort(); // free once closed
        }

        ExampleRun run = capture(() -> Examples.run("remote_client", "--port", String.valueOf(port)));

        assertThat(run.exitCode()).isEqualTo(Concurrence.EXIT_ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .contains("remote_client: cannot connect to 127.0.0.1:" + port)
                .contains("is the remote_server example running on 127.0.0.1:" + port + "?")
                .contains("-Dexample=remote_server");
    }

    @Test
    void helpPrintsTheUsageAndQuitsWithZero() {
        ExampleRun help = capture(() -> Examples.run("remote_server", "--help"));

        assertThat(help.exitCode()).isEqualTo(Concurrence.EXIT_OK);
        assertThat(help.out()).isEqualTo(RemotePingPong.SERVER_USAGE + System.lineSeparator());
    }

    @Test
    void aBadOptionIsRefusedWithTheUsageAndExitCodeTwo() {
        ExampleRun unknown = capture(() -> Examples.run("remote_client", "--colour", "blue"));
        ExampleRun port = capture(() -> Examples.run("remote_server", "--port", "70000"));

        assertThat(unknown.exitCode()).isEqualTo(Examples.EXIT_USAGE);
        assertThat(unknown.err()).contains("unknown option '--colour'", RemotePingPong.CLIENT_USAGE);
        assertThat(port.exitCode()).isEqualTo(Examples.EXIT_USAGE);
        assertThat(port.err()).contains("option --port '70000' is not a whole number from 0 to 65535",
                RemotePingPong.SERVER_USAGE);
    }

    /** The child's output, line by line, as it comes (read by a daemon thread until the child's end). */
    private static BlockingQueue<String> readLines(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(reading the child's output failed: " + e + ")");
            }
        }, "remote-server-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The next line starting with {@code prefix}, skipping others (JVM warnings); fails after the bound. */
    private static String awaitLine(BlockingQueue<String> lines, String prefix, Process child)
            throws InterruptedException {
        long deadline = System.nanoTime() + CHILD_BOUND.toNanos();
        List<String> skipped = new ArrayList<>();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line != null) {
                skipped.add(line);
            }
        }
        return fail("no line starting with '" + prefix + "' from the child JVM within " + CHILD_BOUND.toSeconds()
                + " s (alive: " + child.isAlive() + "); it printed: " + skipped);
    }
}
