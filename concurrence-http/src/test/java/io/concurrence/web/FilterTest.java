package io.concurrence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.concurrence.http.HttpStatusException;
import io.concurrence.web.WebTestSupport.BodyWrappingFilter;
import io.concurrence.web.WebTestSupport.CapturedResponse;
import io.concurrence.web.WebTestSupport.FakeRequest;
import io.concurrence.web.WebTestSupport.Reply;
import io.concurrence.web.WebTestSupport.TestServer;
import io.concurrence.web.WebTestSupport.Trace;

/**
 * Router-level {@link Filter}s: they run in registration order with the first registered outermost, wrap the
 * 404 and 405 answers too, may answer without calling the rest of the chain, may change the response, and a
 * filter that throws is a 500 without internals.
 */
@Timeout(60)
class FilterTest {

    private static CapturedResponse handle(Router router, String method, String target) throws Exception {
        CapturedResponse response = new CapturedResponse();
        router.handle(FakeRequest.of(method, target), response);
        return response;
    }

    @Test
    void filtersRunInRegistrationOrderFirstRegisteredOutermost() throws Exception {
        Trace trace = new Trace();
        Router router = Router.create()
                .filter(trace.filter("first"))
                .get("/x", (request, response) -> {
                    trace.record("handler");
                    response.send("x");
                })
                .filter(trace.filter("second"))
                .filter(trace.filter("third"));

        handle(router, "GET", "/x");

        assertThat(trace.entries())
                .containsExactly("first>", "second>", "third>", "handler", "<third", "<second", "<first");
    }

    @Test
    void filtersWrapThe404And405Answers() throws Exception {
        Trace trace = new Trace();
        Router router = Router.create()
                .filter(trace.filter("outer"))
                .filter((request, response, next) -> {
                    response.header("X-Filtered", "yes");
                    next.handle(request, response);
                })
                .get("/x", (request, response) -> response.send("x"));

        CapturedResponse missing = handle(router, "GET", "/missing");
        CapturedResponse wrongMethod = handle(router, "PUT", "/x");

        assertThat(trace.entries()).containsExactly("outer>", "<outer", "outer>", "<outer");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("X-Filtered")).hasValue("yes");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("X-Filtered")).hasValue("yes");
    }

    @Test
    void filterWrapsACustomNotFoundHandler() throws Exception {
        Trace trace = new Trace();
        Router router = Router.create()
                .filter(trace.filter("outer"))
                .notFound((request, response) -> {
                    trace.record("notFound");
                    response.status(404).send("gone");
                });

        handle(router, "GET", "/missing");

        assertThat(trace.entries()).containsExactly("outer>", "notFound", "<outer");
    }

    @Test
    void filterCanAnswerWithoutCallingTheRestOfTheChain() throws Exception {
        Trace trace = new Trace();
        Router router = Router.create()
                .filter((request, response, next) -> {
                    if (request.header("Authorization").isEmpty()) {
                        response.status(401).send("Unauthorized");
                        return;
                    }
                    next.handle(request, response);
                })
                .filter(trace.filter("inner"))
                .get("/secret", (request, response) -> {
                    trace.record("handler");
                    response.send("secret");
                });

        CapturedResponse refused = handle(router, "GET", "/secret");
        CapturedResponse allowed = new CapturedResponse();
        router.handle(FakeRequest.of("GET", "/secret").header("Authorization", "Bearer t"), allowed);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text()).isEqualTo("Unauthorized");
        assertThat(allowed.text()).isEqualTo("secret");
        assertThat(trace.entries()).as("only the authorized request went past the first filter")
                .containsExactly("inner>", "handler", "<inner");
    }

    @Test
    void filterCanAddHeadersAndRewriteTheBody() throws Exception {
        Router router = Router.create()
                .filter((request, response, next) -> {
                    response.header("X-Request-Path", request.path());
                    next.handle(request, response);
                })
                .filter(new BodyWrappingFilter() {
                    @Override
                    String wrap(String body) {
                        return body.toUpperCase(Locale.ROOT);
                    }
                })
                .get("/x", (request, response) -> response.status(201).header("X-Handler", "h").send("hello"));

        CapturedResponse response = handle(router, "GET", "/x");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.text()).isEqualTo("HELLO");
        assertThat(response.header("X-Request-Path")).hasValue("/x");
        assertThat(response.header("X-Handler")).hasValue("h");
    }

    @Test
    void filterSeesTheHandlersException() throws Exception {
        Trace trace = new Trace();
        Router router = Router.create()
                .filter((request, response, next) -> {
                    try {
                        next.handle(request, response);
                    } catch (IllegalStateException e) {
                        trace.record("caught " + e.getMessage());
                        response.status(409).send("conflict");
                    }
                })
                .get("/x", (request, response) -> {
                    throw new IllegalStateException("busy");
                });

        CapturedResponse response = handle(router, "GET", "/x");

        assertThat(trace.entries()).containsExactly("caught busy");
        assertThat(response.status()).isEqualTo(409);
    }

    @Test
    void filterExceptionPropagatesOutOfTheRouter() {
        Router router = Router.create()
                .filter((request, response, next) -> {
                    throw new IllegalStateException("filter failed");
                })
                .get("/x", (request, response) -> response.send("x"));

        assertThatThrownBy(() -> handle(router, "GET", "/x")).hasMessage("filter failed");
    }

    @Test
    void filterAddedWhileServingAppliesToLaterRequests() throws Exception {
        Router router = Router.create().get("/x", (request, response) -> response.send("x"));
        assertThat(handle(router, "GET", "/x").header("X-Late")).isEmpty();

        router.filter((request, response, next) -> {
            response.header("X-Late", "1");
            next.handle(request, response);
        });

        assertThat(handle(router, "GET", "/x").header("X-Late")).hasValue("1");
    }

    @Test
    void filterOrderHoldsOverARealConnection() throws Exception {
        Trace trace = new Trace();
        Router router = Router.create()
                .filter(trace.filter("a"))
                .filter(trace.filter("b"))
                .get("/x", (request, response) -> {
                    trace.record("handler");
                    response.send("x");
                });
        try (TestServer server = TestServer.start(router)) {
            Reply found = server.get("/x");
            List<String> entries = trace.await(5);
            Reply missing = server.get("/missing");

            assertThat(found.text()).isEqualTo("x");
            assertThat(entries).containsExactly("a>", "b>", "handler", "<b", "<a");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(trace.await(9).subList(5, 9)).containsExactly("a>", "b>", "<b", "<a");
        }
    }

    @Test
    void exceptionInAFilterIs500WithoutInternals() {
        Router router = Router.create()
                .filter((request, response, next) -> {
                    response.header("X-Before-Failure", "set");
                    throw new IllegalStateException("password=hunter2 at io.concurrence.web.Secret");
                })
                .get("/x", (request, response) -> response.send("x"));
        try (TestServer server = TestServer.start(router)) {
            Reply reply = server.get("/x");

            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.text()).isEqualTo("Internal Server Error");
            assertThat(reply.header("X-Before-Failure")).as("the error replaces what was set").isEmpty();
        }
    }

    @Test
    void httpStatusExceptionInAFilterSetsTheStatusAndMessage() {
        Router router = Router.create()
                .filter((request, response, next) -> {
                    throw new HttpStatusException(429, "Too many requests; retry later");
                })
                .get("/x", (request, response) -> response.send("x"));
        try (TestServer server = TestServer.start(router)) {
            Reply reply = server.get("/x");

            assertThat(reply.status()).isEqualTo(429);
            assertThat(reply.text()).isEqualTo("Too many requests; retry later");
        }
    }

    @Test
    void filterFailingAfterTheResponseWasSentLeavesTheResponseIntact() throws Exception {
        Trace trace = new Trace();
        Router router = Router.create()
                .filter((request, response, next) -> {
                    next.handle(request, response);
                    trace.record("after");
                    throw new IllegalStateException("too late");
                })
                .get("/x", (request, response) -> response.send("complete"));
        try (TestServer server = TestServer.start(router)) {
            Reply reply = server.get("/x");
            trace.await(1);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.text()).isEqualTo("complete");
            assertThat(server.get("/x").text()).as("the connection still serves").isEqualTo("complete");
        }
    }
}
