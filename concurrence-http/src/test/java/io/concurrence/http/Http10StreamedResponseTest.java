package io.concurrence.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A streamed response ({@code outputStream()} without a Content-Length) to an HTTP/1.0 request: HTTP/1.0
 * knows no chunked encoding (RFC 9112 6.1), so the body goes out as is and ends when the connection closes.
 */
@org.junit.jupiter.api.Timeout(60)
class Http10StreamedResponseTest {

    private static final Duration SAFETY = Duration.ofSeconds(10);

    private static HttpServer streaming() {
        return HttpServer.builder().host("127.0.0.1").port(0).handler((request, response) -> {
            OutputStream out = response.outputStream();
            out.write("part one, ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write("part two".getBytes(StandardCharsets.US_ASCII));
        }).build().start();
    }

    @Test
    void aStreamedResponseToHttp10IsNotChunkedAndEndsWithTheConnection() throws IOException {
        try (HttpServer server = streaming()) {
            String response = exchange(server, "GET / HTTP/1.0\r\n\r\n");

            assertThat(head(response)).containsPattern("^HTTP/1\\.[01] 200 OK")
                    .doesNotContainIgnoringCase("transfer-encoding")
                    .containsIgnoringCase("connection: close");
            assertThat(body(response)).isEqualTo("part one, part two");
        }
    }

    @Test
    void aStreamedResponseToHttp10KeepAliveIsNotChunkedAndClosesTheConnection() throws IOException {
        try (HttpServer server = streaming()) {
            String response = exchange(server, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");

            assertThat(head(response)).doesNotContainIgnoringCase("transfer-encoding")
                    .containsIgnoringCase("connection: close");
            assertThat(body(response)).isEqualTo("part one, part two");
        }
    }

    @Test
    void aStreamedResponseToHttp11StaysChunked() throws IOException {
        try (HttpServer server = streaming()) {
            String response = exchange(server, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

            assertThat(head(response)).containsIgnoringCase("transfer-encoding: chunked");
            assertThat(body(response)).isEqualTo("a\r\npart one, \r\n8\r\npart two\r\n0\r\n\r\n");
        }
    }

    /** Sends {@code request} on a new connection; reads until the server closes it (or fails after SAFETY). */
    private static String exchange(HttpServer server, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) SAFETY.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String head(String response) {
        return response.substring(0, response.indexOf("\r\n\r\n"));
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
