package io.concurrence.web;

import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;

/**
 * Wraps the handling of a request: do something before, call {@code next} (or answer without calling it),
 * do something after. Registered with {@link Router#filter(Filter)} (around every request, including those
 * answered 404 or 405), on a controller, or on a controller method ({@link Filtered}).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Filter {

    /**
     * Handles a request, usually by calling {@code next.handle(request, response)}.
     *
     * @param request the request
     * @param response the response
     * @param next the rest of the chain
     * @throws Exception anything; it propagates to the filters further out, then to the server
     */
    void handle(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception;
}
