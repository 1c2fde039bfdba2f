package io.concurrence.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.concurrence.Concurrence;
import io.concurrence.Tasklet;
import io.concurrence.http.HttpClient;
import io.concurrence.http.HttpServer;

/**
 * The seed's {@code http_client.py} and {@code http_client_pipeline.py}, against a local server (the
 * {@code http} example on a free port) instead of www.google.com: a {@code GET /} whose status, headers and
 * body are printed; then two requests in flight at once, whose responses are printed in the order they were
 * sent. The seed pipelined those two on one connection; {@link HttpClient} does not pipeline, so the two run
 * in two tasklets sharing the client's pool of kept-alive connections.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=http_client}. It quits
 * when done.
 */
public final class HttpClientExample {

    /** How long each exchange may take. */
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private HttpClientExample() {
    }

    /** Fetches from a server of the {@code http} example on {@code port}; prints to {@code out}. */
    static void fetch(int port, PrintStream out) {
        try (HttpClient client = HttpClient.builder().baseUrl("http://127.0.0.1:" + port).build()) {
            out.println("-- GET /");
            print(client, HttpClient.Request.get("/"), out);

            out.println("-- two requests in flight at once");
            Tasklet<String> first = Tasklet.spawn(() -> describe(client, HttpClient.Request.get("/first")));
            Tasklet<String> second = Tasklet.spawn(() -> describe(client, HttpClient.Request.get("/second")));
            out.print(first.join(LIMIT));
            out.print(second.join(LIMIT));
        }
    }

    private static void print(HttpClient client, HttpClient.Request request, PrintStream out) {
        out.print(describe(client, request));
    }

    /** The response as the seed printed it: status line, header list, body. */
    private static String describe(HttpClient client, HttpClient.Request request) {
        try (HttpClient.Response response = client.send(request, LIMIT)) {
            StringBuilder text = new StringBuilder();
            text.append(request.method()).append(' ').append(request.uri()).append(" -> ")
                    .append(response.status()).append('\n');
            for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
                for (String value : header.getValue()) {
                    text.append(header.getKey()).append(": ").append(value).append('\n');
                }
            }
            text.append('\n').append(response.bodyText()).append('\n');
            return text.toString();
        }
    }

    /** The example's body: runs inside {@link Concurrence#dispatch}; quits when done. */
    static void main() {
        try (HttpServer server = HttpHello.start("127.0.0.1", 0)) {
            fetch(server.port(), System.out);
        }
        Concurrence.quit(Concurrence.EXIT_OK);
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(HttpClientExample::main));
    }
}
