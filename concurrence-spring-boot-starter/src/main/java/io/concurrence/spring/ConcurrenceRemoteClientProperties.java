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

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    public int getPort() {
        return port;
    }

    /** Sets the port; out of 1..65535 throws an {@code IllegalArgumentException}. */
    public void setPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
        this.port = port;
    }

    public List<String> getServers() {
        return servers;
    }

    public void setServers(List<String> servers) {
        this.servers = new ArrayList<>(servers);
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

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** Sets the connect timeout; zero or negative throws an {@code IllegalArgumentException}. */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive("connect-timeout", connectTimeout);
    }

    public Duration getReconnectMinBackoff() {
        return reconnectMinBackoff;
    }

    /** Sets the first reconnect wait; zero or negative throws an {@code IllegalArgumentException}. */
    public void setReconnectMinBackoff(Duration reconnectMinBackoff) {
        this.reconnectMinBackoff = positive("reconnect-min-backoff", reconnectMinBackoff);
    }

    public Duration getReconnectMaxBackoff() {
        return reconnectMaxBackoff;
    }

    /** Sets the longest reconnect wait; zero or negative throws an {@code IllegalArgumentException}. */
    public void setReconnectMaxBackoff(Duration reconnectMaxBackoff) {
        this.reconnectMaxBackoff = positive("reconnect-max-backoff", reconnectMaxBackoff);
    }

    public int getMaxFrameBytes() {
        return maxFrameBytes;
    }

    /** Sets the frame bound; below 64 throws an {@code IllegalArgumentException}. */
    public void setMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException("max-frame-bytes " + maxFrameBytes + " is too small: expected at"
                    + " least 64");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public RemoteTransport getTransport() {
        return transport;
    }

    public void setTransport(RemoteTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    public boolean isTls() {
        return tls;
    }

    public void setTls(boolean tls) {
        this.tls = tls;
    }

    public @Nullable String getTrustStore() {
        return trustStore;
    }

    public void setTrustStore(@Nullable String trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = Objects.requireNonNull(trustStorePassword, "trustStorePassword");
    }

    public boolean isTrustAll() {
        return trustAll;
    }

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
