package io.concurrence.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for the TLS tests, made by the JDK's {@code keytool} at test time (no key material
 * is committed): a PKCS#12 key store for a server, and a trust store holding only its certificate.
 */
public final class KeyStores {

    /** The password of every key store made here. */
    public static final char[] PASSWORD = "changeit".toCharArray();
    private static final long KEYTOOL_SECONDS = 60;

    private KeyStores() {
    }

    /**
     * A PKCS#12 key store in {@code dir} with a fresh self-signed EC key pair for {@code localhost} and
     * {@code 127.0.0.1}.
     *
     * @param dir where to write it
     * @param alias the key's alias (and the file's name)
     * @return the key store's path
     */
    public static Path selfSigned(Path dir, String alias) throws IOException, InterruptedException {
        Path store = dir.resolve(alias + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", alias, "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(KEYTOOL_SECONDS, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool: %s", new String(output, StandardCharsets.UTF_8)).isZero();
        return store;
    }

    /** A trust store holding only the certificate of the key store at {@code keyStore} under {@code alias}. */
    public static KeyStore trusting(Path keyStore, String alias) throws IOException, GeneralSecurityException {
        KeyStore source = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            source.load(in, PASSWORD);
        }
        Certificate certificate = source.getCertificate(alias);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry(alias, certificate);
        return trust;
    }
}
