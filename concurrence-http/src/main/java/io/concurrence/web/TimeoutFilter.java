package io.concurrence.web;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.concurrence.Timeout;
import io.concurrence.TimeoutException;
import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;

/**
 * The seed's {@code TimeoutFilter}: runs the rest of the chain under an ambient {@link Timeout}, so that
 * every blocking call the handler makes (SQL, HTTP, channels, calls) honours the request's deadline. The
 * deadline is the client's {@code Timeout} request header (seconds, as in the seed) when present and
 * tighter, else the filter's own. A handler that times out before sending anything is answered
 * {@code 503 Service Unavailable}.
 *
 * @since 0.1
 */
public final class TimeoutFilter implements Filter {

    /** The request header a client sets to bound its request, in seconds (decimals allowed). */
    public static final String HEADER = "Timeout";

    private final @Nullable Duration limit;

    /** A filter that applies the client's {@code Timeout} header only (no limit of its own). */
    public TimeoutFilter() {
        this.limit = null;
    }

    /**
     * A filter with a limit of its own, tightened by the client's {@code Timeout} header.
     *
     * @param limit the longest a request may take
     */
    public TimeoutFilter(Duration limit) {
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception {
        Duration deadline = tighter(limit, fromHeader(request));
        if (deadline == null) {
            next.handle(request, response);
            return;
        }
        try (Timeout ignored = Timeout.push(deadline)) {
            next.handle(request, response);
        } catch (TimeoutException e) {
            if (response.isCommitted()) {
                throw e;
            }
            response.status(503).contentType("text/plain; charset=UTF-8")
                    .send("Service Unavailable: the request timed out");
        }
    }

    private static @Nullable Duration fromHeader(HttpRequest request) {
        Optional<String> header = request.header(HEADER);
        if (header.isEmpty()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(header.get().trim());
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                return null;
            }
            return Duration.ofNanos((long) (seconds * 1e9));
        } catch (NumberFormatException ignored) {
            return null;
        }
    }

    private static @Nullable Duration tighter(@Nullable Duration a, @Nullable Duration b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }
}
