package io.concurrence.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.concurrence.Call;
import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.concurrence.http.HttpClient;
import io.concurrence.http.HttpServer;
import io.concurrence.it.support.Figures;
import io.concurrence.it.support.KeyStores;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteException;
import io.concurrence.remote.RemoteServer;

/**
 * TLS with real handshakes, on certificates made by the test: the HTTP server (HTTP/1.1 and h2 by ALPN) and a
 * remoting server serve clients that trust their certificate over TLS 1.3 or 1.2; a client that does not trust
 * it fails the handshake with a clear exception, a plain client to a TLS port fails promptly, a client offering
 * only TLS 1.0 or 1.1 is refused with an alert, and the servers keep serving throughout.
 */
class TlsTest {

    static final Duration SAFETY = Duration.ofSeconds(20);
    static final List<String> MODERN = List.of("TLSv1.3", "TLSv1.2");
    static final String TOKEN = "tls-token";

    /** The remoting protocol. */
    record Echo(String text) implements Message, Call<String> {
    }

    @TempDir
    static Path keys;
    private static Path serverKeys;
    private static KeyStore trust;
    /** Trusts only a certificate the servers do not have. */
    private static KeyStore otherTrust;
    private static HttpServer http;
    private static RemoteServer remote;
    private static Tasklet<Void> echo;
    private static int refusals;

    @BeforeAll
    static void start() throws Exception {
        serverKeys = KeyStores.selfSigned(keys, "server");
        trust = KeyStores.trusting(serverKeys, "server");
        otherTrust = KeyStores.trusting(KeyStores.selfSigned(keys, "other"), "other");
        http = HttpServer.builder().host("127.0.0.1").port(0).tls(serverKeys, KeyStores.PASSWORD).http2(true)
                .handler((request, response) -> response.send("hello over " + request.version())).build().start();
        remote = RemoteServer.builder().host("127.0.0.1").tls(serverKeys, KeyStores.PASSWORD).authToken(TOKEN)
                .allow(Echo.class).bind();
        echo = Tasklet.receiver(envelope -> envelope.reply(((Echo) envelope.message()).text()));
        remote.register("echo", echo);
    }

    @AfterAll
    static void stop() {
        remote.close();
        echo.kill();
        http.close();
        Figures.record("TlsTest", "TLS handshakes refused (untrusted, plain, old protocol)", refusals);
    }

    @Test
    void httpsWorksForAClientTrustingTheCertificateOverAModernProtocol() throws Exception {
        assertHttpServes();
        for (int port : List.of(http.port(), remote.port())) {
            try (SSLSocket socket = (SSLSocket) context(trust).getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout((int) SAFETY.toMillis());
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).as("port %d", port).isIn(MODERN);
            }
        }
    }

    @Test
    void anUntrustingHttpClientFailsTheHandshakeWithAClearException() {
        for (HttpClient.Builder builder : List.of(HttpClient.builder(), HttpClient.builder().tlsTrustStore(otherTrust))) {
            try (HttpClient untrusting = builder.baseUrl("https://localhost:" + http.port()).build()) {
                assertThatThrownBy(() -> untrusting.get("/", SAFETY)).isInstanceOf(RuntimeException.class)
                        .satisfies(e -> assertThat(causes(e)).anyMatch(SSLHandshakeException.class::isInstance));
                refusals++;
            }
        }
        assertHttpServes();
    }

    @Test
    void aPlainClientToTheTlsPortFailsPromptly() throws IOException {
        try (HttpClient plain = HttpClient.builder().baseUrl("http://127.0.0.1:" + http.port()).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> plain.get("/", SAFETY)).isInstanceOf(RuntimeException.class)
                    .satisfies(e -> assertThat(e).isNotInstanceOf(io.concurrence.TimeoutException.class));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SAFETY);
            refusals++;
        }
        for (int port : List.of(http.port(), remote.port())) {
            assertClosedAfter(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            refusals++;
        }
        assertHttpServes();
    }

    @Test
    void aClientOfferingOnlyTls10Or11IsRefusedWithAnAlert() throws IOException {
        for (int port : List.of(http.port(), remote.port())) {
            for (int minor : new int[] {1, 2}) { // TLS 1.0 is version 3.1, TLS 1.1 is 3.2
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout((int) SAFETY.toMillis());
                    socket.getOutputStream().write(oldClientHello(minor));
                    socket.getOutputStream().flush();
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    int type = in.read();
                    assertThat(type).as("port %d, TLS 1.%d: an alert record, not a server hello", port, minor - 1)
                            .isEqualTo(ALERT);
                    in.skipNBytes(4); // version, length
                    assertThat(in.read()).as("fatal").isEqualTo(2);
                    assertThat(in.read()).as("protocol_version or handshake_failure").isIn(70, 40);
                    refusals++;
                }
            }
        }
        assertHttpServes();
    }

    @Test
    void http2IsNegotiatedByAlpn() throws Exception {
        try (java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder().sslContext(context(trust))
                .version(java.net.http.HttpClient.Version.HTTP_2).connectTimeout(SAFETY).build()) {
            java.net.http.HttpResponse<String> response = jdk.send(java.net.http.HttpRequest.newBuilder(
                    URI.create("https://localhost:" + http.port() + "/")).timeout(SAFETY).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(response.body()).isEqualTo("hello over HTTP/2.0");
        }
    }

    @Test
    void remotingOverTlsWorksWithTheTokenAndRefusesTheOthers() {
        try (RemoteClient client = remoteClient().tlsTrustStore(trust).authToken(TOKEN).connect()) {
            assertThat(client.lookup("echo").call(new Echo("over tls"), SAFETY)).isEqualTo("over tls");

            assertThatThrownBy(() -> remoteClient().tlsTrustStore(otherTrust).authToken(TOKEN).connect())
                    .as("an untrusting client").isInstanceOf(RemoteException.class);
            long start = System.nanoTime();
            assertThatThrownBy(() -> remoteClient().authToken(TOKEN).connect()).as("a plain client")
                    .isInstanceOf(RemoteException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("promptly").isLessThan(SAFETY);
            assertThatThrownBy(() -> remoteClient().tlsTrustStore(trust).connect()).as("a TLS client without token")
                    .isInstanceOf(RemoteException.class).hasMessageContaining("authentication failed");
            assertThatThrownBy(() -> remoteClient().tlsTrustStore(trust).authToken("wrong").connect())
                    .isInstanceOf(RemoteException.class).hasMessageContaining("authentication failed");
            refusals += 4;
            assertThat(remote.stats().rejectedSetups()).isEqualTo(2);

            assertThat(client.lookup("echo").call(new Echo("still"), SAFETY)).isEqualTo("still");
        }
    }

    private static RemoteClient.Builder remoteClient() {
        return RemoteClient.builder().host("127.0.0.1").port(remote.port()).allow(Echo.class)
                .connectTimeout(SAFETY);
    }

    private static void assertHttpServes() {
        try (HttpClient client = HttpClient.builder().baseUrl("https://localhost:" + http.port())
                .tlsTrustStore(trust).build();
             HttpClient.Response response = client.get("/", SAFETY)) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello over HTTP/1.1");
        }
    }

    /** Writes {@code bytes} and asserts that the server closes the connection within {@link #SAFETY}. */
    private static void assertClosedAfter(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) SAFETY.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // an alert, perhaps, then the end
                }
            } catch (SocketException e) {
                // reset: closed as well
            }
        }
    }

    private static SSLContext context(KeyStore trusted) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    static final int ALERT = 21;

    /**
     * A ClientHello of TLS 1.{@code minor - 1} as a client of that time sent it: that version in the record and
     * the hello, no {@code supported_versions} extension, and cipher suites of that era. The JDK's own client
     * will not send one (TLS 1.0 and 1.1 are disabled in {@code jdk.tls.disabledAlgorithms}), so it is written
     * by hand.
     */
    static byte[] oldClientHello(int minor) {
        byte[] random = new byte[32];
        new Random(minor).nextBytes(random);
        short[] suites = {0x002F, 0x0035, (short) 0xC013, (short) 0xC014, (short) 0xC009, (short) 0xC00A};
        ByteBuffer body = ByteBuffer.allocate(256);
        body.put((byte) 3).put((byte) minor).put(random).put((byte) 0); // version, random, no session id
        body.putShort((short) (suites.length * 2));
        for (short suite : suites) {
            body.putShort(suite);
        }
        body.put((byte) 1).put((byte) 0); // compression: null only
        // extensions: supported groups and EC point formats, so that the ECDHE suites are possible
        byte[] groups = {0x00, 0x0A, 0x00, 0x06, 0x00, 0x04, 0x00, 0x17, 0x00, 0x18};
        byte[] points = {0x00, 0x0B, 0x00, 0x02, 0x01, 0x00};
        body.putShort((short) (groups.length + points.length)).put(groups).put(points);
        int length = body.position();
        ByteBuffer record = ByteBuffer.allocate(length + 9);
        record.put((byte) 22).put((byte) 3).put((byte) minor).putShort((short) (length + 4)); // handshake record
        record.put((byte) 1).put((byte) 0).putShort((short) length); // client_hello, 24-bit length
        record.put(body.array(), 0, length);
        return record.array();
    }
}
