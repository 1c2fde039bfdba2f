package io.concurrence.http.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The {@code Date} header value, formatted once per second. */
final class HttpDate {

    private record Stamp(long second, String value) {
    }

    private static volatile Stamp stamp = new Stamp(-1, "");

    private HttpDate() {
    }

    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp current = stamp;
        if (current.second() != second) {
            current = new Stamp(second, DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC)));
            stamp = current;
        }
        return current.value();
    }
}
