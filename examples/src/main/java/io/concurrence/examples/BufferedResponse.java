package io.concurrence.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.concurrence.http.HttpResponse;

/**
 * A response that keeps the body its handler sends, so that a filter can rewrite it before sending it on
 * the real response. Status and headers go straight to the real response, which nothing has committed yet.
 */
final class BufferedResponse implements HttpResponse {

    private final HttpResponse response;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean sent;

    BufferedResponse(HttpResponse response) {
        this.response = Objects.requireNonNull(response, "response");
    }

    /** The body the handler sent (or wrote to {@link #outputStream()}), as UTF-8 text. */
    String text() {
        return body.toString(StandardCharsets.UTF_8);
    }

    @Override
    public HttpResponse status(int status) {
        response.status(status);
        return this;
    }

    @Override
    public int status() {
        return response.status();
    }

    @Override
    public HttpResponse header(String name, String value) {
        response.header(name, value);
        return this;
    }

    @Override
    public HttpResponse setHeader(String name, String value) {
        response.setHeader(name, value);
        return this;
    }

    @Override
    public Map<String, List<String>> headers() {
        return response.headers();
    }

    @Override
    public void send(String text) {
        if (response.headers().get("Content-Type") == null) {
            response.contentType("text/plain; charset=UTF-8");
        }
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void send(byte[] bytes) {
        if (sent) {
            throw new IllegalStateException("The response was already sent; send once");
        }
        sent = true;
        body.writeBytes(bytes);
    }

    @Override
    public OutputStream outputStream() {
        sent = true;
        return body;
    }

    @Override
    public boolean isCommitted() {
        return sent;
    }
}
