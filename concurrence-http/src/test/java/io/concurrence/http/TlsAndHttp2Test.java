package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.http.StreamTestSupport.Conn;
import io.concurrence.http.StreamTestSupport.RawResponse;

/**
 * TLS and HTTP/2 with the same handler: https with a key store made by {@code keytool}; {@code h2} negotiated
 * by ALPN over TLS (and HTTP/1.1 still offered there); {@code h2c} in the clear, by the JDK client's upgrade
 * and by prior knowledge (the server answers the connection preface with its SETTINGS), with HTTP/1.1 still
 * served; request bodies stream to the handler and streamed responses reach the client over HTTP/2 (also with
 * handlers on the event-loop carriers).
 */
@org.junit.jupiter.api.Timeout(120)
class TlsAndHttp2Test {

    private static final char[] PASSWORD = "changeit".toCharArray();
    /** The body of the streamed upload: larger than HTTP/2's flow-control windows, so they must be updated. */
    private static final int UPLOAD = 5 << 20;
    /**
     * How many times it is sent: a stall of the stream's flow control (a window update left unflushed, fixed by
     * {@code Http2BodyDemand}) hit about one 5 MiB upload in ten, so several make a regression show.
     */
    private static final int UPLOADS = 8;
    private static final String[] STREAMED = {"one ", "two ", "three"};
    /** The HTTP/2 connection preface (RFC 9113 3.4) and an empty SETTINGS frame. */
    private static final byte[] PREFACE_AND_SETTINGS = concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
    private static final int SETTINGS_FRAME = 4;

    @TempDir
    static Path keys;
    private static Path keyStoreFile;
    private static SSLContext trusting;

    @BeforeAll
    static void makeKeyStore() throws Exception {
        keyStoreFile = keys.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2",
                "-dname", "CN=server", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStoreFile.toString(), "-storepass", new String(PASSWORD),
                "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool: %s", new String(output)).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            store.load(in, PASSWORD);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust.getTrustManagers(), null);
    }

    /**
     * HTTP/1.1 over TLS gets the server's own checks whether its pipeline is built at once (TLS only) or after
     * ALPN chose {@code http/1.1} ({@code http2(true)}): 505 for an unknown version, 408 for a head that stops.
     */
    @ParameterizedTest(name = "http2 offered: {0}")
    @ValueSource(booleans = {false, true})
    void http11OverTlsGets505And408AlsoAfterAlpn(boolean http2) throws Exception {
        try (HttpServer server = server(TlsAndHttp2Test::handle).tls(keyStoreFile, PASSWORD).http2(http2)
                .requestTimeout(Duration.ofMillis(300)).build().start()) {
            assertThat(firstLineOverTls(server, "GET / HTTP/9.9\r\nHost: localhost\r\n\r\n"))
                    .isEqualTo("HTTP/1.1 505 HTTP Version Not Supported");
            assertThat(firstLineOverTls(server, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Half: "))
                    .isEqualTo("HTTP/1.1 408 Request Timeout");
        }
    }

    /** Sends {@code request} over TLS offering only {@code http/1.1}; the first line of what comes back. */
    private static String firstLineOverTls(HttpServer server, String request) throws IOException {
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket(HOST, server.port())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.setSoTimeout((int) SAFETY.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.lines().findFirst().orElse("<nothing before the connection closed>");
        }
    }

    @Test
    void httpsServesAClientThatTrustsTheCertificate() throws Exception {
        try (HttpServer server = server(TlsAndHttp2Test::handle).tls(keyStoreFile, PASSWORD).build().start();
             HttpClient client = client(Version.HTTP_1_1)) {
            java.net.http.HttpResponse<String> response = client.send(get("https", server, "/hello"),
                    BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(Version.HTTP_1_1);
            assertThat(response.body()).isEqualTo("hello over HTTP/1.1");
        }
    }

    @Test
    void http2OverTlsIsNegotiatedAndServedByTheSameHandler() throws Exception {
        try (HttpServer server = server(TlsAndHttp2Test::handle).tls(keyStoreFile, PASSWORD).http2(true).build()
                .start(); HttpClient client = client(Version.HTTP_2)) {
            java.net.http.HttpResponse<String> hello = client.send(get("https", server, "/hello"),
                    BodyHandlers.ofString());
            assertThat(hello.version()).isEqualTo(Version.HTTP_2);
            assertThat(hello.body()).isEqualTo("hello over HTTP/2.0");

            assertStreamsBothWays(client, "https", server);
        }
    }

    @Test
    void theTlsHttp2ServerStillServesHttp11Clients() throws Exception {
        try (HttpServer server = server(TlsAndHttp2Test::handle).tls(keyStoreFile, PASSWORD).http2(true).build()
                .start(); HttpClient client = client(Version.HTTP_1_1)) {
            java.net.http.HttpResponse<String> response = client.send(get("https", server, "/hello"),
                    BodyHandlers.ofString());

            assertThat(response.version()).isEqualTo(Version.HTTP_1_1);
            assertThat(response.body()).isEqualTo("hello over HTTP/1.1");
        }
    }

    @Test
    void h2cIsReachedByTheJdkClientsUpgradeAndServedByTheSameHandler() throws Exception {
        try (HttpServer server = server(TlsAndHttp2Test::handle).http2(true).build().start();
             HttpClient client = client(Version.HTTP_2)) {
            java.net.http.HttpResponse<String> hello = client.send(get("http", server, "/hello"),
                    BodyHandlers.ofString());
            assertThat(hello.version()).isEqualTo(Version.HTTP_2);
            assertThat(hello.body()).isEqualTo("hello over HTTP/2.0");

            assertStreamsBothWays(client, "http", server);
        }
    }

    @Test
    void h2cBodiesStreamAlsoWhenHandlersRunOnTheEventLoops() throws Exception {
        try (HttpServer server = server(TlsAndHttp2Test::handle).http2(true).eventLoopCarriers(true).build().start();
             HttpClient client = client(Version.HTTP_2)) {
            assertThat(client.send(get("http", server, "/hello"), BodyHandlers.ofString()).version())
                    .isEqualTo(Version.HTTP_2);

            assertStreamsBothWays(client, "http", server);
        }
    }

    @Test
    void h2cWithPriorKnowledgeGetsTheServersSettings() throws Exception {
        try (HttpServer server = server(TlsAndHttp2Test::handle).http2(true).build().start();
             Conn conn = Conn.open(server)) {
            conn.out.write(PREFACE_AND_SETTINGS);
            conn.out.flush();

            DataInputStream in = new DataInputStream(conn.in);
            int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt();
            assertThat(type).as("the first frame from the server").isEqualTo(SETTINGS_FRAME);
            assertThat(flags).as("a SETTINGS frame, not an acknowledgement").isZero();
            assertThat(stream).as("on the connection's stream").isZero();
            assertThat(length % 6).as("SETTINGS payload: 6-byte entries").isZero();
        }
    }

    /**
     * The server tracks HTTP/2 connections by their TCP channel, not their streams: stopping closes an idle h2c
     * connection (its client reads to the end of the stream rather than getting its next stream reset).
     */
    @ParameterizedTest(name = "graceful: {0}")
    @ValueSource(booleans = {true, false})
    void stoppingClosesIdleHttp2Connections(boolean graceful) throws Exception {
        HttpServer server = server(TlsAndHttp2Test::handle).http2(true).build().start();
        try (Conn conn = Conn.open(server)) {
            conn.out.write(PREFACE_AND_SETTINGS);
            conn.out.flush();
            DataInputStream in = new DataInputStream(conn.in);
            int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
            assertThat(in.readUnsignedByte()).as("the first frame from the server").isEqualTo(SETTINGS_FRAME);
            in.skipNBytes(5L + length); // flags, stream id, payload

            if (graceful) {
                server.stop(Duration.ofSeconds(10));
            } else {
                server.close();
            }

            // Whatever frames come (an acknowledgement, a GOAWAY), the connection then ends.
            assertThat(in.readAllBytes().length).as("bytes before the end").isLessThan(1024);
        } finally {
            server.close();
        }
    }

    @Test
    void http11StillWorksOnTheH2cServer() throws Exception {
        try (HttpServer server = server(TlsAndHttp2Test::handle).http2(true).build().start();
             Conn conn = Conn.open(server); HttpClient client = client(Version.HTTP_1_1)) {
            RawResponse first = conn.get("/hello").readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo("hello over HTTP/1.1");
            assertThat(conn.get("/hello").readResponse().bodyText()).as("kept alive").isEqualTo("hello over HTTP/1.1");

            java.net.http.HttpResponse<String> response = client.send(get("http", server, "/hello"),
                    BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(Version.HTTP_1_1);
            assertThat(response.body()).isEqualTo("hello over HTTP/1.1");
        }
    }

    /**
     * Over HTTP/2: 5 MiB bodies stream to the handler (their length and sum come back), one after the other; a
     * streamed response arrives.
     */
    private static void assertStreamsBothWays(HttpClient client, String scheme, HttpServer server) throws Exception {
        byte[] upload = new byte[UPLOAD];
        for (int i = 0; i < upload.length; i++) {
            upload[i] = (byte) (i % 251);
        }
        for (int i = 0; i < UPLOADS; i++) {
            java.net.http.HttpResponse<String> echoed = client.send(java.net.http.HttpRequest.newBuilder(
                            url(scheme, server, "/echo-length")).timeout(SAFETY)
                    .POST(BodyPublishers.ofByteArray(upload)).build(), BodyHandlers.ofString());
            assertThat(echoed.version()).isEqualTo(Version.HTTP_2);
            assertThat(echoed.statusCode()).isEqualTo(200);
            assertThat(echoed.body()).as("upload %d", i).isEqualTo("read " + UPLOAD + " bytes, sum " + sum(upload));
        }

        java.net.http.HttpResponse<String> streamed = client.send(get(scheme, server, "/stream"),
                BodyHandlers.ofString());
        assertThat(streamed.version()).isEqualTo(Version.HTTP_2);
        assertThat(streamed.body()).isEqualTo(String.join("", STREAMED));
    }

    /** The one handler every server here runs, whatever the protocol. */
    private static void handle(HttpRequest request, HttpResponse response) throws IOException {
        switch (request.path()) {
            case "/echo-length" -> {
                InputStream body = request.body();
                byte[] piece = new byte[8192];
                long count = 0;
                long sum = 0;
                for (int n; (n = body.read(piece)) >= 0; ) {
                    count += n;
                    for (int i = 0; i < n; i++) {
                        sum += piece[i] & 0xff;
                    }
                }
                response.send("read " + count + " bytes, sum " + sum);
            }
            case "/stream" -> {
                OutputStream out = response.outputStream();
                for (String part : STREAMED) {
                    out.write(part.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            default -> response.send("hello over " + request.version());
        }
    }

    private static long sum(byte[] bytes) {
        long sum = 0;
        for (byte b : bytes) {
            sum += b & 0xff;
        }
        return sum;
    }

    private static HttpClient client(Version version) {
        return HttpClient.newBuilder().version(version).sslContext(trusting).connectTimeout(SAFETY).build();
    }

    private static java.net.http.HttpRequest get(String scheme, HttpServer server, String path) {
        return java.net.http.HttpRequest.newBuilder(url(scheme, server, path)).timeout(SAFETY).GET().build();
    }

    private static URI url(String scheme, HttpServer server, String path) {
        return URI.create(scheme + "://" + HOST + ":" + server.port() + path);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
