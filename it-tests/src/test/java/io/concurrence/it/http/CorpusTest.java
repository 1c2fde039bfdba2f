package io.concurrence.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.http.HttpServer;
import io.concurrence.it.support.Figures;
import io.concurrence.it.support.Leaks;

/**
 * The hostile-request corpus ({@code src/test/resources/http/corpus}, see its README): every file is sent as is
 * on a connection of its own, and the server must answer the status its name gives (or close without answering
 * where the name says {@code 000}), within a bound (no hang), never a 5xx but the {@code 501}/{@code 505} the
 * corpus expects; a smuggled request never reaches the handler; and valid clients, served throughout, all
 * succeed. One test, whose failure lists every file that went wrong.
 */
class CorpusTest {

    /** The limits the corpus is written against (see {@link CorpusGenerator}). */
    static final int MAX_LINE = 1024;
    static final int MAX_HEADERS = 2048;
    static final int MAX_BODY = 4096;
    /** The head (and body) timeout: the {@code 408} and {@code 000} files wait for it. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** How long one file may take to be answered: a hang beyond it fails the test, naming the file. */
    private static final Duration PER_FILE = Duration.ofSeconds(20);
    private static final int SENDERS = 8;
    private static final int VALID_CLIENTS = 3;
    private static final Duration ALL_FILES = Duration.ofMinutes(5);

    private final Queue<String> handledPaths = new ConcurrentLinkedQueue<>();
    private HttpServer server;

    @BeforeEach
    void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .maxInitialLineLength(MAX_LINE).maxHeaderSize(MAX_HEADERS).maxRequestBodySize(MAX_BODY)
                .requestTimeout(REQUEST_TIMEOUT)
                .handler((request, response) -> {
                    handledPaths.add(request.path());
                    byte[] body = request.bodyBytes();
                    response.send(echo(request.method(), request.path(), body.length));
                })
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** What the handler answers: method, decoded path and body length. */
    static String echo(String method, String path, int bodyLength) {
        return method + " " + path + " " + bodyLength;
    }

    @Test
    void everyFileGetsItsStatusWithoutHangingWhileValidClientsAreServed() throws Exception {
        List<Path> files = corpus();
        assertThat(files).as("corpus files").hasSizeGreaterThanOrEqualTo(220);
        Queue<Path> toSend = new ConcurrentLinkedQueue<>(files);
        Map<Path, String> mismatches = new ConcurrentHashMap<>();
        Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
        ValidTraffic valid = new ValidTraffic(server.port(), VALID_CLIENTS, path -> echo("GET", path, 0));
        try {
            List<Tasklet<Void>> senders = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                senders.add(Tasklet.spawn(() -> {
                    for (Path file; (file = toSend.poll()) != null; ) {
                        String problem = check(file, byStatus);
                        if (problem != null) {
                            mismatches.put(file.getFileName(), problem);
                        }
                    }
                }));
            }
            Tasklet.joinAll(senders, ALL_FILES).forEach(result -> assertThat(result.isSuccess())
                    .as("sender: %s", result.exception()).isTrue());
        } finally {
            valid.close();
        }

        String test = "http.CorpusTest";
        Figures.record(test, "corpus files sent", files.size());
        new TreeMap<>(byStatus).forEach((status, count) -> Figures.record(test,
                "answered " + (status == RawExchange.CLOSED ? "closed without response" : status), count));
        Figures.record(test, "valid requests served meanwhile", valid.succeeded());
        assertThat(new TreeMap<>(mismatches)).as("files answered otherwise than their names say").isEmpty();
        assertThat(handledPaths).as("a smuggled request reached the handler").doesNotContain("/smuggled");
        assertThat(valid.failures()).as("valid requests that failed meanwhile").isEmpty();
        assertThat(valid.succeeded()).as("valid requests served meanwhile").isPositive();
        Leaks.assertNoneReported();
    }

    /** Sends one file; null if it was answered as its name says, else what went wrong. */
    private String check(Path file, Map<Integer, Integer> byStatus) {
        String name = file.getFileName().toString();
        int expected = Integer.parseInt(name.substring(0, 3));
        StringBuilder head = new StringBuilder();
        int status;
        try {
            status = RawExchange.send(server.port(), Files.readAllBytes(file), PER_FILE, head);
        } catch (RawExchange.Hang e) {
            return "hang: " + e.getMessage();
        } catch (IOException e) {
            return e.toString();
        }
        byStatus.merge(status, 1, Integer::sum);
        if (status >= 500 && status != 501 && status != 505) {
            return "a server error: " + head;
        }
        return status == expected ? null : "expected " + expected + ", got " + status + ": "
                + head.toString().replace("\r\n", " | ");
    }

    /** The corpus files, sorted by name. */
    static List<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(Objects.requireNonNull(CorpusTest.class.getResource("/http/corpus"), "http/corpus")
                .toURI());
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> f.getFileName().toString().endsWith(".req")).sorted().toList();
        }
    }
}
