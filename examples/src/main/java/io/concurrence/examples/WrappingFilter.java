package io.concurrence.examples;

import java.nio.charset.StandardCharsets;

import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.web.Filter;

/**
 * A filter that wraps the HTML the rest of its chain sends, as the seed's filters wrapped the string an
 * action returned: the chain sends into a {@link BufferedResponse}, then the filter sends the wrapped text.
 * An exception from the chain passes through unwrapped (the server answers it).
 */
abstract class WrappingFilter implements Filter {

    /**
     * Wraps what the chain sent.
     *
     * @param html the chain's body
     * @return the body to send instead
     */
    abstract String wrap(String html);

    @Override
    public final void handle(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception {
        BufferedResponse inner = new BufferedResponse(response);
        next.handle(request, inner);
        response.send(wrap(inner.text()).getBytes(StandardCharsets.UTF_8));
    }
}
