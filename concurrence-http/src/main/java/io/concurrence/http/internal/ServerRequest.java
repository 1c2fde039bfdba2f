package io.concurrence.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerRequest;

import io.concurrence.TimeoutException;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpStatusException;
import io.concurrence.internal.Deadlines;
import io.concurrence.reactor.internal.ByteBufInputStream;
import io.concurrence.reactor.internal.TransportErrors;

/**
 * The server's {@link HttpRequest}: a view of Reactor Netty's request, decoding lazily. Used by the
 * handler's tasklet only.
 */
final class ServerRequest implements HttpRequest {

    /** Body buffers requested ahead of the handler (Netty reads up to 64 KiB at a time). */
    private static final int BODY_PREFETCH = 4;

    private final HttpServerRequest netty;
    private final ServerConfig config;
    private final QueryStringDecoder target;
    private @Nullable URI uri;
    private @Nullable Map<String, List<String>> headers;
    /** The body stream once opened; null before. */
    private @Nullable ByteBufInputStream body;
    /** Whether the body was read whole (bodyBytes/bodyText). */
    private boolean bodyConsumedWhole;
    /** Set (on the event loop) when the connection failed while the body was arriving. */
    private volatile boolean bodyCut;

    /**
     * @throws IllegalArgumentException if the request target cannot be decoded (the exchange answers 400)
     */
    ServerRequest(HttpServerRequest netty, ServerConfig config) {
        this.netty = netty;
        this.config = config;
        String raw = netty.uri();
        checkTarget(raw);
        checkForm(netty.method().name(), raw);
        this.target = decodeTarget(raw);
        target.path(); // decodes now: malformed percent-encoding fails here, before the handler runs
    }

    /**
     * Accepts only the characters RFC 3986 allows in a request target (so that {@link #uri()} cannot fail
     * later), and well-formed percent-escapes.
     */
    private static void checkTarget(String raw) {
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("empty request target");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("malformed percent-escape in the request target");
                }
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~:/?#[]@!$&'()*+,;=".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("character " + (int) c + " is not allowed in a request target");
            }
        }
    }

    /**
     * Accepts the four forms of RFC 9112 3.2: origin-form ({@code /path?query}), absolute-form with a host,
     * asterisk-form for {@code OPTIONS} only, and authority-form for {@code CONNECT} only (its handler decides).
     */
    private static void checkForm(String method, String raw) {
        if (raw.startsWith("/") || method.equals("CONNECT")) {
            return;
        }
        if (raw.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw new IllegalArgumentException("the asterisk-form request target is for OPTIONS only");
            }
            return;
        }
        if (raw.startsWith("http://") || raw.startsWith("https://")) {
            if (URI.create(raw).getHost() == null) {
                throw new IllegalArgumentException("an absolute-form request target without a valid host");
            }
            return;
        }
        throw new IllegalArgumentException("a request target that is neither a path nor an absolute URI");
    }

    private static QueryStringDecoder decodeTarget(String raw) {
        if (raw.startsWith("http://") || raw.startsWith("https://")) { // absolute-form (RFC 9112 3.2.2)
            URI absolute = URI.create(raw);
            String rawPath = absolute.getRawPath();
            String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
            return new QueryStringDecoder(absolute.getRawQuery() == null ? path : path + "?" + absolute.getRawQuery());
        }
        return new QueryStringDecoder(raw);
    }

    @Override
    public String method() {
        return netty.method().name();
    }

    @Override
    public URI uri() {
        URI value = uri;
        if (value == null) {
            value = URI.create(target.uri());
            uri = value;
        }
        return value;
    }

    @Override
    public String path() {
        return target.path();
    }

    @Override
    public String version() {
        return netty.version().text();
    }

    @Override
    public Map<String, List<String>> queryParams() {
        return target.parameters();
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(netty.requestHeaders().get(name));
    }

    @Override
    public Map<String, List<String>> headers() {
        Map<String, List<String>> view = headers;
        if (view == null) {
            Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, String> entry : netty.requestHeaders()) {
                map.computeIfAbsent(entry.getKey(), k -> new ArrayList<>(1)).add(entry.getValue());
            }
            view = Collections.unmodifiableMap(map);
            headers = view;
        }
        return view;
    }

    @Override
    public InputStream body() {
        if (bodyConsumedWhole) {
            throw new IllegalStateException("The body was already read whole (bodyBytes/bodyText); it can be read"
                    + " only once");
        }
        return openBody(config.maxStreamedBodySize());
    }

    @Override
    public byte[] bodyBytes() {
        if (body != null) {
            throw new IllegalStateException("The body was already opened as a stream (body()); it can be read"
                    + " only once");
        }
        long declared = declaredLength();
        long max = config.maxRequestBodySize();
        if (declared > max) {
            throw tooLarge(max);
        }
        bodyConsumedWhole = true;
        ByteBufInputStream in = openBody(max);
        ByteArrayOutputStream all = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        byte[] chunk = new byte[8192];
        try (in) {
            for (int n; (n = in.read(chunk, 0, chunk.length)) >= 0; ) {
                all.write(chunk, 0, n);
            }
        }
        return all.toByteArray();
    }

    @Override
    public String bodyText() {
        return new String(bodyBytes(), charset());
    }

    @Override
    public InetSocketAddress remoteAddress() {
        InetSocketAddress address = netty.remoteAddress();
        return address != null ? address : InetSocketAddress.createUnresolved("unknown", 0);
    }

    /** Discards the body if the handler opened it and did not read it to the end. */
    void closeBody() {
        ByteBufInputStream in = body;
        if (in != null) {
            in.close();
        }
    }

    HttpHeaders nettyHeaders() {
        return netty.requestHeaders();
    }

    String requestLine() {
        return method() + " " + netty.uri() + " " + version();
    }

    private ByteBufInputStream openBody(long limit) {
        ByteBufInputStream in = body;
        if (in == null) {
            Channel[] channel = new Channel[1];
            netty.withConnection(connection -> channel[0] = connection.channel());
            in = new ByteBufInputStream(Http2BodyDemand.of(netty.receive().retain().onErrorMap(this::bodyFailure),
                    channel[0]), BODY_PREFETCH,
                    "HttpRequest body read", limit, ServerRequest::tooLarge);
            body = in;
        }
        return in;
    }

    /** Whether the body stopped arriving because its connection failed (then nothing can be answered). */
    boolean bodyCut() {
        return bodyCut;
    }

    /**
     * What a body read throws when the connection fails under it: {@link TimeoutException} when the request did
     * not arrive within {@code requestTimeout}, {@link UncheckedIOException} when the client went away (rather
     * than Reactor Netty's own exception types).
     */
    private Throwable bodyFailure(Throwable failure) {
        bodyCut = true;
        // Reactor Netty's RequestTimeoutException is package-private: recognised by name.
        if (failure.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException")) {
            TimeoutException timeout = new TimeoutException("HttpRequest body read: the request did not arrive"
                    + " whole within requestTimeout (" + Deadlines.format(config.requestTimeout())
                    + "); its connection is closed");
            timeout.initCause(failure);
            return timeout;
        }
        if (failure instanceof AbortedException) {
            SocketException closed = new SocketException("Connection closed by the client: " + failure.getMessage());
            closed.initCause(failure);
            return new UncheckedIOException("HttpRequest body read: the client closed the connection", closed);
        }
        return TransportErrors.translate("HttpRequest body read", failure);
    }

    /** The declared {@code Content-Length}, or -1 (Netty's decoder has rejected malformed values). */
    private long declaredLength() {
        String value = netty.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static HttpStatusException tooLarge(long max) {
        return new HttpStatusException(413, "Request body larger than " + max + " bytes");
    }

    private Charset charset() {
        String contentType = netty.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
        return contentType == null ? StandardCharsets.UTF_8 : HttpUtil.getCharset(contentType, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "HttpRequest[" + requestLine() + "]";
    }
}
