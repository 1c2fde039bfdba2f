package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.SHORT;
import static io.concurrence.http.ServerTestSupport.await;
import static io.concurrence.http.ServerTestSupport.connect;
import static io.concurrence.http.ServerTestSupport.exchangeOnFreshConnection;
import static io.concurrence.http.ServerTestSupport.get;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.concurrence.http.ServerTestSupport.RawConnection;
import io.concurrence.http.ServerTestSupport.RawResponse;

/**
 * {@code Expect: 100-continue} (docs/http.md, "Bodies and backpressure"): the {@code 100 Continue} goes out
 * when the handler first reads the body, not before; a handler that answers without reading never invites the
 * body, so the client sees the final status and no {@code 100}; and the JDK client's {@code expectContinue}
 * works end to end.
 */
@org.junit.jupiter.api.Timeout(60)
class ExpectContinueTest {

    /** {@code /upload} answers its body; {@code /secret} answers 401 without reading it. */
    private static final HttpHandler UPLOADS = (request, response) -> {
        if (request.path().equals("/secret")) {
            response.status(401).header("WWW-Authenticate", "Basic realm=\"tests\"").send("who are you?");
        } else {
            response.send("received " + request.bodyText());
        }
    };

    private static String expectingContinue(String path, int contentLength) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: "
                + contentLength + "\r\n\r\n";
    }

    @Test
    void aHandlerReadingTheBodyGetsItAfter100ContinueThenTheFinalResponse() throws IOException {
        try (HttpServer server = server(UPLOADS).build().start();
             RawConnection connection = connect(server)) {
            String body = "hello world";
            RawResponse interim = connection.send(expectingContinue("/upload", body.length())).readResponse();

            assertThat(interim.status()).isEqualTo(100);
            assertThat(interim.reason()).isEqualTo("Continue");

            RawResponse response = connection.send(body).readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("received hello world");
            assertThat(connection.send(get("/next")).readResponse().bodyText()).isEqualTo("received ");
        }
    }

    @Test
    void theContinueIsSentOnlyWhenTheHandlerFirstReadsTheBody() throws IOException {
        CountDownLatch handlerStarted = new CountDownLatch(1);
        CountDownLatch mayRead = new CountDownLatch(1);
        try (HttpServer server = server((request, response) -> {
            handlerStarted.countDown();
            await(mayRead, "the test lets the handler read");
            response.send("received " + new String(request.body().readAllBytes(), "UTF-8"));
        }).build().start();
             RawConnection connection = connect(server)) {
            connection.send(expectingContinue("/upload", 5));
            await(handlerStarted, "the handler started");

            connection.assertNothingReceivedFor(SHORT);
            mayRead.countDown();

            assertThat(connection.readResponse().status()).isEqualTo(100);
            RawResponse response = connection.send("12345").readResponse();
            assertThat(response.bodyText()).isEqualTo("received 12345");
        }
    }

    @Test
    void aHandlerAnsweringWithoutReadingNeverInvitesTheBody() throws IOException {
        AtomicInteger handled = new AtomicInteger();
        try (HttpServer server = server((request, response) -> {
            handled.incrementAndGet();
            UPLOADS.handle(request, response);
        }).build().start();
             RawConnection connection = connect(server)) {
            RawResponse response = connection.send(expectingContinue("/secret", 1_000_000)).readResponse();

            assertThat(response.status()).as("the first response: no 100 Continue before the final one")
                    .isEqualTo(401);
            assertThat(response.bodyText()).isEqualTo("who are you?");
            assertThat(handled).hasValue(1);
            // The announced body never comes: the connection cannot carry another request, so it closes.
            assertThat(response.saysClose()).isTrue();
            connection.assertClosed();
            assertThat(exchangeOnFreshConnection(server, get("/other")).status()).isEqualTo(200);
        }
    }

    @Test
    void theJdkClientWithExpectContinueUploadsEndToEnd() throws Exception {
        try (HttpServer server = server(UPLOADS).build().start();
             java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                     .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(SAFETY).build()) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                            URI.create("http://" + HOST + ":" + server.port() + "/upload"))
                    .expectContinue(true).timeout(SAFETY).POST(BodyPublishers.ofString("tasklets")).build();

            java.net.http.HttpResponse<String> response = client.send(request, BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("received tasklets");
        }
    }

    @Test
    void theJdkClientWithExpectContinueGetsTheRefusalWithoutSendingTheBody() throws Exception {
        try (HttpServer server = server(UPLOADS).build().start();
             java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                     .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(SAFETY).build()) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                            URI.create("http://" + HOST + ":" + server.port() + "/secret"))
                    .expectContinue(true).timeout(SAFETY).POST(BodyPublishers.ofString("credentials?")).build();

            java.net.http.HttpResponse<String> response = client.send(request, BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).isEqualTo("who are you?");
        }
    }
}
