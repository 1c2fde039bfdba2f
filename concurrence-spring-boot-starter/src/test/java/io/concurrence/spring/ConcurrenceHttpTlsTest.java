package io.concurrence.spring;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;

import io.concurrence.http.HttpHandler;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code concurrence.http.tls.*} and {@code http2}: HTTPS with {@code h2} negotiated, key store made by keytool. */
class ConcurrenceHttpTlsTest {

    private static final Duration SAFETY = Duration.ofSeconds(20);
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path keys;
    private static Path keyStore;
    private static SSLContext trusting;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConcurrenceHttpAutoConfiguration.class))
            .withPropertyValues("concurrence.http.port=0", "concurrence.http.host=127.0.0.1");

    @BeforeAll
    static void makeKeyStore() throws Exception {
        keyStore = keys.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool: %s", new String(output)).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust.getTrustManagers(), null);
    }

    @Test
    void tlsPropertiesServeHttpsAndHttp2NegotiatesH2() {
        runner.withUserConfiguration(Routed.class)
                .withPropertyValues("concurrence.http.tls.key-store=" + keyStore,
                        "concurrence.http.tls.key-store-password=" + PASSWORD, "concurrence.http.http2=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    int port = context.getEnvironment()
                            .getRequiredProperty("local.concurrence.http.port", Integer.class);
                    HttpClient client = HttpClient.newBuilder().sslContext(trusting)
                            .version(HttpClient.Version.HTTP_2).connectTimeout(SAFETY).build();
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + port + "/hello")).timeout(SAFETY).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                    assertThat(response.body()).isEqualTo("secure");
                });
    }

    @Test
    void missingKeyStoreFailsStartupNamingTheProperty() {
        Path missing = keys.resolve("missing.p12");
        runner.withPropertyValues("concurrence.http.tls.key-store=" + missing).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("concurrence.http.tls.key-store: " + missing + " is not a readable file");
        });
    }

    /** An {@code @HttpRoute} handler bean. */
    static class Routed {
        @Bean
        @HttpRoute("/hello")
        HttpHandler hello() {
            return (request, response) -> response.send("secure");
        }
    }
}
