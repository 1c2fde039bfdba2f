package io.concurrence.examples;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import io.concurrence.Concurrence;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpServer;
import io.concurrence.web.Router;

/**
 * The seed's {@code post.py}: a router serving an HTML form ({@code /form}) and a multipart upload form
 * ({@code /upload}), both posting to {@code /process}, which reads the request body in pieces of up to 1024
 * bytes until its end, printing each piece, and answers a page saying {@code blaat}. Every handler first
 * prints its request line and headers (the seed printed the WSGI environ); the server logs each request
 * (the seed logged at DEBUG).
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=post}, then open
 * {@code http://localhost:8080/form} or {@code /upload} in a browser, or
 * {@code curl -F file=@pom.xml http://localhost:8080/process}. Ctrl-C stops it.
 */
public final class Post {

    /** The seed's port. */
    static final int PORT = 8080;

    /** The size of the pieces {@code /process} reads the body in. */
    static final int PIECE = 1024;

    /** {@code /form}: fields a and b, posted to {@code /process}. */
    static final String FORM = """
            <html><body>
            <form method="post" action="/process">
            <input type="text" name="a"/>
            <input type="text" name="b"/>
            <input type="submit"/>
            </form>
            </body></html>
            """;

    /** {@code /upload}: a file, posted to {@code /process} as {@code multipart/form-data}. */
    static final String UPLOAD = """
            <html><body>
            <form method="post" action="/process" enctype="multipart/form-data">
            <input type="file" name="file"/>
            <input type="submit"/>
            </form>
            </body></html>
            """;

    /** The answer of {@code /process}. */
    static final String PROCESSED = """
            <html><body>
            <h1>blaat</h1>
            </body></html>
            """;

    private static final String HTML = "text/html; charset=UTF-8";

    /** Where the handlers print (standard output, or a test's buffer). */
    private final PrintStream out;

    private Post(PrintStream out) {
        this.out = out;
    }

    /**
     * Starts the server on {@code host}:{@code port} (0: a free port), printing to standard output.
     *
     * @return the running server; close it to stop
     */
    static HttpServer start(String host, int port) {
        return start(host, port, System.out);
    }

    /**
     * Starts the server on {@code host}:{@code port} (0: a free port), printing to {@code out}.
     *
     * @return the running server; close it to stop
     */
    static HttpServer start(String host, int port, PrintStream out) {
        Post post = new Post(out);
        Router router = Router.create()
                .get("/form", post::form)
                .get("/upload", post::upload)
                .post("/process", post::process);
        return HttpServer.builder().host(host).port(port).handler(router).accessLog(true).build().start();
    }

    private void form(HttpRequest request, HttpResponse response) {
        printRequest(request);
        response.contentType(HTML).send(FORM);
    }

    private void upload(HttpRequest request, HttpResponse response) {
        printRequest(request);
        response.contentType(HTML).send(UPLOAD);
    }

    /** Reads the body as a stream, in pieces of up to {@link #PIECE} bytes, printing each one raw. */
    private void process(HttpRequest request, HttpResponse response) throws Exception {
        printRequest(request);
        long total = 0;
        byte[] piece = new byte[PIECE];
        try (InputStream body = request.body()) {
            for (int n; (n = body.read(piece)) != -1; ) {
                out.print("read " + n + " bytes: ");
                out.write(piece, 0, n);
                out.println();
                total += n;
            }
        }
        out.println("end of body after " + total + " bytes");
        response.contentType(HTML).send(PROCESSED);
    }

    private void printRequest(HttpRequest request) {
        StringBuilder text = new StringBuilder();
        text.append(request.method()).append(' ').append(request.uri()).append(' ').append(request.version());
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            for (String value : header.getValue()) {
                text.append(System.lineSeparator()).append("  ").append(header.getKey()).append(": ").append(value);
            }
        }
        out.println(text);
    }

    /** The example's body: runs inside {@link Concurrence#dispatch} until Ctrl-C. */
    static void main() {
        HttpServer server = start("localhost", PORT);
        System.out.println("post listening on http://localhost:" + server.port() + "/ (try /form and /upload)");
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(Post::main));
    }
}
