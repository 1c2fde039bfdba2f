package io.concurrence.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.concurrence.remote.RemoteTransport;

/**
 * The {@code concurrence.remote.server.*} properties of {@link ConcurrenceRemoteAutoConfiguration}'s
 * {@code RemoteServer}. A setter given a value out of range throws {@link IllegalArgumentException} naming the
 * property, so a bad value fails the application's start-up.
 *
 * <p>Not thread-safe: Spring binds it once at start-up.
 *
 * @since 0.1
 */
@ConfigurationProperties(prefix = ConcurrenceRemoteServerProperties.PREFIX)
public class ConcurrenceRemoteServerProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "concurrence.remote.server";

    /**
     * Whether to start the remote server. By default it starts when the application has a @RemoteEndpoint bean or
     * concurrence.remote.server.port is set.
     */
    private @Nullable Boolean enabled;

    /** The address to listen on. */
    private String host = "0.0.0.0";

    /** The port to listen on; 0 picks a free one, published as local.concurrence.remote.port. */
    private int port;

    /**
     * Message types allowed to cross, by binary class name: records, and sealed interfaces (all their permitted
     * records). RemoteMessageTypes beans add to them.
     */
    private List<String> allow = new ArrayList<>();

    /** A secret every client must present in its setup frame; none by default. */
    private @Nullable String authToken;

    /** The largest frame accepted or sent, in bytes. */
    private int maxFrameBytes = 1_048_576;

    /** The transport: TCP or WEBSOCKET; clients must use the same. */
    private RemoteTransport transport = RemoteTransport.TCP;

    /** A PKCS#12 (or, named *.jks, JKS) key store with the certificate chain and key; serves over TLS when set. */
    private @Nullable String keyStore;

    /** The key store's (and key's) password. */
    private String keyStorePassword = "";

    public @Nullable Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
        this.enabled = enabled;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    public int getPort() {
        return port;
    }

    /** Sets the port; out of 0..65535 throws an {@code IllegalArgumentException} naming the property. */
    public void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PREFIX + ".port: " + port + " is out of range 0..65535");
        }
        this.port = port;
    }

    public List<String> getAllow() {
        return allow;
    }

    public void setAllow(List<String> allow) {
        this.allow = new ArrayList<>(allow);
    }

    public @Nullable String getAuthToken() {
        return authToken;
    }

    public void setAuthToken(@Nullable String authToken) {
        this.authToken = authToken;
    }

    public int getMaxFrameBytes() {
        return maxFrameBytes;
    }

    /** Sets the frame bound; below 64 throws an {@code IllegalArgumentException} naming the property. */
    public void setMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException(PREFIX + ".max-frame-bytes: " + maxFrameBytes
                    + " is too small: expected at least 64");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public RemoteTransport getTransport() {
        return transport;
    }

    public void setTransport(RemoteTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    public @Nullable String getKeyStore() {
        return keyStore;
    }

    public void setKeyStore(@Nullable String keyStore) {
        this.keyStore = keyStore;
    }

    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = Objects.requireNonNull(keyStorePassword, "keyStorePassword");
    }
}
