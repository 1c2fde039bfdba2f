package io.concurrence.web;

import static io.concurrence.web.WebTestSupport.rawBody;
import static io.concurrence.web.WebTestSupport.rawHead;
import static io.concurrence.web.WebTestSupport.rawHeader;
import static io.concurrence.web.WebTestSupport.rawStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.web.WebTestSupport.Reply;
import io.concurrence.web.WebTestSupport.TestServer;
import io.concurrence.web.WebTestSupport.Trace;

/**
 * Annotated controllers through a real server: each route annotation, parameter binding (request, response,
 * path, query of every supported type, body as text or bytes), return values and their content types, 400s
 * that name the parameter, the nesting of router, controller, class and method filters, and controllers that
 * are refused at registration.
 */
@Timeout(60)
class ControllerTest {

    /** Where the {@link Filtered} filters, created by the router from their classes, record. */
    static final Trace TRACE = new Trace();

    private TestServer server;

    @BeforeEach
    void clearTrace() {
        TRACE.clear();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer serve(Object controller, Filter... filters) {
        server = TestServer.start(Router.create().controller(controller, filters));
        return server;
    }

    /** A controller with one route of each kind, and every parameter and return type. */
    public static final class ItemsController {

        @Get("/items/{id}")
        public String item(@PathParam("id") long id) {
            return "<p>item " + id + "</p>";
        }

        @Post("/items")
        public String create(@Body String body, HttpResponse response) {
            response.status(201).header("Location", "/items/1");
            return "created " + body;
        }

        @Put("/items/{id}")
        public byte[] replace(@PathParam("id") String id, @Body byte[] body) {
            byte[] prefix = (id + ":").getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[prefix.length + body.length];
            System.arraycopy(prefix, 0, all, 0, prefix.length);
            System.arraycopy(body, 0, all, prefix.length, body.length);
            return all;
        }

        @Delete("/items/{id}")
        public void delete(@PathParam("id") int id, HttpResponse response) {
            response.status(202).send("deleted " + id);
        }

        @Route(method = "PATCH", path = "/items/{id}")
        public String patch(@PathParam("id") UUID id) {
            return "patched " + id;
        }

        @Get("/both")
        @Post("/both")
        public String both(HttpRequest request) {
            return "both " + request.method();
        }

        @Route(method = "GET", path = {"/first/{n}", "/second/{n}/x"})
        public String severalPatterns(@PathParam("n") int n, HttpRequest request) {
            return request.path() + " " + n;
        }

        @Get("/types")
        public String types(@QueryParam("s") String s, @QueryParam("i") int i, @QueryParam("l") long l,
                            @QueryParam("b") boolean b, @QueryParam("u") UUID u, @QueryParam("boxed") Integer boxed) {
            return s + "|" + i + "|" + l + "|" + b + "|" + u + "|" + boxed;
        }

        @Get("/optional")
        public String optional(@QueryParam("q") Optional<String> q) {
            return q.map(v -> "q=" + v).orElse("no q");
        }

        @Get("/raw/{name}")
        public void raw(HttpRequest request, HttpResponse response) {
            response.status(203).contentType("text/plain; charset=UTF-8")
                    .send("raw " + request.method() + " " + request.pathParam("name") + " " + request.query("x")
                            .orElse("-"));
        }

        @Get("/plain")
        public String plain(HttpResponse response) {
            response.contentType("text/plain; charset=UTF-8");
            return "not html";
        }

        @Get("/bytes")
        public byte[] bytes() {
            return new byte[] {0, 1, 2, (byte) 255};
        }

        @Get("/nothing")
        public String nothing() {
            return null;
        }

        @Get("/nothing-accepted")
        public String nothingAccepted(HttpResponse response) {
            response.status(202);
            return null;
        }

        @Get("/unicode")
        public String unicode() {
            return "Grüße, 世界";
        }

        @Get("/checked")
        public String checked() throws Exception {
            throw new java.io.IOException("disk path /var/secret is full");
        }

        /** Not annotated: never routed. */
        public String helper() {
            return "helper";
        }
    }

    @Test
    void getRouteBindsALongPathParameterAndSendsHtml() {
        serve(new ItemsController());

        Reply reply = server.get("/items/9000000000");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("<p>item 9000000000</p>");
        assertThat(reply.header("Content-Type")).hasValue("text/html; charset=UTF-8");
    }

    @Test
    void postRouteReadsTheBodyAsTextAndKeepsStatusAndHeadersTheMethodSet() {
        serve(new ItemsController());

        Reply reply = server.send("POST", "/items", "name=Ann");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.header("Location")).hasValue("/items/1");
        assertThat(reply.text()).isEqualTo("created name=Ann");
    }

    @Test
    void putRouteReadsTheBodyAsBytesAndSendsBytesAsOctetStream() {
        serve(new ItemsController());

        Reply reply = server.send("PUT", "/items/a7", "data");

        assertThat(reply.text()).isEqualTo("a7:data");
        assertThat(reply.header("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void byteArrayReturnIsSentAsIs() {
        serve(new ItemsController());

        Reply reply = server.get("/bytes");

        assertThat(reply.bytes()).containsExactly(0, 1, 2, 255);
        assertThat(reply.header("Content-Length")).hasValue("4");
    }

    @Test
    void voidMethodWritesTheResponseItself() {
        serve(new ItemsController());

        Reply reply = server.send("DELETE", "/items/5", null);

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.text()).isEqualTo("deleted 5");
    }

    @Test
    void routeAnnotationTakesAnyMethod() {
        serve(new ItemsController());
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");

        assertThat(server.send("PATCH", "/items/" + id, "").text()).isEqualTo("patched " + id);
    }

    @Test
    void methodWithSeveralAnnotationsHasSeveralRoutes() {
        serve(new ItemsController());

        assertThat(server.get("/both").text()).isEqualTo("both GET");
        assertThat(server.send("POST", "/both", "").text()).isEqualTo("both POST");
        assertThat(server.send("PUT", "/both", "").status()).isEqualTo(405);
    }

    @Test
    void annotationWithSeveralPatternsRoutesEachToTheMethod() {
        serve(new ItemsController());

        assertThat(server.get("/first/1").text()).isEqualTo("/first/1 1");
        assertThat(server.get("/second/2/x").text()).isEqualTo("/second/2/x 2");
    }

    @Test
    void requestAndResponseParametersAreTheRoutedOnes() {
        serve(new ItemsController());

        Reply reply = server.get("/raw/n%C3%A4me?x=1");

        assertThat(reply.status()).isEqualTo(203);
        assertThat(reply.text()).isEqualTo("raw GET näme 1");
    }

    @Test
    void stringReturnKeepsAContentTypeTheMethodSet() {
        serve(new ItemsController());

        Reply reply = server.get("/plain");

        assertThat(reply.header("Content-Type")).hasValue("text/plain; charset=UTF-8");
        assertThat(reply.text()).isEqualTo("not html");
    }

    @Test
    void stringReturnIsUtf8() {
        serve(new ItemsController());

        Reply reply = server.get("/unicode");

        assertThat(reply.text()).isEqualTo("Grüße, 世界");
        assertThat(reply.header("Content-Length")).hasValue(Integer.toString(
                "Grüße, 世界".getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void nullReturnIs204WithoutContentLengthOrBody() {
        serve(new ItemsController());

        String response = server.raw("GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(rawStatus(response)).isEqualTo(204);
        assertThat(rawBody(response)).isEmpty();
        assertThat(rawHead(response).toLowerCase()).as("RFC 9110: no Content-Length in a 204")
                .doesNotContain("content-length").doesNotContain("transfer-encoding");
    }

    @Test
    void nullReturnKeepsAStatusTheMethodSet() {
        serve(new ItemsController());

        Reply reply = server.get("/nothing-accepted");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.bytes()).isEmpty();
    }

    @Test
    void headOnAGetRouteSendsTheHeadOnly() {
        serve(new ItemsController());

        String response = server.raw("HEAD /items/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(rawStatus(response)).isEqualTo(200);
        assertThat(rawHeader(response, "Content-Length")).hasValue("13");
        assertThat(rawBody(response)).isEmpty();
    }

    @Test
    void unannotatedPublicMethodIsNotRouted() {
        serve(new ItemsController());

        assertThat(server.get("/helper").status()).isEqualTo(404);
    }

    @Test
    void checkedExceptionFromTheMethodIs500WithoutInternals() {
        serve(new ItemsController());

        Reply reply = server.get("/checked");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.text()).isEqualTo("Internal Server Error");
    }

    // ---- query parameters ----

    @Test
    void queryParametersOfEverySupportedType() {
        serve(new ItemsController());

        Reply reply = server.get("/types?s=a%20b&i=-7&l=9000000000&b=TRUE&u=123e4567-e89b-12d3-a456-426614174000"
                + "&boxed=3");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("a b|-7|9000000000|true|123e4567-e89b-12d3-a456-426614174000|3");
    }

    @Test
    void optionalQueryParameterMayBeAbsent() {
        serve(new ItemsController());

        assertThat(server.get("/optional").text()).isEqualTo("no q");
        assertThat(server.get("/optional?q=x").text()).isEqualTo("q=x");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "s=a&l=1&b=true&u=123e4567-e89b-12d3-a456-426614174000&boxed=1"
                + "|Missing query parameter 'i'",
        "s=a&i=1&l=1&b=true&u=123e4567-e89b-12d3-a456-426614174000"
                + "|Missing query parameter 'boxed'",
        "s=a&i=x1&l=1&b=true&u=123e4567-e89b-12d3-a456-426614174000&boxed=1"
                + "|The query parameter 'i' must be an integer, was 'x1'",
        "s=a&i=3000000000&l=1&b=true&u=123e4567-e89b-12d3-a456-426614174000&boxed=1"
                + "|The query parameter 'i' must be an integer, was '3000000000'",
        "s=a&i=1&l=1.5&b=true&u=123e4567-e89b-12d3-a456-426614174000&boxed=1"
                + "|The query parameter 'l' must be an integer, was '1.5'",
        "s=a&i=1&l=1&b=yes&u=123e4567-e89b-12d3-a456-426614174000&boxed=1"
                + "|The query parameter 'b' must be true or false, was 'yes'",
        "s=a&i=1&l=1&b=true&u=not-a-uuid&boxed=1"
                + "|The query parameter 'u' must be a UUID, was 'not-a-uuid'",
        "i=1&l=1&b=true&u=123e4567-e89b-12d3-a456-426614174000&boxed=1"
                + "|Missing query parameter 's'",
    })
    void missingOrUnconvertibleQueryParameterIs400NamingIt(String query, String message) {
        serve(new ItemsController());

        Reply reply = server.get("/types?" + query);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text()).isEqualTo(message);
    }

    @Test
    void unconvertiblePathParameterIs400NamingIt() {
        serve(new ItemsController());

        Reply reply = server.get("/items/abc");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text()).isEqualTo("The path parameter 'id' must be an integer, was 'abc'");
        assertThat(server.send("PATCH", "/items/abc", "").text())
                .isEqualTo("The path parameter 'id' must be a UUID, was 'abc'");
    }

    // ---- filters ----

    /** Records its entry and exit in {@link #TRACE} under its simple class name. */
    abstract static class TraceFilter implements Filter {
        @Override
        public void handle(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception {
            String name = getClass().getSimpleName();
            TRACE.record(name + ">");
            try {
                next.handle(request, response);
            } finally {
                TRACE.record("<" + name);
            }
        }
    }

    static final class ClassOuter extends TraceFilter {
    }

    static final class ClassInner extends TraceFilter {
    }

    static final class MethodOuter extends TraceFilter {
    }

    static final class MethodInner extends TraceFilter {
    }

    /** Filters on the class and on one method; written in the order they should nest. */
    @Filtered(ClassOuter.class)
    @Filtered(ClassInner.class)
    public static final class FilteredController {

        @Get("/filtered")
        @Filtered(MethodOuter.class)
        @Filtered(MethodInner.class)
        public String filtered() {
            TRACE.record("method");
            return "filtered";
        }

        @Get("/class-only")
        public String classOnly() {
            TRACE.record("method");
            return "class only";
        }
    }

    @Test
    void filtersNestRouterThenControllerArgumentsThenClassThenMethodEachOuterFirst() throws Exception {
        Router router = Router.create()
                .filter(TRACE.filter("router"))
                .controller(new FilteredController(), TRACE.filter("arg1"), TRACE.filter("arg2"));
        server = TestServer.start(router);

        Reply reply = server.get("/filtered");

        assertThat(reply.text()).isEqualTo("filtered");
        assertThat(TRACE.await(15)).containsExactly(
                "router>", "arg1>", "arg2>", "ClassOuter>", "ClassInner>", "MethodOuter>", "MethodInner>",
                "method",
                "<MethodInner", "<MethodOuter", "<ClassInner", "<ClassOuter", "<arg2", "<arg1", "<router");
    }

    @Test
    void methodFiltersApplyToTheirMethodOnly() throws Exception {
        serve(new FilteredController());

        server.get("/class-only");

        assertThat(TRACE.await(5)).containsExactly("ClassOuter>", "ClassInner>", "method", "<ClassInner",
                "<ClassOuter");
    }

    @Test
    void controllerFiltersDoNotWrapTheRouters404() throws Exception {
        serve(new FilteredController());

        assertThat(server.get("/missing").status()).isEqualTo(404);
        assertThat(TRACE.entries()).isEmpty();
    }

    @Test
    void controllerFilterSeesTheBindingFailure() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        serve(new ItemsController(), (request, response, next) -> {
            try {
                next.handle(request, response);
            } catch (RuntimeException e) {
                seen.add(e.getMessage());
                throw e;
            }
        });

        assertThat(server.get("/items/abc").status()).isEqualTo(400);
        assertThat(seen).containsExactly("The path parameter 'id' must be an integer, was 'abc'");
    }

    @Test
    void filterCreatedFromTheAnnotationIsSharedByAllRequests() throws Exception {
        serve(new CountingController());

        assertThat(server.get("/count").text()).isEqualTo("1");
        assertThat(server.get("/count").text()).isEqualTo("2");
    }

    /** Counts requests in a header set before the method runs. */
    static final class CountingFilter implements Filter {
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void handle(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception {
            response.header("X-Count", Integer.toString(count.incrementAndGet()));
            next.handle(request, response);
        }
    }

    public static final class CountingController {
        @Get("/count")
        @Filtered(CountingFilter.class)
        public void count(HttpResponse response) {
            response.send(response.headers().get("X-Count").get(0));
        }
    }

    // ---- definitions refused at registration ----

    public static final class UnannotatedParameter {
        @Get("/x")
        public String x(String name) {
            return name;
        }
    }

    public static final class NonPublicRoute {
        @Get("/public")
        public String shown() {
            return "public";
        }

        @Get("/hidden")
        String hidden() {
            return "hidden";
        }
    }

    public static final class OnlyPrivateRoutes {
        @Get("/hidden")
        private String hidden() {
            return "hidden";
        }
    }

    public static final class NoRoutes {
        public String nothing() {
            return "";
        }
    }

    public static final class DuplicateRoutes {
        @Get("/users/{id}")
        public String byId(@PathParam("id") String id) {
            return id;
        }

        @Get("/users/{name}")
        public String byName(@PathParam("name") String name) {
            return name;
        }
    }

    public static final class UnboundPathParameter {
        @Get("/users/{id}")
        public String user(@PathParam("userId") String id) {
            return id;
        }
    }

    public static final class PathParameterBoundByOnePatternOnly {
        @Get({"/users/{id}", "/me"})
        public String user(@PathParam("id") String id) {
            return id;
        }
    }

    public static final class UnsupportedQueryType {
        @Get("/x")
        public String x(@QueryParam("d") double d) {
            return "" + d;
        }
    }

    public static final class OptionalOfInteger {
        @Get("/x")
        public String x(@QueryParam("n") Optional<Integer> n) {
            return "" + n;
        }
    }

    public static final class StaticRoute {
        @Get("/x")
        public static String x() {
            return "x";
        }
    }

    public static final class MalformedPattern {
        @Get("users/{id}")
        public String x() {
            return "x";
        }
    }

    /** A filter without a no-argument constructor. */
    static final class NeedsArgument implements Filter {
        NeedsArgument(String ignored) {
        }

        @Override
        public void handle(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception {
            next.handle(request, response);
        }
    }

    public static final class UninstantiableFilter {
        @Get("/x")
        @Filtered(NeedsArgument.class)
        public String x() {
            return "x";
        }
    }

    @Test
    void unannotatedParameterIsRefusedNamingTheMethod() {
        assertThatThrownBy(() -> Router.create().controller(new UnannotatedParameter()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UnannotatedParameter.x")
                .hasMessageContaining("of type String is neither HttpRequest, HttpResponse, nor annotated");
    }

    @Test
    void annotatedNonPublicMethodIsRefusedNamingIt() {
        assertThatThrownBy(() -> Router.create().controller(new NonPublicRoute()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NonPublicRoute.hidden")
                .hasMessageContaining("not public");
        assertThatThrownBy(() -> Router.create().controller(new OnlyPrivateRoutes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OnlyPrivateRoutes.hidden");
    }

    @Test
    void controllerWithoutRoutesIsRefused() {
        assertThatThrownBy(() -> Router.create().controller(new NoRoutes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NoRoutes has no public method annotated");
    }

    @Test
    void duplicateRouteIsRefusedAndNoneOfTheControllersRoutesIsAdded() {
        Router router = Router.create();

        assertThatThrownBy(() -> router.controller(new DuplicateRoutes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GET /users/{name} duplicates the route GET /users/{id}");
        server = TestServer.start(router);
        assertThat(server.get("/users/1").status()).isEqualTo(404);
    }

    @Test
    void routeDuplicatingAnotherControllersIsRefused() {
        Router router = Router.create().get("/items/{other}", (request, response) -> response.send("first"));

        assertThatThrownBy(() -> router.controller(new ItemsController()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GET /items/{id} duplicates the route GET /items/{other}");
    }

    @Test
    void pathParameterTheRouteDoesNotBindIsRefused() {
        assertThatThrownBy(() -> Router.create().controller(new UnboundPathParameter()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UnboundPathParameter.user")
                .hasMessageContaining("@PathParam(\"userId\")")
                .hasMessageContaining("/users/{id}");
    }

    @Test
    void pathParameterThatOneOfSeveralPatternsDoesNotBindIsRefused() {
        assertThatThrownBy(() -> Router.create().controller(new PathParameterBoundByOnePatternOnly()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@PathParam(\"id\") is not a parameter of its route /me");
    }

    @Test
    void unsupportedParameterTypesAreRefused() {
        assertThatThrownBy(() -> Router.create().controller(new UnsupportedQueryType()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UnsupportedQueryType.x")
                .hasMessageContaining("query parameter 'd' has type double");
        assertThatThrownBy(() -> Router.create().controller(new OptionalOfInteger()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Optional<String>");
    }

    @Test
    void staticRouteMethodIsRefused() {
        assertThatThrownBy(() -> Router.create().controller(new StaticRoute()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StaticRoute.x is static");
    }

    @Test
    void malformedPatternIsRefusedNamingTheMethod() {
        assertThatThrownBy(() -> Router.create().controller(new MalformedPattern()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MalformedPattern.x")
                .hasMessageContaining("users/{id}");
    }

    @Test
    void filterWithoutNoArgumentConstructorIsRefused() {
        assertThatThrownBy(() -> Router.create().controller(new UninstantiableFilter()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@Filtered(" + NeedsArgument.class.getName() + ")")
                .hasMessageContaining("no-argument constructor");
    }
}
