package io.concurrence.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.concurrence.TimeoutException;
import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpStatusException;

/**
 * The seed's {@code JSONFilter}: answers {@code application/json}, and turns an exception into a JSON error
 * object {@code {"status": 500, "error": "Internal Server Error"}} with the status of an
 * {@link HttpStatusException} and its message, or 500 with no internals (the exception is logged, never
 * sent: no stack traces in error bodies). Needs Jackson.
 *
 * @since 0.1
 */
public final class JsonFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(JsonFilter.class);

    /**
     * Creates the filter.
     *
     * @throws IllegalStateException if Jackson is not on the class path
     */
    public JsonFilter() {
        if (!Json.isAvailable()) {
            throw new IllegalStateException("JsonFilter needs Jackson (tools.jackson.core:jackson-databind) on the"
                    + " class path");
        }
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception {
        if (!response.isCommitted()) {
            response.contentType("application/json");
        }
        try {
            next.handle(request, response);
        } catch (HttpStatusException e) {
            sendError(response, e.status(), String.valueOf(e.getMessage()), e);
        } catch (TimeoutException e) {
            sendError(response, 503, "Service Unavailable: the request timed out", e);
        } catch (Exception e) {
            LOG.error("[{} {}] handler failed", request.method(), request.uri(), e);
            sendError(response, 500, "Internal Server Error", e);
        }
    }

    private static void sendError(HttpResponse response, int status, String message, Exception e) throws Exception {
        if (response.isCommitted()) {
            throw e;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status);
        error.put("error", message);
        response.status(status).contentType("application/json").send(Json.write(error));
    }
}
