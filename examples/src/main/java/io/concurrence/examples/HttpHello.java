package io.concurrence.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.concurrence.Concurrence;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpServer;

/**
 * The seed's {@code http.py}: an HTTP server answering every request, whatever its method and path, with
 * status 200 and {@code <html>Hello, world!</html>}. Like the seed's WSGI app, the handler sets no headers
 * and hands the page to the server as a stream; the server frames it: one chunk over HTTP/1.1, a body that
 * ends when the connection closes over HTTP/1.0. The server adds {@code Date} and {@code Server}.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=http}, then
 * {@code curl -v http://localhost:8080/} (or {@code curl -v -0 http://localhost:8080/} for HTTP/1.0).
 * Ctrl-C stops it.
 */
public final class HttpHello {

    /** What every request receives. */
    static final byte[] PAGE = "<html>Hello, world!</html>".getBytes(StandardCharsets.US_ASCII);

    /** The seed's port. */
    static final int PORT = 8080;

    private HttpHello() {
    }

    /**
     * Starts the server on {@code host}:{@code port} (0: a free port).
     *
     * @return the running server; close it to stop
     */
    static HttpServer start(String host, int port) {
        return HttpServer.builder().host(host).port(port).handler(HttpHello::hello).build().start();
    }

    /** The application: streams the page (the seed's app returned it as a one-element iterable). */
    private static void hello(HttpRequest request, HttpResponse response) throws IOException {
        response.outputStream().write(PAGE);
    }

    /** The example's body: runs inside {@link Concurrence#dispatch} until Ctrl-C. */
    static void main() {
        HttpServer server = start("localhost", PORT);
        System.out.println("http listening on http://localhost:" + server.port() + "/");
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(HttpHello::main));
    }
}
