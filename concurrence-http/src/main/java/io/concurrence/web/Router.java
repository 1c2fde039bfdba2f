package io.concurrence.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;

/**
 * Routes requests by method and path pattern to handlers, through filters: the web layer's entry point.
 * <pre>{@code
 * Router router = Router.create()
 *         .filter(new TimeoutFilter(Duration.ofSeconds(5)))
 *         .get("/hello", (req, res) -> res.send("Hello"))
 *         .get("/users/{id}", (req, res) -> res.send("user " + req.pathParam("id")))
 *         .controller(new ExampleController());
 * HttpServer.builder().port(8080).handler(router).build().start();
 * }</pre>
 *
 * <p>Patterns: literal segments, {@code {name}} (one segment, read with {@link HttpRequest#pathParam}) and a
 * final {@code {name...}} (the rest of the path). When several routes match a path, the one with more
 * literal segments wins, then the one registered first. A path that no route matches is answered
 * {@code 404}; a path that matches only for other methods {@code 405} with an {@code Allow} header. A
 * second route for the same method and the same paths (e.g. {@code /users/{id}} and {@code /users/{name}})
 * could never be reached, and is rejected. A
 * {@code HEAD} request falls back to the {@code GET} route (the server sends the head only).
 *
 * <p>Filters registered with {@link #filter(Filter)} wrap every request, 404s and 405s included, in
 * registration order (the first registered outermost).
 *
 * <p>Thread-safe: register routes before serving (registration while serving is safe but racy for the
 * requests in flight).
 *
 * @since 0.1
 */
public final class Router implements HttpHandler {

    /** Text answers name their type: a filter (e.g. {@link JsonFilter}) may have set another one already. */
    private static final String TEXT = "text/plain; charset=UTF-8";

    private final List<RouteEntry> routes = new CopyOnWriteArrayList<>();
    private final List<Filter> filters = new CopyOnWriteArrayList<>();
    private volatile HttpHandler notFound =
            (request, response) -> response.status(404).contentType(TEXT).send("Not Found");
    /** The routes, most specific first (stable: registration order among equals); rebuilt on registration. */
    private volatile List<RouteEntry> sorted = List.of();
    /** The filter chain ending in dispatch; rebuilt when a filter is added. */
    private volatile HttpHandler chain = this::dispatch;

    /** A registered route: method (upper case), pattern, handler. */
    private record RouteEntry(String method, PathPattern pattern, HttpHandler handler) {
    }

    private Router() {
    }

    /**
     * An empty router: every request is answered 404 until routes are added.
     *
     * @return a new router
     */
    public static Router create() {
        return new Router();
    }

    /**
     * Routes {@code GET} requests for {@code pattern}.
     *
     * @param pattern the path pattern, e.g. {@code /users/{id}}
     * @param handler the handler
     * @return this router
     * @throws IllegalArgumentException for a malformed pattern, or one that matches the same paths as a route
     *         already registered for the method
     */
    public Router get(String pattern, HttpHandler handler) {
        return route("GET", pattern, handler);
    }

    /**
     * Routes {@code POST} requests for {@code pattern}.
     *
     * @param pattern the path pattern
     * @param handler the handler
     * @return this router
     * @throws IllegalArgumentException for a malformed pattern, or one that matches the same paths as a route
     *         already registered for the method
     */
    public Router post(String pattern, HttpHandler handler) {
        return route("POST", pattern, handler);
    }

    /**
     * Routes {@code PUT} requests for {@code pattern}.
     *
     * @param pattern the path pattern
     * @param handler the handler
     * @return this router
     * @throws IllegalArgumentException for a malformed pattern, or one that matches the same paths as a route
     *         already registered for the method
     */
    public Router put(String pattern, HttpHandler handler) {
        return route("PUT", pattern, handler);
    }

    /**
     * Routes {@code DELETE} requests for {@code pattern}.
     *
     * @param pattern the path pattern
     * @param handler the handler
     * @return this router
     * @throws IllegalArgumentException for a malformed pattern, or one that matches the same paths as a route
     *         already registered for the method
     */
    public Router delete(String pattern, HttpHandler handler) {
        return route("DELETE", pattern, handler);
    }

    /**
     * Routes requests with {@code method} (any token, case-insensitive) for {@code pattern}.
     *
     * @param method the HTTP method
     * @param pattern the path pattern
     * @param handler the handler
     * @return this router
     * @throws IllegalArgumentException for a malformed pattern, or one that matches the same paths as a route
     *         already registered for the method
     */
    public Router route(String method, String pattern, HttpHandler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        add(List.of(new RouteEntry(method.toUpperCase(Locale.ROOT), PathPattern.parse(pattern), handler)));
        return this;
    }

    /** Adds routes, all or none: none if one duplicates a route (registered, or earlier in the list). */
    private void add(List<RouteEntry> entries) {
        synchronized (routes) {
            List<RouteEntry> copy = new ArrayList<>(routes);
            for (RouteEntry entry : entries) {
                for (RouteEntry existing : copy) {
                    if (existing.method().equals(entry.method())
                            && existing.pattern().matchesSamePathsAs(entry.pattern())) {
                        throw new IllegalArgumentException(entry.method() + " " + entry.pattern() + " duplicates"
                                + " the route " + existing.method() + " " + existing.pattern() + ", which would"
                                + " always win");
                    }
                }
                copy.add(entry);
            }
            routes.addAll(entries);
            copy.sort(Comparator.comparingInt((RouteEntry r) -> -r.pattern().specificity()));
            sorted = List.copyOf(copy);
        }
    }

    /**
     * Adds a filter around every request (404s and 405s included); filters run in registration order, the
     * first registered outermost.
     *
     * @param filter the filter
     * @return this router
     */
    public Router filter(Filter filter) {
        Objects.requireNonNull(filter, "filter");
        synchronized (filters) {
            filters.add(filter);
            chain = chain(0);
        }
        return this;
    }

    /**
     * Registers the routes of an annotated controller: its public methods annotated {@link Get},
     * {@link Post}, {@link Put}, {@link Delete} or {@link Route}, wrapped in the filters of its
     * {@link Filtered} annotations (see there for the order) and then in {@code filters}.
     *
     * @param controller a plain object with annotated methods
     * @param filters filters around all of this controller's routes, outermost first
     * @return this router
     * @throws IllegalArgumentException if the controller has no routes, a method's parameters or return type
     *         cannot be bound, a non-public method is annotated (the message names the method), or a route
     *         duplicates another; then none of the controller's routes is added
     */
    public Router controller(Object controller, Filter... filters) {
        Objects.requireNonNull(controller, "controller");
        List<ControllerMethod.Binding> bindings = ControllerMethod.scan(controller, List.of(filters));
        if (bindings.isEmpty()) {
            throw new IllegalArgumentException(controller.getClass().getName() + " has no public method annotated"
                    + " @Get, @Post, @Put, @Delete or @Route");
        }
        List<RouteEntry> entries = new ArrayList<>(bindings.size());
        for (ControllerMethod.Binding binding : bindings) {
            entries.add(new RouteEntry(binding.method().toUpperCase(Locale.ROOT), binding.pattern(),
                    binding.handler()));
        }
        add(entries);
        return this;
    }

    /**
     * Answers requests that no route matches. Default: {@code 404} with {@code Not Found}.
     *
     * @param handler the handler for unmatched paths
     * @return this router
     */
    public Router notFound(HttpHandler handler) {
        this.notFound = Objects.requireNonNull(handler, "handler");
        return this;
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        chain.handle(request, response);
    }

    private HttpHandler chain(int index) {
        if (index == filters.size()) {
            return this::dispatch;
        }
        Filter filter = filters.get(index);
        HttpHandler next = chain(index + 1);
        return (request, response) -> filter.handle(request, response, next);
    }

    private void dispatch(HttpRequest request, HttpResponse response) throws Exception {
        String path = request.path();
        String method = request.method();
        RouteEntry best = null;
        Map<String, String> bestParams = null;
        RouteEntry fallback = null;
        Map<String, String> fallbackParams = null;
        TreeSet<String> allowed = null;
        for (RouteEntry route : sorted) {
            Map<String, String> params = route.pattern().match(path);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                best = route;
                bestParams = params;
                break;
            }
            if (fallback == null && method.equals("HEAD") && route.method().equals("GET")) {
                fallback = route;
                fallbackParams = params;
            }
            if (allowed == null) {
                allowed = new TreeSet<>();
            }
            allowed.add(route.method());
        }
        if (best == null && fallback != null) {
            best = fallback;
            bestParams = fallbackParams;
        }
        if (best != null) {
            best.handler().handle(RoutedRequest.of(request, bestParams), response);
        } else if (allowed != null) {
            if (allowed.contains("GET")) {
                allowed.add("HEAD");
            }
            response.status(405).setHeader("Allow", String.join(", ", allowed)).contentType(TEXT)
                    .send("Method Not Allowed");
        } else {
            notFound.handle(request, response);
        }
    }

    @Override
    public String toString() {
        return "Router[" + routes.size() + " routes, " + filters.size() + " filters]";
    }
}
