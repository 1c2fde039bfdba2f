package io.concurrence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.concurrence.http.HttpServer;

/**
 * Drives the ported HTTP examples (http, post, web) over loopback with {@code java.net.http.HttpClient},
 * and with a raw socket where the exact bytes on the wire matter, checking what the seed's examples showed.
 */
@org.junit.jupiter.api.Timeout(60)
class HttpExamplesTest {

    private static final Duration SAFETY = Duration.ofSeconds(10);
    private static final String HELLO = "<html>Hello, world!</html>";
    private static final String HTML = "text/html; charset=UTF-8";

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(SAFETY)
            .build();

    // ---- http ----

    @Test
    void httpAnswersAnyRequestWithTheHelloPageAndNoHeadersOfItsOwn() throws Exception {
        try (HttpServer server = HttpHello.start("127.0.0.1", 0)) {
            for (HttpRequest request : List.of(
                    HttpRequest.newBuilder(uri(server, "/")).timeout(SAFETY).build(),
                    HttpRequest.newBuilder(uri(server, "/any/path?x=1")).timeout(SAFETY).build(),
                    HttpRequest.newBuilder(uri(server, "/")).timeout(SAFETY)
                            .POST(HttpRequest.BodyPublishers.ofString("ignored")).build())) {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(HELLO);
                assertThat(response.headers().firstValue("Content-Type")).isEmpty();
                assertThat(response.headers().firstValue("Date")).isPresent();
                assertThat(response.headers().firstValue("Server")).isPresent();
            }
        }
    }

    @Test
    void httpStreamsThePageAsOneChunkOverHttp11() throws Exception {
        try (HttpServer server = HttpHello.start("127.0.0.1", 0)) {
            RawResponse response = exchange(server, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.header("Date")).isNotNull();
            assertThat(response.header("Server")).isNotNull();
            assertThat(response.body()).isEqualTo("1a\r\n" + HELLO + "\r\n0\r\n\r\n");
        }
    }

    @Test
    void httpSendsThePageUnchunkedAndClosesOverHttp10() throws Exception {
        try (HttpServer server = HttpHello.start("127.0.0.1", 0)) {
            // exchange() reads until the server closes the connection; a connection left open fails it.
            RawResponse response = exchange(server, "GET / HTTP/1.0\r\n\r\n");

            assertThat(response.statusLine()).matches("HTTP/1\\.[01] 200 OK");
            assertThat(response.header("Transfer-Encoding")).as("an HTTP/1.0 client does not know chunked").isNull();
            if (response.header("Content-Length") != null) {
                assertThat(response.header("Content-Length")).isEqualTo("26");
            }
            assertThat(response.body()).isEqualTo(HELLO);
        }
    }

    // ---- post ----

    @Test
    void postServesAFormWithFieldsAAndBPostingToProcess() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (HttpServer server = Post.start("127.0.0.1", 0, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            HttpResponse<String> response = get(server, "/form");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(HTML);
            assertThat(response.body())
                    .contains("<form method=\"post\" action=\"/process\">")
                    .contains("<input type=\"text\" name=\"a\"/>", "<input type=\"text\" name=\"b\"/>")
                    .doesNotContain("enctype");
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .startsWith("GET /form HTTP/1.1" + System.lineSeparator())
                    .containsPattern("(?mi)^  host: 127\\.0\\.0\\.1:" + server.port() + "$");
        }
    }

    @Test
    void postServesAnUploadFormSendingAFileAsMultipartToProcess() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (HttpServer server = Post.start("127.0.0.1", 0, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            HttpResponse<String> response = get(server, "/upload");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(HTML);
            assertThat(response.body())
                    .contains("<form method=\"post\" action=\"/process\" enctype=\"multipart/form-data\">")
                    .contains("<input type=\"file\" name=\"file\"/>");
            assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("GET /upload HTTP/1.1");
        }
    }

    @Test
    void postProcessReadsAFormPostToItsEndAndAnswersBlaat() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (HttpServer server = Post.start("127.0.0.1", 0, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            byte[] form = "a=1&b=two+words".getBytes(StandardCharsets.US_ASCII);
            HttpResponse<String> response = post(server, "application/x-www-form-urlencoded", form);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(HTML);
            assertThat(response.body()).contains("<h1>blaat</h1>");
            Printed process = Printed.parse(printed.toByteArray());
            assertThat(process.head()).startsWith("POST /process HTTP/1.1")
                    .containsPattern("(?mi)^  content-type: application/x-www-form-urlencoded$")
                    .containsPattern("(?mi)^  content-length: " + form.length + "$");
            assertThat(process.pieces()).hasSize(1);
            assertThat(process.body()).isEqualTo(form);
            assertThat(process.total()).isEqualTo(form.length);
        }
    }

    @Test
    void postProcessReadsAMultipartUploadInPiecesOfAtMost1024BytesAndAnswersBlaat() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (HttpServer server = Post.start("127.0.0.1", 0, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String boundary = "----concurrence-test-boundary";
            byte[] upload = multipart(boundary, fileOfEveryByteValue(5000));
            HttpResponse<String> response = post(server, "multipart/form-data; boundary=" + boundary, upload);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("<h1>blaat</h1>");
            Printed process = Printed.parse(printed.toByteArray());
            assertThat(process.head()).startsWith("POST /process HTTP/1.1")
                    .containsPattern("(?mi)^  content-type: multipart/form-data; boundary=" + boundary + "$");
            assertThat(process.pieces()).hasSizeGreaterThanOrEqualTo(upload.length / Post.PIECE)
                    .allSatisfy(piece -> assertThat(piece.length).isBetween(1, Post.PIECE));
            assertThat(process.body()).as("the bytes read, piece after piece").isEqualTo(upload);
            assertThat(process.total()).isEqualTo(upload.length);
        }
    }

    // ---- web ----

    @Test
    void webGreetsOnGreetingAndWelcomeInsideTheExamplePage() throws Exception {
        try (HttpServer server = Web.start("127.0.0.1", 0)) {
            for (String path : List.of("/greeting", "/welcome")) {
                HttpResponse<String> response = get(server, path);

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValue(HTML);
                assertThat(response.body()).isEqualTo(page("Hello World"));
            }
        }
    }

    @Test
    void webSaysGoodbyeOnFarewell() throws Exception {
        try (HttpServer server = Web.start("127.0.0.1", 0)) {
            HttpResponse<String> response = get(server, "/farewell");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(HTML);
            assertThat(response.body()).isEqualTo(page("Goodbye"));
        }
    }

    @Test
    void webSumsTheQueryParametersAfterTheMessage() throws Exception {
        try (HttpServer server = Web.start("127.0.0.1", 0)) {
            HttpResponse<String> response = get(server, "/sum?msg=Total&a=1&b=2");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(HTML);
            assertThat(response.body()).isEqualTo(page("Total 3"));
            assertThat(get(server, "/sum?msg=%3Cb%3E&a=-5&b=2").body())
                    .as("the message is escaped").isEqualTo(page("&lt;b&gt; -3"));
        }
    }

    @Test
    void webAnswers400NamingAMissingOrMalformedSumParameter() throws Exception {
        try (HttpServer server = Web.start("127.0.0.1", 0)) {
            HttpResponse<String> missing = get(server, "/sum?msg=Total&a=1");
            HttpResponse<String> malformed = get(server, "/sum?msg=Total&a=one&b=2");

            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(missing.body()).isEqualTo("Missing query parameter 'b'");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).isEqualTo("The query parameter 'a' must be an integer, was 'one'");
        }
    }

    @Test
    void webWrapperNestsFiltersWrittenHigherFurtherOutInsideTheControllerFilter() throws Exception {
        try (HttpServer server = Web.start("127.0.0.1", 0)) {
            HttpResponse<String> response = get(server, "/wrapper");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(HTML);
            assertThat(response.body()).isEqualTo(page("<h1><strong>Testing 132</strong></h1>"));
        }
    }

    // ---- helpers ----

    /** The page the web example's controller filter wraps every answer in. */
    private static String page(String content) {
        return "<html><head><title>Example Page</title></head><body style=\"background-color: #a0f0f0\">"
                + content + "</body></html>";
    }

    private static URI uri(HttpServer server, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private HttpResponse<String> get(HttpServer server, String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(server, pathAndQuery)).timeout(SAFETY).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(HttpServer server, String contentType, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(server, "/process")).timeout(SAFETY)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A file's content holding every byte value, in an order fixed by a seed. */
    private static byte[] fileOfEveryByteValue(int size) {
        byte[] content = new byte[size];
        new Random(42).nextBytes(content);
        for (int i = 0; i < 256; i++) {
            content[i * (size / 256)] = (byte) i;
        }
        return content;
    }

    private static byte[] multipart(String boundary, byte[] file) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"random.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    /** A response as read off a raw socket until the server closed the connection. */
    private record RawResponse(String statusLine, List<String> headerLines, String body) {

        /** The value of the first header named {@code name} (any case), or null. */
        String header(String name) {
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    /** Sends {@code request} on a new connection and reads everything until the server closes it. */
    private static RawResponse exchange(HttpServer server, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) SAFETY.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            assertThat(end).as("a complete head in %s", all).isNotNegative();
            List<String> lines = List.of(all.substring(0, end).split("\r\n"));
            return new RawResponse(lines.get(0), lines.subList(1, lines.size()), all.substring(end + 4));
        }
    }

    /**
     * What the post example printed for one {@code /process} request: the request line and headers, then one
     * {@code read N bytes: <the N bytes>} line per piece, then {@code end of body after T bytes}.
     */
    private record Printed(String head, List<byte[]> pieces, long total) {

        private static final byte[] NEWLINE = System.lineSeparator().getBytes(StandardCharsets.US_ASCII);

        static Printed parse(byte[] out) {
            String text = new String(out, StandardCharsets.ISO_8859_1);
            int start = text.indexOf("POST /process ");
            assertThat(start).as("the request line in %s", text).isNotNegative();
            int headEnd = text.indexOf(System.lineSeparator() + "read ", start);
            assertThat(headEnd).as("a piece after the request line and headers in %s", text).isNotNegative();
            String head = text.substring(start, headEnd);
            int at = headEnd + NEWLINE.length;
            List<byte[]> pieces = new ArrayList<>();
            while (text.startsWith("read ", at)) {
                int colon = text.indexOf(" bytes: ", at);
                int n = Integer.parseInt(text.substring(at + "read ".length(), colon));
                int from = colon + " bytes: ".length();
                pieces.add(Arrays.copyOfRange(out, from, from + n));
                at = from + n;
                assertThat(Arrays.copyOfRange(out, at, at + NEWLINE.length)).as("a new line after the piece")
                        .isEqualTo(NEWLINE);
                at += NEWLINE.length;
            }
            String end = text.substring(at).lines().findFirst().orElse("");
            assertThat(end).startsWith("end of body after ");
            return new Printed(head, pieces, Long.parseLong(end.substring("end of body after ".length(),
                    end.length() - " bytes".length())));
        }

        byte[] body() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            pieces.forEach(all::writeBytes);
            return all.toByteArray();
        }
    }
}
