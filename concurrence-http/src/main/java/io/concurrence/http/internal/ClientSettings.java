package io.concurrence.http.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The validated options of one {@code HttpClient}: a snapshot taken by {@code HttpClient.Builder.build()}.
 *
 * @param baseUrl what relative request URIs resolve against (absolute, with a path), or null
 * @param maxConnections the pool size per host
 * @param pendingAcquireMaxCount how many exchanges may wait for a pooled connection, per host
 * @param pendingAcquireTimeout how long an exchange waits for a pooled connection
 * @param connectTimeout how long a TCP connect may take
 * @param responseTimeout how long an untimed send waits for the response head
 * @param readTimeout how long a body read waits for more bytes
 * @param maxIdleTime how long a pooled connection may stay idle before it is closed
 * @param followRedirects whether 301, 302, 303, 307 and 308 are followed
 * @param defaultHeaders headers sent with every request unless the request sets them (case-insensitive keys)
 * @param maxResponseBodySize the most bytes {@code bodyBytes()} accepts; {@link Long#MAX_VALUE} for no limit
 * @param tls how https connections are secured, or null for the JDK's default trust
 */
public record ClientSettings(@Nullable URI baseUrl, int maxConnections, int pendingAcquireMaxCount,
                             Duration pendingAcquireTimeout, Duration connectTimeout, Duration responseTimeout,
                             Duration readTimeout, Duration maxIdleTime, boolean followRedirects,
                             Map<String, List<String>> defaultHeaders, long maxResponseBodySize,
                             @Nullable ClientTls tls) {

    /** The compact constructor checks what the builder has validated; it never sees user input directly. */
    public ClientSettings {
        Objects.requireNonNull(pendingAcquireTimeout, "pendingAcquireTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(maxIdleTime, "maxIdleTime");
        defaultHeaders = ClientHeaders.copyOf(defaultHeaders);
    }

    /** The body size limit for messages: {@code 10 MiB}, {@code 1500 bytes}, {@code unlimited}. */
    public String describeMaxResponseBodySize() {
        return ClientHeaders.describeSize(maxResponseBodySize);
    }
}
