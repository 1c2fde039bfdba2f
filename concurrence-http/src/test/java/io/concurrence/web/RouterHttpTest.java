package io.concurrence.web;

import static io.concurrence.web.WebTestSupport.rawBody;
import static io.concurrence.web.WebTestSupport.rawHeader;
import static io.concurrence.web.WebTestSupport.rawStatus;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.concurrence.web.WebTestSupport.Reply;
import io.concurrence.web.WebTestSupport.TestServer;

/**
 * {@link Router} behind a real {@code HttpServer}: path parameters arrive percent-decoded, the query does not
 * take part in routing, 404 and 405 reach the client with their bodies and {@code Allow}, a {@code HEAD}
 * served by a {@code GET} route sends the head only, and a failing handler is a 500 without internals.
 */
@Timeout(60)
class RouterHttpTest {

    private TestServer server;

    @BeforeEach
    void startServer() {
        Router router = Router.create()
                .get("/users/{id}", (request, response) -> response.send("user " + request.pathParam("id")))
                .get("/users/me", (request, response) -> response.send("me"))
                .post("/users/{id}", (request, response) -> response.send("posted " + request.bodyText()))
                .get("/files/{path...}", (request, response) -> response.send("file " + request.pathParam("path")))
                .get("/search", (request, response) -> response.send("q=" + request.query("q").orElse("-")))
                .get("/fail", (request, response) -> {
                    throw new IllegalStateException("secret detail in io.concurrence.Internal");
                });
        server = TestServer.start(router);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void pathParameterIsServedFromARealRequest() {
        Reply reply = server.get("/users/42");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("user 42");
    }

    @Test
    void pathParametersArePercentDecoded() {
        assertThat(server.get("/users/J%C3%BCrgen%20M%C3%BCller").text()).isEqualTo("user Jürgen Müller");
        assertThat(server.get("/users/a+b").text()).as("a plus in a path is a plus").isEqualTo("user a+b");
        assertThat(server.get("/files/dir%20one/a%25b.txt").text()).isEqualTo("file dir one/a%b.txt");
    }

    @Test
    void encodedSlashSplitsSegmentsBecausePathsAreDecodedBeforeMatching() {
        // The router matches the decoded path: %2F is a separator like '/', so it cannot be part of a {name}.
        assertThat(server.get("/users/a%2Fb").status()).isEqualTo(404);
        assertThat(server.get("/files/a%2Fb").text()).isEqualTo("file a/b");
    }

    @Test
    void queryTakesNoPartInRouting() {
        assertThat(server.get("/users/7?tab=posts").text()).isEqualTo("user 7");
        assertThat(server.get("/search?q=tasklets%20and%20channels").text()).isEqualTo("q=tasklets and channels");
    }

    @Test
    void literalRouteWinsOverParameterRouteRegisteredBefore() {
        assertThat(server.get("/users/me").text()).isEqualTo("me");
    }

    @Test
    void unknownPathIs404NotFound() {
        Reply reply = server.get("/nowhere");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.text()).isEqualTo("Not Found");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        Reply reply = server.send("DELETE", "/users/42", null);

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).hasValue("GET, HEAD, POST");
        assertThat(reply.text()).isEqualTo("Method Not Allowed");
    }

    @Test
    void postRouteReadsTheBody() {
        Reply reply = server.send("POST", "/users/42", "name=Ann");

        assertThat(reply.text()).isEqualTo("posted name=Ann");
    }

    @Test
    void headServedByTheGetRouteSendsTheHeadOnly() {
        String get = server.raw("GET /users/42 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String head = server.raw("HEAD /users/42 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(rawStatus(head)).isEqualTo(200);
        assertThat(rawHeader(head, "Content-Length")).hasValue("7").isEqualTo(rawHeader(get, "Content-Length"));
        assertThat(rawHeader(head, "Content-Type")).isEqualTo(rawHeader(get, "Content-Type"));
        assertThat(rawBody(head)).isEmpty();
        assertThat(rawBody(get)).isEqualTo("user 42");
    }

    @Test
    void headForAnUnknownPathIs404WithoutBody() {
        String head = server.raw("HEAD /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(rawStatus(head)).isEqualTo(404);
        assertThat(rawBody(head)).isEmpty();
    }

    @Test
    void failingHandlerIs500WithoutInternals() {
        Reply reply = server.get("/fail");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.text()).isEqualTo("Internal Server Error");
    }

    @Test
    void serverKeepsServingAfterAFailure() {
        assertThat(server.get("/fail").status()).isEqualTo(500);
        assertThat(server.get("/users/1").status()).isEqualTo(200);
    }
}
