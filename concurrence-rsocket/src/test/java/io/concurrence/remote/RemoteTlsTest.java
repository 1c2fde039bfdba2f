package io.concurrence.remote;

import static io.concurrence.remote.RemoteTestSupport.SOON;
import static io.concurrence.remote.RemoteTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.concurrence.Call;
import io.concurrence.Message;
import io.concurrence.Tasklet;

/**
 * TLS: a server with a self-signed certificate (made with the JDK's {@code keytool}) serves clients that trust it,
 * over TCP and WebSocket and together with the auth token; a plain client, a client that does not trust the
 * certificate, and a client whose trusted certificate names another host are refused with {@link RemoteException}.
 */
class RemoteTlsTest {

    /** How long a refused connection may take to be reported: well under the 10 s connect timeout of the client. */
    static final Duration PROMPTLY = Duration.ofSeconds(8);
    private static final char[] PASSWORD = "changeit".toCharArray();

    sealed interface EchoMsg extends Message permits Add, Sum, Echo, Count {
    }

    record Add(int n) implements EchoMsg {
    }

    record Sum() implements EchoMsg, Call<Integer> {
    }

    record Echo(String text) implements EchoMsg, Call<String> {
    }

    record Count(int upTo) implements EchoMsg, Call<Integer> {
    }

    @TempDir
    static Path keys;

    /** Its certificate names 127.0.0.1 and localhost. */
    private static Path rightHost;
    /** Its certificate names only other.example. */
    private static Path wrongHost;
    /** Holds only the certificate of {@link #rightHost}. */
    private static KeyStore rightHostTrust;
    /** Holds only the certificate of {@link #wrongHost}. */
    private static KeyStore wrongHostTrust;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Integer> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void makeCertificates() throws Exception {
        rightHost = selfSigned("right", "SAN=ip:127.0.0.1,dns:localhost");
        wrongHost = selfSigned("wrong", "SAN=dns:other.example");
        rightHostTrust = trustStore(rightHost, "right");
        wrongHostTrust = trustStore(wrongHost, "wrong");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void aClientTrustingTheCertificateSendsCallsAndStreams() {
        RemoteServer server = server(RemoteServer.builder().tls(rightHost, PASSWORD));
        RemoteTasklet echo = connect(client(server).tlsTrustStore(rightHostTrust)).lookup("echo");
        assertWorks(echo);
    }

    @Test
    void tlsWorksOverWebSocketToo() {
        RemoteServer server = server(RemoteServer.builder().transport(RemoteTransport.WEBSOCKET)
                .tls(rightHost, PASSWORD));
        RemoteTasklet echo = connect(client(server).transport(RemoteTransport.WEBSOCKET)
                .tlsTrustStore(rightHostTrust)).lookup("echo");
        assertWorks(echo);
    }

    @Test
    void aJdkContextTrustingTheCertificateIsUsedAsItIs() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(rightHostTrust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        RemoteServer server = server(RemoteServer.builder().tls(rightHost, PASSWORD));
        RemoteTasklet echo = connect(client(server).tls(context)).lookup("echo");
        assertThat(echo.call(new Echo("jdk"), SOON)).isEqualTo("jdk");
    }

    /**
     * The plain client's TCP connection is accepted and its RSocket setup frame goes out; the server's TLS handler
     * reads bytes that are no TLS record and closes the connection, so the request by which {@code connect()}
     * confirms the setup fails, and so does {@code connect()}, promptly.
     */
    @Test
    void aPlainClientToATlsServerCannotConnect() {
        RemoteServer server = server(RemoteServer.builder().tls(rightHost, PASSWORD));
        long start = System.nanoTime();
        assertThatThrownBy(() -> connect(client(server)))
                .isInstanceOf(RemoteException.class).hasMessageContaining("cannot connect to 127.0.0.1:"
                        + server.port());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
        assertThat(server.stats().delivered()).isZero();
        assertThat(server.stats().connections()).as("no RSocket connection was accepted").isZero();
    }

    @Test
    void aClientNotTrustingTheCertificateCannotConnect() throws Exception {
        RemoteServer server = server(RemoteServer.builder().tls(rightHost, PASSWORD));
        long start = System.nanoTime();
        assertThatThrownBy(() -> connect(client(server).tls(SSLContext.getDefault())))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + server.port())
                .hasMessageContaining("unable to find valid certification path")
                .cause().isInstanceOf(SSLHandshakeException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
        assertThat(server.stats().connections()).isZero();
    }

    @Test
    void aTrustedCertificateNamingAnotherHostIsRefused() {
        RemoteServer server = server(RemoteServer.builder().tls(wrongHost, PASSWORD));
        assertThatThrownBy(() -> connect(client(server).tlsTrustStore(wrongHostTrust)))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + server.port())
                .hasMessageContaining("127.0.0.1")
                .cause().isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
    }

    @Test
    void aTrustedCertificateNamingAnotherHostIsRefusedOverWebSocketToo() {
        RemoteServer server = server(RemoteServer.builder().transport(RemoteTransport.WEBSOCKET)
                .tls(wrongHost, PASSWORD));
        assertThatThrownBy(() -> connect(client(server).transport(RemoteTransport.WEBSOCKET)
                .tlsTrustStore(wrongHostTrust)))
                .isInstanceOf(RemoteException.class)
                .cause().isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
    }

    @Test
    void trustAllAcceptsACertificateNamingAnotherHost() {
        RemoteServer server = server(RemoteServer.builder().tls(wrongHost, PASSWORD));
        RemoteTasklet echo = connect(client(server).tlsTrustAll()).lookup("echo");
        assertThat(echo.call(new Echo("anyone"), SOON)).isEqualTo("anyone");
    }

    @Test
    void trustAllAcceptsACertificateNamingAnotherHostOverWebSocketToo() {
        RemoteServer server = server(RemoteServer.builder().transport(RemoteTransport.WEBSOCKET)
                .tls(wrongHost, PASSWORD));
        RemoteTasklet echo = connect(client(server).transport(RemoteTransport.WEBSOCKET).tlsTrustAll())
                .lookup("echo");
        assertThat(echo.call(new Echo("anyone"), SOON)).isEqualTo("anyone");
    }

    /** A client with a wrong token is rejected at connect(); the right token works over TLS. */
    @Test
    void theAuthTokenWorksOverTls() {
        RemoteServer server = server(RemoteServer.builder().tls(rightHost, PASSWORD).authToken("s3cret"));
        assertThatThrownBy(() -> connect(client(server).tlsTrustStore(rightHostTrust).authToken("wrong")))
                .isInstanceOf(RemoteException.class).hasMessageContaining("authentication failed");
        assertThat(server.stats().rejectedSetups()).as("rejected setups").isEqualTo(1);
        RemoteTasklet echo = connect(client(server).tlsTrustStore(rightHostTrust).authToken("s3cret"))
                .lookup("echo");
        assertThat(echo.call(new Echo("friend"), SOON)).isEqualTo("friend");
        assertThat(server.stats().delivered()).as("only the friend's call").isEqualTo(1);
    }

    @Test
    void anUnreadableKeyStoreIsRefusedAtBind() {
        assertThatThrownBy(() -> RemoteServer.builder().host("127.0.0.1").tls(rightHost, "wrong".toCharArray())
                .bind()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(rightHost.toString());
    }

    private void assertWorks(RemoteTasklet echo) {
        for (int i = 1; i <= 100; i++) {
            echo.send(new Add(i));
        }
        assertThat(echo.call(new Sum(), SOON)).isEqualTo(5050);
        assertThat(seen).hasSize(100).isSorted();
        assertThat(echo.call(new Echo("over tls"), SOON)).isEqualTo("over tls");
        try (Stream<Integer> numbers = echo.stream(new Count(5_000))) {
            List<Integer> all = numbers.toList();
            assertThat(all).hasSize(5_000).isSorted();
            assertThat(all.getLast()).isEqualTo(5_000);
        }
    }

    private RemoteServer server(RemoteServer.Builder builder) {
        RemoteServer server = builder.host("127.0.0.1").allow(EchoMsg.class).bind();
        closing.add(server);
        int[] total = {0};
        Tasklet<Void> echo = Tasklet.receiver(envelope -> {
            if (envelope.message() instanceof EchoMsg message) {
                switch (message) {
                    case Add add -> {
                        total[0] += add.n();
                        seen.add(add.n());
                    }
                    case Sum sum -> envelope.reply(total[0]);
                    case Echo e -> envelope.reply(e.text());
                    case Count count -> envelope.reply(IntStream.rangeClosed(1, count.upTo()).boxed());
                }
            }
        });
        closing.add(echo::kill);
        server.register("echo", echo);
        return server;
    }

    private static RemoteClient.Builder client(RemoteServer server) {
        return RemoteClient.builder().host("127.0.0.1").port(server.port()).allow(EchoMsg.class);
    }

    private RemoteClient connect(RemoteClient.Builder builder) {
        RemoteClient client = builder.connect();
        closing.add(client);
        return client;
    }

    /** A PKCS#12 key store file with a fresh self-signed EC key pair, made by the JDK's keytool. */
    private static Path selfSigned(String alias, String subjectAlternativeNames) throws Exception {
        Path file = keys.resolve(alias + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", alias,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2",
                "-dname", "CN=" + alias, "-ext", subjectAlternativeNames, "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(SOON.toMillis(), TimeUnit.MILLISECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool: %s", new String(output)).isZero();
        return file;
    }

    /** A trust store holding only the certificate of the key store {@code file}. */
    private static KeyStore trustStore(Path file, String alias) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, PASSWORD);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(alias, keyStore.getCertificate(alias));
        return trust;
    }
}
