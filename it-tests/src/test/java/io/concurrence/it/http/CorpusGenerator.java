package io.concurrence.it.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the hostile-request corpus of {@link CorpusTest}: one file per request, raw bytes exactly as sent,
 * named {@code <expected status>-<what>.req} ({@code 000}: the server closes the connection without answering).
 * The files are the data; this program only makes them. JDK only, so that it runs as a source file:
 * {@code java it-tests/src/test/java/io/concurrence/it/http/CorpusGenerator.java
 * it-tests/src/test/resources/http/corpus}. It deletes the {@code .req} files there first. The limits it
 * writes against are {@link CorpusTest}'s server's: request line 1 KiB, headers 2 KiB, body 4 KiB.
 */
final class CorpusGenerator {

    /** The status for "the connection is closed without a response". */
    static final int CLOSED = 0;
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final String HOST = "Host: localhost\r\n";

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    private CorpusGenerator() {
    }

    /** Writes the corpus into the directory given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CorpusGenerator <corpus directory>");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) {
            for (Path file : old.filter(f -> f.toString().endsWith(".req")).toList()) {
                Files.delete(file);
            }
        }
        CorpusGenerator corpus = new CorpusGenerator();
        corpus.generate();
        for (Map.Entry<String, byte[]> file : corpus.files.entrySet()) {
            Files.write(dir.resolve(file.getKey()), file.getValue());
        }
        System.out.println(corpus.files.size() + " files written to " + dir);
    }

    private void generate() {
        valid();
        requestLines();
        methods();
        versions();
        targets();
        percentEncoding();
        headerSyntax();
        folding();
        injection();
        hostHeaders();
        oversize();
        contentLength();
        chunked();
        transferEncoding();
        smuggling();
        incomplete();
        expectAndUpgrade();
    }

    // ---- the cases ----

    private void valid() {
        add(200, "valid-get", "GET / HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "valid-http10-without-host", "GET / HTTP/1.0\r\n\r\n");
        add(200, "valid-post-with-length", post("Content-Length: 5") + "hello");
        add(200, "valid-post-chunked", post("Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n");
        add(200, "valid-leading-empty-lines-are-skipped-rfc9112-2.2", "\r\n\r\nGET / HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "valid-body-at-the-limit", post("Content-Length: 4096") + "x".repeat(4096));
        add(200, "valid-headers-near-the-limit", get("X-Big: " + "v".repeat(1800)));
        add(200, "valid-request-line-near-the-limit", "GET /" + "a".repeat(900) + " HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "valid-query", "GET /p?a=1&b=two&c=%20x HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "valid-utf8-percent-encoded-path", "GET /%C3%A9t%C3%A9 HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "valid-empty-header-value", get("X-Empty:"));
        add(200, "valid-header-value-with-tab", get("X-Tab: a\tb"));
        add(200, "valid-header-value-with-obs-text", get("X-Latin: caf\u00e9"));
        add(200, "valid-ows-around-value", get("X-Ows: \t value \t"));
        add(200, "valid-many-small-headers-under-the-limit", get(headers(60, "X-H", "v")));
        add(200, "valid-head", "HEAD / HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "valid-connection-close", get("Connection: close"));
        add(200, "valid-http10-keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        add(200, "valid-content-length-zero", post("Content-Length: 0"));
        add(200, "valid-content-length-leading-zeros", post("Content-Length: 005") + "hello");
        add(200, "valid-content-length-trailing-ows", post("Content-Length: 5 ") + "hello");
        add(200, "valid-chunk-extension", post("Transfer-Encoding: chunked") + "5;name=value\r\nhello\r\n0\r\n\r\n");
        add(200, "valid-chunk-extension-quoted", post("Transfer-Encoding: chunked")
                + "5;name=\"v a l\"\r\nhello\r\n0\r\n\r\n");
        add(200, "valid-chunk-size-uppercase-hex", post("Transfer-Encoding: chunked") + "A\r\n0123456789\r\n0\r\n\r\n");
        add(200, "valid-chunk-size-leading-zeros", post("Transfer-Encoding: chunked") + "0005\r\nhello\r\n0\r\n\r\n");
        add(200, "valid-trailer", post("Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n");
        add(200, "valid-many-small-chunks", post("Transfer-Encoding: chunked") + "1\r\nx\r\n".repeat(200)
                + "0\r\n\r\n");
        add(200, "valid-pipelined-two", get("X-A: 1") + get("X-B: 2"));
    }

    private void requestLines() {
        add(400, "line-garbage", "HELLO\r\n\r\n");
        add(400, "line-only-method", "GET\r\n\r\n");
        add(400, "line-no-version", "GET /\r\n" + HOST + "\r\n");
        add(400, "line-no-target", "GET HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-no-method", " / HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-extra-token", "GET / HTTP/1.1 extra\r\n" + HOST + "\r\n");
        add(400, "line-space-in-target", "GET /a b HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-target-with-http-in-middle", "GET /a HTTP/1.1 /b HTTP/1.1\r\n" + HOST + "\r\n");
        // RFC 9112 3: a recipient MAY split the request line on any whitespace (HTAB, VT, FF too).
        add(200, "line-tab-separated-rfc9112-3", "GET\t/\tHTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-nul-in-method", "GE\0T / HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-nul-in-target", "GET /a\0b HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-nul-in-version", "GET / HTTP/1.\0\r\n" + HOST + "\r\n");
        add(400, "line-nul-first-byte", "\0GET / HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-cr-in-target", "GET /a\rb HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-bare-cr-ending", "GET / HTTP/1.1\r" + HOST + "\r\n");
        add(400, "line-bare-lf-ending", "GET / HTTP/1.1\n" + HOST + "\r\n");
        add(400, "line-bare-lf-everywhere", "GET / HTTP/1.1\nHost: localhost\n\n");
        add(400, "line-control-char-in-target", "GET /a\u0001b HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-del-in-target", "GET /a\u007fb HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-escape-in-target", "GET /a\u001b[31mb HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-non-ascii-in-target", "GET /caf\u00e9 HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-high-byte-in-target", "GET /\u00ff\u00fe HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-quote-in-target", "GET /a\"b HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-angle-brackets-in-target", "GET /<script> HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-backslash-in-target", "GET /a\\b HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-curly-braces-in-target", "GET /{x} HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-pipe-in-target", "GET /a|b HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-caret-in-target", "GET /a^b HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-backtick-in-target", "GET /a`b HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-binary-garbage", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n");
        add(400, "line-tls-client-hello-on-plain-port", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1"
                + "\u0003\u0003" + "\u0000".repeat(40) + "\r\n\r\n");
        add(400, "line-header-without-request-line", HOST + "\r\n");
        add(400, "line-only-version", "HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "line-response-line-as-request", "HTTP/1.1 200 OK\r\n" + HOST + "\r\n");
    }

    private void methods() {
        String[] bad = {"G(ET", "G)ET", "G<ET", "G>ET", "G@ET", "G,ET", "G;ET", "G:ET", "G\\ET", "G\"ET", "G/ET",
            "G[ET", "G]ET", "G?ET", "G=ET", "G{ET", "G}ET", "GE\u0001T", "GE\u007fT", "G\u00e9T", "\u00ffGET"};
        String[] names = {"paren-open", "paren-close", "less-than", "greater-than", "at", "comma", "semicolon",
            "colon", "backslash", "quote", "slash", "bracket-open", "bracket-close", "question", "equals",
            "brace-open", "brace-close", "control", "del", "non-ascii", "high-byte-first"};
        for (int i = 0; i < bad.length; i++) {
            add(400, "method-with-" + names[i], bad[i] + " / HTTP/1.1\r\n" + HOST + "\r\n");
        }
        // RFC 9110 9.1: a method is any token; the server passes unknown ones to the handler (which may 405).
        add(200, "method-unknown-token-reaches-handler", "BREW / HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "method-token-with-symbols", "M-SEARCH!#$%&'*+.^_`|~ / HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "method-lowercase-is-another-method", "get / HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "method-options", "OPTIONS / HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "method-delete-with-body", "DELETE / HTTP/1.1\r\n" + HOST + "Content-Length: 2\r\n\r\nab");
        add(414, "method-very-long", "X".repeat(2000) + " / HTTP/1.1\r\n" + HOST + "\r\n");
    }

    private void versions() {
        add(505, "version-http-2.0", "GET / HTTP/2.0\r\n" + HOST + "\r\n");
        add(505, "version-http-3.0", "GET / HTTP/3.0\r\n" + HOST + "\r\n");
        add(505, "version-http-9.9", "GET / HTTP/9.9\r\n" + HOST + "\r\n");
        add(505, "version-http-0.9", "GET / HTTP/0.9\r\n" + HOST + "\r\n");
        add(400, "version-http-1", "GET / HTTP/1\r\n" + HOST + "\r\n");
        add(400, "version-http-1.1.1", "GET / HTTP/1.1.1\r\n" + HOST + "\r\n");
        add(400, "version-http-01.1", "GET / HTTP/01.1\r\n" + HOST + "\r\n");
        add(400, "version-http-1.10", "GET / HTTP/1.10\r\n" + HOST + "\r\n");
        add(400, "version-http-a.b", "GET / HTTP/a.b\r\n" + HOST + "\r\n");
        add(400, "version-http-minus-1.1", "GET / HTTP/-1.1\r\n" + HOST + "\r\n");
        // Netty reads the protocol name without regard to case: lenient, and harmless (no framing depends on it).
        add(200, "version-lowercase-http-is-read-as-http", "GET / http/1.1\r\n" + HOST + "\r\n");
        add(400, "version-https", "GET / HTTPS/1.1\r\n" + HOST + "\r\n");
        add(400, "version-foo-protocol", "GET / FOO/1.1\r\n" + HOST + "\r\n");
        add(400, "version-no-slash", "GET / HTTP1.1\r\n" + HOST + "\r\n");
        add(400, "version-space-in-version", "GET / HTTP/ 1.1\r\n" + HOST + "\r\n");
        add(400, "version-huge-number", "GET / HTTP/99999999999999999999.1\r\n" + HOST + "\r\n");
        // A higher minor version is answered in the highest one the server speaks (RFC 9110 2.5).
        add(200, "version-http-1.2-is-answered-as-1.1", "GET / HTTP/1.2\r\n" + HOST + "\r\n");
    }

    private void targets() {
        // RFC 9112 3.2.2: a server MUST accept the absolute form; the path is what the handler sees.
        add(200, "target-absolute-form", "GET http://localhost/a?b=c HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "target-absolute-form-other-host", "GET http://evil.example/a HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "target-absolute-form-https", "GET https://localhost/a HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "target-absolute-form-no-path", "GET http://localhost HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "target-absolute-form-with-port", "GET http://localhost:8080/a HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "target-absolute-form-bad-port", "GET http://localhost:port/a HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "target-absolute-form-unclosed-ipv6", "GET http://[::1/a HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "target-absolute-form-bad-escape", "GET http://localhost/%zz HTTP/1.1\r\n" + HOST + "\r\n");
        // RFC 9112 3.2.4: asterisk-form is for OPTIONS only.
        add(200, "target-asterisk-form-options", "OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "target-asterisk-form-with-get", "GET * HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "target-relative-without-slash", "GET a/b HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "target-authority-form-with-get", "GET localhost:80 HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "target-query-only", "GET ?a=b HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "target-fragment-only", "GET #frag HTTP/1.1\r\n" + HOST + "\r\n");
        // "//evil.example/a" is an absolute-path whose first segment is empty: the handler sees that path.
        add(200, "target-scheme-relative-looking-is-a-path", "GET //evil.example/a HTTP/1.1\r\n" + HOST + "\r\n");
        // Dot segments and fragments are the handler's business: not a protocol error.
        add(200, "target-dot-segments", "GET /a/../../../etc/passwd HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "target-encoded-dot-segments", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "target-many-slashes", "GET /////a HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "target-fragment", "GET /a#frag HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "target-empty-query", "GET /a? HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "target-many-query-parameters", "GET /a?" + "p=1&".repeat(200) + " HTTP/1.1\r\n" + HOST + "\r\n");
    }

    private void percentEncoding() {
        String[][] bad = {{"lone-percent", "%"}, {"one-hex-digit", "%2"}, {"non-hex", "%zz"}, {"half-hex", "%g0"},
            {"double-percent", "%%"}, {"percent-at-end-after-char", "a%"}, {"unicode-style", "%u0041"},
            {"percent-space-escape", "%%20"}, {"hex-then-non-hex", "%2x"}, {"percent-minus", "%-1"}};
        for (String[] b : bad) {
            add(400, "percent-path-" + b[0], "GET /p" + b[1] + " HTTP/1.1\r\n" + HOST + "\r\n");
            add(400, "percent-query-" + b[0], "GET /p?q=" + b[1] + " HTTP/1.1\r\n" + HOST + "\r\n");
        }
        add(400, "percent-query-name-non-hex", "GET /p?%zz=1 HTTP/1.1\r\n" + HOST + "\r\n");
        // Well-formed escapes of odd bytes decode; what they mean is the handler's business.
        add(200, "percent-encoded-nul", "GET /a%00b HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "percent-encoded-crlf", "GET /a%0d%0aSet-Cookie:%20evil HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "percent-encoded-crlf-in-query", "GET /a?x=%0d%0aSet-Cookie:%20evil HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "percent-overlong-utf8-slash", "GET /%c0%af HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "percent-invalid-utf8", "GET /%ff%fe HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "percent-lowercase-hex", "GET /%2f%3a HTTP/1.1\r\n" + HOST + "\r\n");
        add(200, "percent-double-encoded", "GET /%252e%252e HTTP/1.1\r\n" + HOST + "\r\n");
    }

    private void headerSyntax() {
        add(400, "header-without-colon", get("X-No-Colon value"));
        add(400, "header-space-before-colon", get("X-Space : value"));
        add(400, "header-tab-before-colon", get("X-Tab\t: value"));
        add(400, "header-empty-name", get(": value"));
        add(400, "header-space-in-name", get("X Name: value"));
        add(400, "header-name-with-paren", get("Bad(Name: value"));
        add(400, "header-name-with-slash", get("Bad/Name: value"));
        add(400, "header-name-with-at", get("Bad@Name: value"));
        add(400, "header-name-with-brace", get("Bad{Name: value"));
        add(400, "header-name-with-quote", get("Bad\"Name: value"));
        add(400, "header-name-with-equals", get("Bad=Name: value"));
        add(400, "header-name-with-control", get("Bad\u0001Name: value"));
        add(400, "header-name-with-del", get("Bad\u007fName: value"));
        add(400, "header-name-non-ascii", get("B\u00e4d: value"));
        add(400, "header-line-starting-with-space-after-request-line", "GET / HTTP/1.1\r\n " + HOST + "\r\n");
        add(400, "header-line-starting-with-tab-after-request-line", "GET / HTTP/1.1\r\n\t" + HOST + "\r\n");
        add(400, "header-bare-lf-ending", "GET / HTTP/1.1\r\nHost: localhost\nX: y\r\n\r\n");
        add(400, "header-bare-cr-ending", "GET / HTTP/1.1\r\nHost: localhost\rX: y\r\n\r\n");
        add(400, "header-lf-cr-ending", "GET / HTTP/1.1\r\nHost: localhost\n\r\n\r");
        add(400, "header-value-with-control", get("X: a\u0001b"));
        add(400, "header-value-with-escape", get("X: a\u001bb"));
        add(400, "header-value-with-del", get("X: a\u007fb"));
        add(400, "header-value-with-vertical-tab", get("X: a\u000bb"));
        add(400, "header-value-with-form-feed", get("X: a\u000cb"));
        add(400, "header-colon-only", get(":"));
        // A name that is a token with unusual characters is fine.
        add(200, "header-name-token-symbols", get("X-!#$%&'*+.^_`|~: v"));
        add(200, "header-name-with-underscore", get("X_Under_Score: v"));
        add(200, "header-value-with-colons", get("X: a:b:c"));
        add(200, "header-duplicate-ordinary", get("X-Dup: 1\r\nX-Dup: 2"));
    }

    private void folding() {
        // RFC 9112 5.2: obs-fold outside message/http: a server MUST reject it (400) or replace it with SP.
        // Netty replaces it in ordinary fields (200); in the framing fields, and before any field, it is a 400.
        add(200, "fold-space-is-replaced-by-sp", get("X-Folded: a\r\n b"));
        add(200, "fold-tab-is-replaced-by-sp", get("X-Folded: a\r\n\tb"));
        add(400, "fold-into-host", "GET / HTTP/1.1\r\nHost:\r\n localhost\r\n\r\n");
        add(400, "fold-into-content-length", post("Content-Length:\r\n 5") + "hello");
        add(400, "fold-into-transfer-encoding", post("Transfer-Encoding:\r\n chunked") + "0\r\n\r\n" + SMUGGLED);
        add(400, "fold-transfer-encoding-value", post("Transfer-Encoding: identity\r\n chunked") + "0\r\n\r\n"
                + SMUGGLED);
        add(200, "fold-many-lines-are-replaced-by-sp", get("X-Folded: a" + "\r\n b".repeat(20)));
        add(400, "fold-first-header", "GET / HTTP/1.1\r\n folded\r\n" + HOST + "\r\n");
    }

    private void injection() {
        add(400, "inject-nul-in-header-value", get("X: a\0b"));
        add(400, "inject-nul-in-header-name", get("X\0Y: b"));
        add(400, "inject-cr-in-header-value", get("X: a\rb"));
        add(400, "inject-cr-in-header-name", get("X\rY: b"));
        add(400, "inject-lf-in-header-name", get("X\nY: b"));
        add(400, "inject-cr-lf-cr-in-value", get("X: a\r\r\nY: b"));
        add(400, "inject-nul-after-colon", get("X:\0b"));
        add(400, "inject-nul-in-host", "GET / HTTP/1.1\r\nHost: local\0host\r\n\r\n");
        add(400, "inject-cr-in-content-length", post("Content-Length: 5\r0") + "hello");
        add(400, "inject-nul-in-transfer-encoding", post("Transfer-Encoding: chunked\0") + "0\r\n\r\n" + SMUGGLED);
        add(400, "inject-nul-in-chunk-size", post("Transfer-Encoding: chunked") + "5\0\r\nhello\r\n0\r\n\r\n");
        add(400, "inject-cr-in-chunk-size", post("Transfer-Encoding: chunked") + "5\r\r\nhello\r\n0\r\n\r\n");
        add(400, "inject-crlf-in-method", "GE\r\nT / HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "inject-lf-in-target", "GET /a\nb HTTP/1.1\r\n" + HOST + "\r\n");
        add(400, "inject-crlf-in-target", "GET /a\r\nX: y HTTP/1.1\r\n" + HOST + "\r\n");
    }

    private void hostHeaders() {
        // RFC 9112 3.2: a server MUST answer 400 to an HTTP/1.1 request without Host, or with more than one.
        add(400, "host-missing-http11", "GET / HTTP/1.1\r\n\r\n");
        add(400, "host-duplicate", "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n");
        add(400, "host-duplicate-same", "GET / HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n");
        add(400, "host-list", "GET / HTTP/1.1\r\nHost: localhost, evil.example\r\n\r\n");
        add(400, "host-with-space", "GET / HTTP/1.1\r\nHost: local host\r\n\r\n");
        add(400, "host-with-slash", "GET / HTTP/1.1\r\nHost: localhost/evil\r\n\r\n");
        add(400, "host-with-at", "GET / HTTP/1.1\r\nHost: user@localhost\r\n\r\n");
        add(200, "host-empty-is-allowed-rfc9110-7.2", "GET / HTTP/1.1\r\nHost:\r\n\r\n");
        add(200, "host-with-port", "GET / HTTP/1.1\r\nHost: localhost:8080\r\n\r\n");
        add(200, "host-ipv6", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
        add(200, "host-uppercase", "GET / HTTP/1.1\r\nHOST: LOCALHOST\r\n\r\n");
    }

    private void oversize() {
        add(414, "oversize-request-line", "GET /" + "a".repeat(2000) + " HTTP/1.1\r\n" + HOST + "\r\n");
        add(414, "oversize-request-line-query", "GET /?" + "a=b&".repeat(500) + " HTTP/1.1\r\n" + HOST + "\r\n");
        add(414, "oversize-request-line-huge", "GET /" + "a".repeat(100_000) + " HTTP/1.1\r\n" + HOST + "\r\n");
        add(431, "oversize-one-header-value", get("X-Big: " + "v".repeat(3000)));
        add(431, "oversize-one-header-name", get("X-" + "n".repeat(3000) + ": v"));
        add(431, "oversize-headers-total", get(headers(40, "X-Medium", "v".repeat(60))));
        add(431, "oversize-many-headers-1000", get(headers(1000, "X-H", "v")));
        add(431, "oversize-many-headers-10000", get(headers(10_000, "X", "")));
        add(431, "oversize-many-empty-lines-as-header", get(headers(1000, "A", "")));
        add(431, "oversize-huge-cookie", get("Cookie: " + "c=v; ".repeat(1000)));
        add(431, "oversize-trailers", post("Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n"
                + headers(1000, "X-Trailer", "v") + "\r\n");
        add(413, "oversize-body-content-length", post("Content-Length: 5000") + "x".repeat(5000));
        add(413, "oversize-body-announced-only", post("Content-Length: 1000000000"));
        add(413, "oversize-body-announced-max-long", post("Content-Length: 9223372036854775807"));
        add(413, "oversize-body-chunked", post("Transfer-Encoding: chunked") + "1000\r\n" + "x".repeat(4096)
                + "\r\n1000\r\n" + "x".repeat(4096) + "\r\n0\r\n\r\n");
        add(413, "oversize-body-one-huge-chunk-announced", post("Transfer-Encoding: chunked") + "100000\r\n"
                + "x".repeat(8192));
        add(413, "oversize-body-many-chunks", post("Transfer-Encoding: chunked") + "10\r\n0123456789abcdef\r\n"
                .repeat(300) + "0\r\n\r\n");
        add(400, "oversize-content-length-overflow", post("Content-Length: 99999999999999999999") + "x");
        add(400, "oversize-content-length-long-overflow", post("Content-Length: 9223372036854775808") + "x");
    }

    private void contentLength() {
        String[][] bad = {{"negative", "-1"}, {"signed", "+5"}, {"hex", "0x5"}, {"letters", "5a"}, {"empty", ""},
            {"decimal", "5.0"}, {"exponent", "5e0"}, {"space-inside", "5 5"}, {"list", "5, 5"},
            {"list-different", "5, 6"}, {"comma-trailing", "5,"}, {"comma-leading", ",5"}, {"word", "five"},
            {"unicode-digit", "\u00b5"}, {"tab-inside", "5\t5"}};
        for (String[] b : bad) {
            add(400, "content-length-" + b[0], post("Content-Length: " + b[1]) + "hello" + SMUGGLED);
        }
        add(400, "content-length-duplicate-same", post("Content-Length: 5\r\nContent-Length: 5") + "hello"
                + SMUGGLED);
        add(400, "content-length-duplicate-different", post("Content-Length: 5\r\nContent-Length: 6") + "hello!"
                + SMUGGLED);
        add(400, "content-length-duplicate-case", post("Content-Length: 5\r\ncontent-length: 50") + "hello"
                + SMUGGLED);
        add(400, "content-length-duplicate-zero-and-five", post("Content-Length: 0\r\nContent-Length: 5") + "hello"
                + SMUGGLED);
        add(200, "content-length-on-get-is-a-body", "GET / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n\r\nhello");
    }

    private void chunked() {
        String te = "Transfer-Encoding: chunked";
        String[][] badSizes = {{"non-hex", "zz"}, {"negative", "-1"}, {"hex-prefix", "0x5"}, {"empty", ""},
            {"space-before", " 5"}, {"overflow", "ffffffffffffffffffff"}, {"long-overflow", "8000000000000000"},
            {"plus", "+5"}, {"decimal-point", "5.0"}, {"underscore", "5_0"}};
        for (String[] b : badSizes) {
            add(400, "chunk-size-" + b[0], post(te) + b[1] + "\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
        }
        add(400, "chunk-data-longer-than-size", post(te) + "3\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
        add(400, "chunk-data-missing-crlf", post(te) + "5\r\nhello0\r\n\r\n" + SMUGGLED);
        add(400, "chunk-data-bare-lf-after", post(te) + "5\r\nhello\n0\r\n\r\n" + SMUGGLED);
        add(400, "chunk-size-bare-lf", post(te) + "5\nhello\r\n0\r\n\r\n" + SMUGGLED);
        add(400, "chunk-size-bare-cr", post(te) + "5\rhello\r\n0\r\n\r\n" + SMUGGLED);
        add(400, "chunk-extension-with-control", post(te) + "5;a=\u0001\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
        add(400, "chunk-extension-with-nul", post(te) + "5;a\0b\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
        add(400, "chunk-extension-with-bare-lf", post(te) + "5;a\nb\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
        add(400, "chunk-extension-without-semicolon", post(te) + "5 ext\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
        add(400, "chunk-last-with-data", post(te) + "0\r\nhello\r\n\r\n" + SMUGGLED);
        add(400, "chunk-trailer-without-colon", post(te) + "5\r\nhello\r\n0\r\nbad trailer\r\n\r\n" + SMUGGLED);
        add(400, "chunk-trailer-with-nul", post(te) + "5\r\nhello\r\n0\r\nX: a\0b\r\n\r\n" + SMUGGLED);
        add(400, "chunk-trailer-bad-name", post(te) + "5\r\nhello\r\n0\r\nBad(Name: v\r\n\r\n" + SMUGGLED);
        add(200, "chunk-trailer-folded-is-replaced-by-sp", post(te) + "5\r\nhello\r\n0\r\nX: a\r\n b\r\n\r\n");
        // Netty bounds a chunk-size line by maxInitialLineLength, and Reactor Netty answers that with 414.
        add(414, "chunk-extension-huge", post(te) + "5;" + "e".repeat(100_000) + "\r\nhello\r\n0\r\n\r\n"
                + SMUGGLED);
    }

    private void transferEncoding() {
        // Obfuscated Transfer-Encoding (TE.TE): every value other than a final "chunked" is refused.
        String[][] bad = {{"xchunked", "xchunked"}, {"chunked-x", "chunkedx"}, {"chunk", "chunk"},
            {"chunked-identity", "chunked, identity"}, {"identity", "identity"},
            {"chunked-chunked", "chunked, chunked"}, {"chunked-semicolon", "chunked;"},
            {"chunked-param", "chunked;q=1"}, {"quoted", "\"chunked\""}, {"comma-only", ","},
            {"empty-value", ""}, {"vertical-tab", "\u000bchunked"}, {"form-feed", "\u000cchunked"},
            {"nul", "\0chunked"}, {"non-ascii", "ch\u00fcnked"}, {"chunked-dot", "chunked."},
            {"chunked-slash", "chunked/1.1"}, {"space-inside", "chun ked"}};
        for (String[] b : bad) {
            add(400, "te-" + b[0], post("Transfer-Encoding: " + b[1]) + "0\r\n\r\n" + SMUGGLED);
        }
        add(400, "te-duplicate-header", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked")
                + "0\r\n\r\n" + SMUGGLED);
        add(400, "te-duplicate-header-identity", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity")
                + "0\r\n\r\n" + SMUGGLED);
        add(400, "te-space-before-colon", post("Transfer-Encoding : chunked") + "0\r\n\r\n" + SMUGGLED);
        add(400, "te-tab-before-colon", post("Transfer-Encoding\t: chunked") + "0\r\n\r\n" + SMUGGLED);
        // A coding the decoder frames (a final chunked) but the server does not decode: 501 (RFC 9112 6.1).
        add(501, "te-gzip-chunked", post("Transfer-Encoding: gzip, chunked") + "5\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
        add(501, "te-chunked-with-empty-list-element", post("Transfer-Encoding: chunked,") + "0\r\n\r\n" + SMUGGLED);
        add(501, "te-identity-chunked", post("Transfer-Encoding: identity, chunked") + "0\r\n\r\n" + SMUGGLED);
        add(501, "te-deflate-then-chunked-headers", post("Transfer-Encoding: deflate\r\nTransfer-Encoding: chunked")
                + "0\r\n\r\n" + SMUGGLED);
        // Names and values are case-insensitive, and OWS around a value is not part of it: these are chunked.
        add(200, "te-uppercase-value", post("Transfer-Encoding: CHUNKED") + "5\r\nhello\r\n0\r\n\r\n");
        add(200, "te-mixed-case-value", post("Transfer-Encoding: ChUnKeD") + "5\r\nhello\r\n0\r\n\r\n");
        add(200, "te-lowercase-name", post("transfer-encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n");
        add(200, "te-leading-space", post("Transfer-Encoding:  chunked") + "5\r\nhello\r\n0\r\n\r\n");
        add(200, "te-leading-tab", post("Transfer-Encoding:\tchunked") + "5\r\nhello\r\n0\r\n\r\n");
        add(200, "te-trailing-space", post("Transfer-Encoding: chunked ") + "5\r\nhello\r\n0\r\n\r\n");
        add(200, "te-trailing-tab", post("Transfer-Encoding: chunked\t") + "5\r\nhello\r\n0\r\n\r\n");
        // Not the Transfer-Encoding header at all: an unknown header, no body; the chunk then is a bad request.
        add(200, "te-underscore-name-is-another-header", post("Transfer_Encoding: chunked") + "0\r\n\r\n");
        add(200, "te-prefixed-name-is-another-header", post("X-Transfer-Encoding: chunked") + "0\r\n\r\n");
    }

    private void smuggling() {
        String smuggledBody = "0\r\n\r\n" + SMUGGLED;
        add(400, "smuggle-cl-te", post("Content-Length: " + smuggledBody.length() + "\r\nTransfer-Encoding: chunked")
                + smuggledBody);
        add(400, "smuggle-te-cl", post("Transfer-Encoding: chunked\r\nContent-Length: 4")
                + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n");
        add(400, "smuggle-cl-zero-te", post("Content-Length: 0\r\nTransfer-Encoding: chunked") + smuggledBody);
        add(400, "smuggle-te-obfuscated-cl", post("Content-Length: 4\r\nTransfer-Encoding: xchunked")
                + smuggledBody);
        add(400, "smuggle-te-space-cl", post("Content-Length: 4\r\nTransfer-Encoding : chunked") + smuggledBody);
        add(400, "smuggle-cl-te-lowercase", post("content-length: 4\r\ntransfer-encoding: chunked") + smuggledBody);
        add(400, "smuggle-cl-te-identity", post("Content-Length: 4\r\nTransfer-Encoding: identity") + smuggledBody);
        add(400, "smuggle-cl-cl-te", post("Content-Length: 4\r\nContent-Length: 40\r\nTransfer-Encoding: chunked")
                + smuggledBody);
        add(400, "smuggle-te-folded-cl", post("Content-Length: 4\r\nTransfer-Encoding:\r\n chunked") + smuggledBody);
        add(400, "smuggle-http10-te-and-cl", "POST / HTTP/1.0\r\nContent-Length: 4\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n" + smuggledBody);
        add(400, "smuggle-bare-lf-header-end", "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\n\r\nhello"
                + SMUGGLED);
        add(400, "smuggle-chunk-size-bare-lf", post("Transfer-Encoding: chunked") + "5\nhello\r\n0\r\n\r\n"
                + SMUGGLED);
        add(400, "smuggle-chunk-ext-lf", post("Transfer-Encoding: chunked") + "2;\n" + "xx\r\n45\r\n0\r\n\r\n"
                + SMUGGLED);
        add(400, "smuggle-te-nul-cl", post("Content-Length: 4\r\nTransfer-Encoding: chunked\0") + smuggledBody);
        add(400, "smuggle-cl-list-te", post("Content-Length: 4, 4\r\nTransfer-Encoding: chunked") + smuggledBody);
    }

    private void incomplete() {
        // A head that never ends: requestTimeout (2 s on the test server) answers 408 and closes.
        add(408, "incomplete-request-line", "GET / HTTP/1.1");
        add(408, "incomplete-head-no-blank-line", "GET / HTTP/1.1\r\n" + HOST);
        add(408, "incomplete-head-mid-header", "GET / HTTP/1.1\r\nHost: local");
        add(408, "incomplete-only-method", "GET ");
        // A body that never ends: the body timeout closes the connection; nothing can be answered then.
        add(CLOSED, "incomplete-content-length-body", post("Content-Length: 10") + "hello");
        add(CLOSED, "incomplete-chunked-no-last-chunk", post("Transfer-Encoding: chunked") + "5\r\nhello\r\n");
        add(CLOSED, "incomplete-chunk-shorter-than-size", post("Transfer-Encoding: chunked") + "a\r\nhello");
        add(CLOSED, "incomplete-chunked-no-final-crlf", post("Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n");
    }

    private void expectAndUpgrade() {
        add(200, "expect-100-continue", post("Expect: 100-continue\r\nContent-Length: 5") + "hello");
        // RFC 9110 10.1.1: a server MAY answer 417 to an unknown expectation; this one ignores it.
        add(200, "expect-unknown-is-ignored", post("Expect: something-else\r\nContent-Length: 5") + "hello");
        add(200, "upgrade-h2c-on-http11-server-is-ignored", get("Connection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"));
        add(200, "upgrade-websocket-is-the-handlers-business", get("Connection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13"));
        // The HTTP/2 preface parses as a request of version 2.0 (an h2c server would take it as HTTP/2).
        add(505, "http2-preface-on-http11-server", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    }

    // ---- helpers ----

    private void add(int status, String what, String request) {
        String name = String.format("%03d-%s.req", status, what);
        if (files.put(name, request.getBytes(StandardCharsets.ISO_8859_1)) != null) {
            throw new IllegalStateException("two cases named " + name);
        }
    }

    private static String get(String headerLines) {
        return "GET / HTTP/1.1\r\n" + HOST + headerLines + "\r\n\r\n";
    }

    private static String post(String headerLines) {
        return "POST / HTTP/1.1\r\n" + HOST + headerLines + "\r\n\r\n";
    }

    private static String headers(int count, String prefix, String value) {
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(prefix + i + ": " + value);
        }
        return String.join("\r\n", lines);
    }
}
