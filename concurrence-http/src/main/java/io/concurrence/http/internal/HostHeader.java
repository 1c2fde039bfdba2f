package io.concurrence.http.internal;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The {@code Host} rules of RFC 9112 3.2 for an HTTP/1.x request: an HTTP/1.1 request has exactly one
 * {@code Host} field, an HTTP/1.0 request at most one, and its value is empty or {@code uri-host [":" port]}.
 * Anything else is a {@code 400}: two hosts, or a host that is not one, let a proxy and this server disagree
 * on which site a request is for.
 */
final class HostHeader {

    /** RFC 3986 reg-name, IP-literal and port characters: unreserved, pct-encoded, sub-delims, "[", "]", ":". */
    private static final String ALLOWED_SYMBOLS = "-._~%!$&'()*+,;=[]:";

    private HostHeader() {
    }

    /** Why {@code request}'s {@code Host} is refused, or null if it is acceptable. */
    static @Nullable String problem(HttpRequest request) {
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.isEmpty()) {
            return request.protocolVersion().minorVersion() >= 1 ? "an HTTP/1.1 request without Host" : null;
        }
        if (hosts.size() > 1) {
            return "more than one Host header";
        }
        String host = hosts.get(0);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || ALLOWED_SYMBOLS.indexOf(c) >= 0)) {
                return "a Host header that is not a host (character " + (int) c + ")";
            }
        }
        return null;
    }
}
