package io.concurrence.http;

/**
 * Handles one HTTP request: plain blocking code, run in its own tasklet. Read the request, write the
 * response; return when done. Throwing turns into a {@code 500} (or the status of an
 * {@link HttpStatusException}) if nothing has been sent yet; the exception is logged with the request line,
 * and no internals go to the client.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Handles a request.
     *
     * @param request the request
     * @param response where to write the answer
     * @throws Exception anything; see the interface documentation
     */
    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
