package io.concurrence.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.concurrence.remote.RemoteTransport;

/**
 * The properties of one {@code RemoteClient} of {@link ConcurrenceRemoteAutoConfiguration}, bound from
 * {@code concurrence.remote.clients.<name>.*} when the client bean {@code <name>RemoteClient} is created (so a
 * placeholder such as {@code ${local.concurrence.remote.port}} resolves then). Setters throw
 * {@link IllegalArgumentException} for values out of range; Spring reports them with the property's full name.
 *
 * <p>Not thread-safe: Spring binds it once at start-up.
 *
 * @since 0.1
 */
public class ConcurrenceRemoteClientProperties {

    /** The prefix of every client's properties; the client's name follows. */
    public static final String PREFIX = "concurrence.remote.clients";

    /** The server's host. */
    private String host = "127.0.0.1";

    /** The server's port; either this or servers is required. */
    private int port;

    /** Servers offering the same names, each host:port; calls are spread over those connected. */
    private List<String> servers = new ArrayList<>();

    /** Message types allowed to cross, by binary class name; RemoteMessageTypes beans add to them. */
    private List<String> allow = new ArrayList<>();

    /** The token the server requires; none by default. */
    private @Nullable String authToken;

    /** How long connecting may take at start-up. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** The first wait before reconnecting after a connection is lost; it doubles up to reconnect-max-backoff. */
    private Duration reconnectMinBackoff = Duration.ofMillis(100);

    /** The longest wait between attempts to reconnect. */
    private Duration reconnectMaxBackoff = Duration.ofSeconds(5);

    /** The largest frame accepted or sent, in bytes. */
    private int maxFrameBytes = 1_048_576;

    /** The transport: TCP or WEBSOCKET, as the server's. */
    private RemoteTransport transport = RemoteTransport.TCP;

    /** Connect with TLS; with no trust store, the JDK's default trust applies. */
    private boolean tls;

    /** A PKCS#12 (or JKS) trust store with the certificates to trust; implies TLS. */
    private @Nullable String trustStore;

    /** The trust store's password. */
    private String trustStorePassword = "";

    /** Trust every certificate and host name (TLS): for tests against self-signed servers only. */
    private boolean trustAll;

    /** Creates properties holding the defaults. */
    public ConcurrenceRemoteClientProperties() {
    }

    /**
     * The server's host, used with {@link #getPort() port}.
     *
     * @return a host name or address; default {@code 127.0.0.1}
     */
    public String getHost() {
        return host;
    }

    /**
     * Sets the server's host; it is used only when {@code port} is set.
     *
     * @param host a host name or address, not null
     */
    public void setHost(String host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * The server's port.
     *
     * @return 1 to 65535, or 0 (the default) when unset: then {@code servers} must name the servers
     */
    public int getPort() {
        return port;
    }

    /**
     * Sets the server's port.
     *
     * @param port 1 to 65535
     * @throws IllegalArgumentException if out of range
     */
    public void setPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
        this.port = port;
    }

    /**
     * The servers offering the same names; calls are spread over those connected.
     *
     * @return the live, mutable list of {@code host:port} entries (an IPv6 host in brackets); empty by default
     */
    public List<String> getServers() {
        return servers;
    }

    /**
     * Sets the servers offering the same names, besides {@code host}:{@code port} if set. An entry that is not
     * {@code host:port} with a port in 1..65535 fails the client's creation, naming the entry.
     *
     * @param servers {@code host:port} entries (an IPv6 host in brackets); copied
     */
    public void setServers(List<String> servers) {
        this.servers = new ArrayList<>(servers);
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
     * that is not found fails the client's creation, naming the entry.
     *
     * @param allow binary class names of records, enums and sealed interfaces (e.g. {@code com.example.Proto$Msg});
     *        copied
     */
    public void setAllow(List<String> allow) {
        this.allow = new ArrayList<>(allow);
    }

    /**
     * The token presented to the server.
     *
     * @return the token, or {@code null} (the default) for none
     */
    public @Nullable String getAuthToken() {
        return authToken;
    }

    /**
     * Sets the token presented to the server; a server that requires a token refuses the connection unless it is
     * the same.
     *
     * @param authToken the token, or {@code null} for none
     */
    public void setAuthToken(@Nullable String authToken) {
        this.authToken = authToken;
    }

    /**
     * How long connecting may take at start-up.
     *
     * @return a positive duration; default 10 s
     */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * Sets how long connecting may take at start-up.
     *
     * @param connectTimeout a positive duration, not null
     * @throws IllegalArgumentException if zero or negative
     */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive("connect-timeout", connectTimeout);
    }

    /**
     * The first wait before reconnecting after a connection is lost; it doubles up to the longest wait.
     *
     * @return a positive duration; default 100 ms
     */
    public Duration getReconnectMinBackoff() {
        return reconnectMinBackoff;
    }

    /**
     * Sets the first wait before reconnecting. One above the longest wait fails the client's creation.
     *
     * @param reconnectMinBackoff a positive duration, not null
     * @throws IllegalArgumentException if zero or negative
     */
    public void setReconnectMinBackoff(Duration reconnectMinBackoff) {
        this.reconnectMinBackoff = positive("reconnect-min-backoff", reconnectMinBackoff);
    }

    /**
     * The longest wait between attempts to reconnect.
     *
     * @return a positive duration; default 5 s
     */
    public Duration getReconnectMaxBackoff() {
        return reconnectMaxBackoff;
    }

    /**
     * Sets the longest wait between attempts to reconnect. One below the first wait fails the client's creation.
     *
     * @param reconnectMaxBackoff a positive duration, not null
     * @throws IllegalArgumentException if zero or negative
     */
    public void setReconnectMaxBackoff(Duration reconnectMaxBackoff) {
        this.reconnectMaxBackoff = positive("reconnect-max-backoff", reconnectMaxBackoff);
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
     * @throws IllegalArgumentException if below 64
     */
    public void setMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException("max-frame-bytes " + maxFrameBytes + " is too small: expected at"
                    + " least 64");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The transport, which must be the server's.
     *
     * @return {@code TCP} (the default) or {@code WEBSOCKET}
     */
    public RemoteTransport getTransport() {
        return transport;
    }

    /**
     * Sets the transport, which must be the server's.
     *
     * @param transport {@code TCP} or {@code WEBSOCKET}, not null
     */
    public void setTransport(RemoteTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Whether to connect with TLS, trusting the JDK's default trust store.
     *
     * @return {@code true} if on; default {@code false}
     */
    public boolean isTls() {
        return tls;
    }

    /**
     * Connects with TLS or not; {@code trust-store} and {@code trust-all} turn TLS on whatever this says.
     *
     * @param tls whether to connect with TLS, trusting the JDK's default trust store
     */
    public void setTls(boolean tls) {
        this.tls = tls;
    }

    /**
     * The trust store holding the certificates to trust; setting it implies TLS.
     *
     * @return the file's path, or {@code null} (the default) for none
     */
    public @Nullable String getTrustStore() {
        return trustStore;
    }

    /**
     * Sets the trust store holding the certificates to trust, which turns TLS on. A store that cannot be read
     * fails the client's creation, naming this property.
     *
     * @param trustStore the path of a PKCS#12 (or JKS) file, or {@code null} for none
     */
    public void setTrustStore(@Nullable String trustStore) {
        this.trustStore = trustStore;
    }

    /**
     * The trust store's password.
     *
     * @return the password; empty by default
     */
    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    /**
     * Sets the trust store's password.
     *
     * @param trustStorePassword the password, not null (empty for none)
     */
    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = Objects.requireNonNull(trustStorePassword, "trustStorePassword");
    }

    /**
     * Whether every certificate and host name is trusted.
     *
     * @return {@code true} if on; default {@code false}
     */
    public boolean isTrustAll() {
        return trustAll;
    }

    /**
     * Trusts every certificate and host name or not; on, it turns TLS on and takes precedence over
     * {@code trust-store}. For tests against self-signed servers only.
     *
     * @param trustAll whether to trust every certificate and host name
     */
    public void setTrustAll(boolean trustAll) {
        this.trustAll = trustAll;
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " " + value + " is out of range: expected a duration above 0");
        }
        return value;
    }
}
