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
     * Message types allowed to cross, by binary class name: records, enums, and sealed interfaces (all their permitted
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

    /** Creates properties holding the defaults. */
    public ConcurrenceRemoteServerProperties() {
    }

    /**
     * Whether to start the remote server.
     *
     * @return {@code true} or {@code false}, or {@code null} (the default) to start it when the application has a
     *         {@code @RemoteEndpoint} bean or sets {@code concurrence.remote.server.port}
     */
    public @Nullable Boolean getEnabled() {
        return enabled;
    }

    /**
     * Starts the remote server or not, whatever the endpoints and the port.
     *
     * @param enabled whether to start the server, or {@code null} to decide by the endpoints and the port
     */
    public void setEnabled(@Nullable Boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The address to listen on.
     *
     * @return a host name or address; default {@code 0.0.0.0}, every interface
     */
    public String getHost() {
        return host;
    }

    /**
     * Sets the address to listen on.
     *
     * @param host a host name or address, not null
     */
    public void setHost(String host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * The port to listen on.
     *
     * @return 0 to 65535; default 0, a free port (the actual one is published as
     *         {@code local.concurrence.remote.port})
     */
    public int getPort() {
        return port;
    }

    /**
     * Sets the port to listen on; setting {@code concurrence.remote.server.port} also starts the server when
     * {@code enabled} is unset.
     *
     * @param port 0 (a free port) to 65535
     * @throws IllegalArgumentException naming the property, if out of range
     */
    public void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PREFIX + ".port: " + port + " is out of range 0..65535");
        }
        this.port = port;
    }

    /**
     * The message types allowed to cross, besides those of the {@link RemoteMessageTypes} beans.
     *
     * @return the live, mutable list of binary class names; empty by default
     */
    public List<String> getAllow() {
        return allow;
    }

    /**
     * Sets the message types allowed to cross, besides those of the {@link RemoteMessageTypes} beans. A name
     * that is not found fails the server's creation, naming the entry.
     *
     * @param allow binary class names of records, enums and sealed interfaces (e.g. {@code com.example.Proto$Msg});
     *        copied
     */
    public void setAllow(List<String> allow) {
        this.allow = new ArrayList<>(allow);
    }

    /**
     * The secret every client must present in its setup frame.
     *
     * @return the token, or {@code null} (the default) to accept clients without one
     */
    public @Nullable String getAuthToken() {
        return authToken;
    }

    /**
     * Sets the secret every client must present in its setup frame; a client without it, or with another, is
     * refused. An empty token fails the server's creation, naming this property.
     *
     * @param authToken a non-empty token, or {@code null} to accept clients without one
     */
    public void setAuthToken(@Nullable String authToken) {
        this.authToken = authToken;
    }

    /**
     * The largest frame accepted or sent.
     *
     * @return in bytes, 64 or more; default 1048576 (1 MiB)
     */
    public int getMaxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Sets the largest frame accepted or sent.
     *
     * @param maxFrameBytes in bytes, 64 or more
     * @throws IllegalArgumentException naming the property, if below 64
     */
    public void setMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException(PREFIX + ".max-frame-bytes: " + maxFrameBytes
                    + " is too small: expected at least 64");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The transport, which clients must use too.
     *
     * @return {@code TCP} (the default) or {@code WEBSOCKET}
     */
    public RemoteTransport getTransport() {
        return transport;
    }

    /**
     * Sets the transport, which clients must use too.
     *
     * @param transport {@code TCP} or {@code WEBSOCKET}, not null
     */
    public void setTransport(RemoteTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * The key store with the certificate chain and key; the server serves over TLS when it is set.
     *
     * @return the file's path, or {@code null} (the default) for no TLS
     */
    public @Nullable String getKeyStore() {
        return keyStore;
    }

    /**
     * Sets the key store with the certificate chain and key, which turns TLS on. A store that cannot be read fails
     * the server's creation.
     *
     * @param keyStore the path of a PKCS#12 (or, named {@code *.jks}, JKS) file, or {@code null} for no TLS
     */
    public void setKeyStore(@Nullable String keyStore) {
        this.keyStore = keyStore;
    }

    /**
     * The password of the key store and of its key.
     *
     * @return the password; empty by default
     */
    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    /**
     * Sets the password of the key store and of its key.
     *
     * @param keyStorePassword the password, not null (empty for none)
     */
    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = Objects.requireNonNull(keyStorePassword, "keyStorePassword");
    }
}
