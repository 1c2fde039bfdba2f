package io.concurrence.http.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * Header maps as the client's API shows them: case-insensitive keys, unmodifiable, values in arrival order;
 * and the checks on header names and values that requests get before anything is sent.
 */
public final class ClientHeaders {

    private ClientHeaders() {
    }

    /** An empty, modifiable map with case-insensitive keys. */
    public static Map<String, List<String>> newMap() {
        return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }

    /** An unmodifiable, case-insensitive deep copy of {@code headers}. */
    public static Map<String, List<String>> copyOf(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = newMap();
        headers.forEach((name, values) -> copy.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        copy.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(copy);
    }

    /** The headers of a response, as an unmodifiable, case-insensitive map. */
    public static Map<String, List<String>> of(HttpHeaders headers) {
        Map<String, List<String>> map = newMap();
        for (Map.Entry<String, String> header : headers) {
            map.computeIfAbsent(header.getKey(), n -> new ArrayList<>(1)).add(header.getValue());
        }
        map.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(map);
    }

    /**
     * Checks a header name (an RFC 9110 token) and value (no CR, LF or NUL).
     *
     * @throws IllegalArgumentException naming the header and what is wrong
     */
    public static void check(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!isToken(name)) {
            throw new IllegalArgumentException("invalid header name '" + name
                    + "': expected a token (letters, digits and !#$%&'*+-.^_`|~)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("invalid value for header " + name
                        + ": it contains a CR, LF or NUL character at index " + i);
            }
        }
    }

    /** Whether {@code s} is a non-empty RFC 9110 token (header names, methods). */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A byte count for messages: {@code 10 MiB}, {@code 1500 bytes}, {@code unlimited}. */
    public static String describeSize(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "unlimited";
        }
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
