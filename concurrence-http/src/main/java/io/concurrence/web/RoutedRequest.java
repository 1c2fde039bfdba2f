package io.concurrence.web;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.concurrence.http.HttpRequest;

/** A request with the path parameters its route bound; everything else is the original request's. */
record RoutedRequest(HttpRequest request, Map<String, String> pathParams) implements HttpRequest {

    static HttpRequest of(HttpRequest request, Map<String, String> params) {
        if (params.isEmpty()) {
            return request;
        }
        HttpRequest original = request instanceof RoutedRequest routed ? routed.request() : request;
        return new RoutedRequest(original, Map.copyOf(params));
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public URI uri() {
        return request.uri();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public String version() {
        return request.version();
    }

    @Override
    public Map<String, List<String>> queryParams() {
        return request.queryParams();
    }

    @Override
    public Optional<String> header(String name) {
        return request.header(name);
    }

    @Override
    public Map<String, List<String>> headers() {
        return request.headers();
    }

    @Override
    public InputStream body() {
        return request.body();
    }

    @Override
    public byte[] bodyBytes() {
        return request.bodyBytes();
    }

    @Override
    public String bodyText() {
        return request.bodyText();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return request.remoteAddress();
    }
}
