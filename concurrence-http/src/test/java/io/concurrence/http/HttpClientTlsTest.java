package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.SAFETY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.concurrence.http.HttpClientTestSupport.TestServer;

/**
 * https: a server with a self-signed certificate (made with the JDK's {@code keytool}) is reached when the
 * client trusts it (trust store, JDK context, or trust-all for tests), and refused with a {@code javax.net.ssl}
 * cause otherwise, or when the certificate names another host.
 */
class HttpClientTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path keys;

    /** Its certificate names 127.0.0.1 (and localhost). */
    private static KeyStore rightHost;
    /** Its certificate names only other.example. */
    private static KeyStore wrongHost;
    private static TestServer server;
    private static TestServer wrongHostServer;

    @BeforeAll
    static void startServers() throws Exception {
        rightHost = selfSigned("right", "SAN=ip:127.0.0.1,dns:localhost");
        wrongHost = selfSigned("wrong", "SAN=dns:other.example");
        server = TestServer.startTls(serverContext(rightHost)).handle("/hello",
                (request, response) -> response.send(200, "hello over tls"));
        wrongHostServer = TestServer.startTls(serverContext(wrongHost)).handle("/hello",
                (request, response) -> response.send(200, "hello over tls"));
    }

    @AfterAll
    static void stopServers() throws IOException {
        server.close();
        wrongHostServer.close();
    }

    @Test
    void trustStoreHoldingTheServerCertificateIsTrusted() {
        try (HttpClient client = HttpClient.builder().tlsTrustStore(rightHost).build();
             HttpClient.Response response = client.get(server.url("/hello"), SAFETY)) {
            assertThat(response.bodyText()).isEqualTo("hello over tls");
        }
    }

    @Test
    void jdkSslContextIsUsedAsItIs() throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(rightHost);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (HttpClient client = HttpClient.builder().tls(context).build();
             HttpClient.Response response = client.get(server.url("/hello"), SAFETY)) {
            assertThat(response.bodyText()).isEqualTo("hello over tls");
        }
    }

    @Test
    void trustAllAcceptsAnyCertificateAndHost() {
        try (HttpClient client = HttpClient.builder().tlsTrustAll().build()) {
            for (TestServer any : List.of(server, wrongHostServer)) {
                try (HttpClient.Response response = client.get(any.url("/hello"), SAFETY)) {
                    assertThat(response.bodyText()).isEqualTo("hello over tls");
                }
            }
        }
    }

    @Test
    void untrustedCertificateThrowsUncheckedIoExceptionCausedBySslException() {
        try (HttpClient client = HttpClient.create()) {
            assertThatThrownBy(() -> client.get(server.url("/hello"), SAFETY))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("GET " + server.url("/hello"))
                    .cause().isInstanceOf(SSLException.class);
        }
    }

    @Test
    void certificateForAnotherHostIsRefusedDespiteATrustedStore() {
        try (HttpClient client = HttpClient.builder().tlsTrustStore(wrongHost).build()) {
            assertThatThrownBy(() -> client.get(wrongHostServer.url("/hello"), SAFETY))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("GET " + wrongHostServer.url("/hello"))
                    .cause().isInstanceOf(SSLException.class);
        }
    }

    @Test
    void plainHttpIsUnaffectedByTlsOptions() throws IOException {
        try (TestServer plain = TestServer.start().handle("/hello", (request, response) -> response.send(200, "plain"));
             HttpClient client = HttpClient.builder().tlsTrustStore(rightHost).build();
             HttpClient.Response response = client.get(plain.url("/hello"), SAFETY)) {
            assertThat(response.bodyText()).isEqualTo("plain");
        }
    }

    /** A PKCS12 key store with a fresh self-signed EC key pair, made by the JDK's keytool. */
    private static KeyStore selfSigned(String name, String subjectAlternativeNames) throws Exception {
        Path file = keys.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2",
                "-dname", "CN=" + name, "-ext", subjectAlternativeNames, "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool: %s", new String(output)).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static SSLContext serverContext(KeyStore store) throws GeneralSecurityException {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }
}
