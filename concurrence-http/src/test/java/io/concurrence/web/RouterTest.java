package io.concurrence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.concurrence.http.HttpHandler;
import io.concurrence.web.WebTestSupport.CapturedResponse;
import io.concurrence.web.WebTestSupport.FakeRequest;

/**
 * {@link Router} dispatch driven directly with in-memory requests and responses: routing by method and
 * pattern, path parameters, 404, 405 with {@code Allow}, the {@code HEAD} fallback, which route wins when
 * several match, and the not-found override. The same behaviours over a real connection are in
 * {@link RouterHttpTest}.
 */
@Timeout(60)
class RouterTest {

    /** A handler that answers its name. */
    private static HttpHandler answer(String name) {
        return (request, response) -> response.send(name);
    }

    private static CapturedResponse handle(Router router, String method, String target) throws Exception {
        CapturedResponse response = new CapturedResponse();
        router.handle(FakeRequest.of(method, target), response);
        return response;
    }

    @Test
    void eachMethodGoesToItsOwnHandler() throws Exception {
        Router router = Router.create()
                .get("/items", answer("get"))
                .post("/items", answer("post"))
                .put("/items", answer("put"))
                .delete("/items", answer("delete"))
                .route("PATCH", "/items", answer("patch"));

        for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
            CapturedResponse response = handle(router, method, "/items");
            assertThat(response.status()).as(method).isEqualTo(200);
            assertThat(response.text()).as(method).isEqualTo(method.toLowerCase());
        }
    }

    @Test
    void routeMethodIsCaseInsensitiveAtRegistration() throws Exception {
        Router router = Router.create().route("report", "/items", answer("report"));

        assertThat(handle(router, "REPORT", "/items").text()).isEqualTo("report");
    }

    @Test
    void pathParametersAreReadFromTheRequest() throws Exception {
        List<Map<String, String>> params = new ArrayList<>();
        Router router = Router.create().get("/users/{id}/posts/{postId}", (request, response) -> {
            params.add(request.pathParams());
            response.send(request.pathParam("id") + "/" + request.pathParam("postId"));
        });

        assertThat(handle(router, "GET", "/users/42/posts/7").text()).isEqualTo("42/7");
        assertThat(params).containsExactly(Map.of("id", "42", "postId", "7"));
    }

    @Test
    void absentPathParameterThrowsIllegalArgumentExceptionNamingIt() {
        Router router = Router.create().get("/users/{id}", (request, response) -> request.pathParam("userId"));

        assertThatThrownBy(() -> handle(router, "GET", "/users/42"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'userId'");
    }

    @Test
    void routeWithoutParametersHasNone() throws Exception {
        List<Object> seen = new ArrayList<>();
        Router router = Router.create().get("/plain", (request, response) -> {
            seen.add(request.pathParams());
            request.pathParam("id");
        });

        assertThatThrownBy(() -> handle(router, "GET", "/plain"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'id'");
        assertThat(seen).containsExactly(Map.of());
    }

    @Test
    void requestSeenByTheHandlerKeepsEverythingElseOfTheOriginal() throws Exception {
        Router router = Router.create().post("/users/{id}", (request, response) -> response.send(
                request.method() + " " + request.uri() + " " + request.query("q").orElseThrow() + " "
                        + request.header("x-test").orElseThrow() + " " + request.bodyText()));

        CapturedResponse response = new CapturedResponse();
        router.handle(FakeRequest.of("POST", "/users/9?q=v").header("X-Test", "h").body("payload"), response);

        assertThat(response.text()).isEqualTo("POST /users/9?q=v v h payload");
    }

    @Test
    void unknownPathIsAnswered404() throws Exception {
        Router router = Router.create().get("/known", answer("known"));

        CapturedResponse response = handle(router, "GET", "/unknown");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).isEqualTo("Not Found");
    }

    @Test
    void emptyRouterAnswers404() throws Exception {
        assertThat(handle(Router.create(), "GET", "/").status()).isEqualTo(404);
    }

    @Test
    void knownPathWithWrongMethodIsAnswered405WithAllowListingTheMethods() throws Exception {
        Router router = Router.create()
                .post("/items", answer("post"))
                .get("/items", answer("get"));

        CapturedResponse response = handle(router, "DELETE", "/items");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).hasValue("GET, HEAD, POST");
        assertThat(response.text()).isEqualTo("Method Not Allowed");
    }

    @Test
    void allowOmitsHeadWhenThereIsNoGet() throws Exception {
        Router router = Router.create().post("/items", answer("post"));

        CapturedResponse response = handle(router, "HEAD", "/items");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).hasValue("POST");
    }

    @Test
    void allowListsTheMethodsOfEveryPatternThatMatches() throws Exception {
        Router router = Router.create()
                .get("/users/me", answer("me"))
                .delete("/users/{id}", answer("delete"));

        CapturedResponse response = handle(router, "PUT", "/users/me");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).hasValue("DELETE, GET, HEAD");
    }

    @Test
    void lessSpecificPatternServesAMethodTheMoreSpecificOneLacks() throws Exception {
        Router router = Router.create()
                .get("/users/me", answer("me"))
                .delete("/users/{id}", (request, response) -> response.send("delete " + request.pathParam("id")));

        assertThat(handle(router, "DELETE", "/users/me").text()).isEqualTo("delete me");
        assertThat(handle(router, "GET", "/users/me").text()).isEqualTo("me");
    }

    @Test
    void headFallsBackToTheGetRoute() throws Exception {
        List<String> methods = new ArrayList<>();
        Router router = Router.create().get("/page/{id}", (request, response) -> {
            methods.add(request.method() + " " + request.pathParam("id"));
            response.send("page");
        });

        CapturedResponse response = handle(router, "HEAD", "/page/3");

        assertThat(response.status()).isEqualTo(200);
        assertThat(methods).as("the GET handler sees the HEAD request").containsExactly("HEAD 3");
    }

    @Test
    void explicitHeadRouteWinsOverTheGetFallback() throws Exception {
        Router router = Router.create()
                .get("/page", answer("get"))
                .route("HEAD", "/page", answer("head"));

        assertThat(handle(router, "HEAD", "/page").text()).isEqualTo("head");
        assertThat(handle(router, "GET", "/page").text()).isEqualTo("get");
    }

    @Test
    void literalSegmentWinsOverParameterWhateverTheRegistrationOrder() throws Exception {
        Router router = Router.create()
                .get("/users/{id}", (request, response) -> response.send("user " + request.pathParam("id")))
                .get("/users/me", answer("me"));

        assertThat(handle(router, "GET", "/users/me").text()).isEqualTo("me");
        assertThat(handle(router, "GET", "/users/42").text()).isEqualTo("user 42");
    }

    @Test
    void amongEquallySpecificPatternsTheFirstRegisteredWins() throws Exception {
        Router first = Router.create().get("/a/{x}/c", answer("first")).get("/a/b/{y}", answer("second"));
        Router second = Router.create().get("/a/b/{y}", answer("first")).get("/a/{x}/c", answer("second"));

        assertThat(handle(first, "GET", "/a/b/c").text()).isEqualTo("first");
        assertThat(handle(second, "GET", "/a/b/c").text()).isEqualTo("first");
    }

    @Test
    void sameRouteRegisteredTwiceIsRejected() {
        Router router = Router.create().get("/users/{id}", answer("first"));

        assertThatThrownBy(() -> router.get("/users/{name}", answer("second")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GET /users/{name}")
                .hasMessageContaining("/users/{id}");
        assertThatThrownBy(() -> router.route("get", "/users/{id}", answer("second")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samePatternForAnotherMethodIsNotADuplicate() throws Exception {
        Router router = Router.create().get("/users/{id}", answer("get")).delete("/users/{id}", answer("delete"));

        assertThat(handle(router, "DELETE", "/users/1").text()).isEqualTo("delete");
    }

    @Test
    void singleParameterWinsOverRestParameter() throws Exception {
        Router router = Router.create()
                .get("/files/{path...}", (request, response) -> response.send("rest " + request.pathParam("path")))
                .get("/files/{name}", (request, response) -> response.send("one " + request.pathParam("name")));

        assertThat(handle(router, "GET", "/files/a.txt").text()).isEqualTo("one a.txt");
        assertThat(handle(router, "GET", "/files/dir/a.txt").text()).isEqualTo("rest dir/a.txt");
    }

    @Test
    void restPatternWithMoreLiteralSegmentsWinsOverParametersOnly() throws Exception {
        // The documented order: "the one with more literal segments wins, then the one registered first".
        Router router = Router.create()
                .get("/{x}/{y}/{z}", answer("parameters"))
                .get("/a/{rest...}", (request, response) -> response.send("rest " + request.pathParam("rest")));

        assertThat(handle(router, "GET", "/a/b/c").text()).isEqualTo("rest b/c");
        assertThat(handle(router, "GET", "/x/b/c").text()).isEqualTo("parameters");
    }

    @Test
    void notFoundHandlerReplacesThe404ButNotThe405() throws Exception {
        Router router = Router.create()
                .get("/known", answer("known"))
                .notFound((request, response) -> response.status(404).send("no " + request.path() + " here"));

        CapturedResponse missing = handle(router, "GET", "/missing");
        CapturedResponse wrongMethod = handle(router, "POST", "/known");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).isEqualTo("no /missing here");
        assertThat(wrongMethod.status()).isEqualTo(405);
    }

    @Test
    void malformedPatternIsRejectedAtRegistration() {
        Router router = Router.create();

        assertThatThrownBy(() -> router.get("users/{id}", answer("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("users/{id}");
        assertThatThrownBy(() -> router.get("/files/{rest...}/x", answer("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullArgumentsAreRejected() {
        Router router = Router.create();

        assertThatThrownBy(() -> router.get("/x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> router.route(null, "/x", answer("x"))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> router.filter(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> router.notFound(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> router.controller(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void handlerExceptionPropagatesOutOfTheRouter() {
        IllegalStateException failure = new IllegalStateException("boom");
        Router router = Router.create().get("/fail", (request, response) -> {
            throw failure;
        });

        assertThatThrownBy(() -> handle(router, "GET", "/fail")).isSameAs(failure);
    }
}
