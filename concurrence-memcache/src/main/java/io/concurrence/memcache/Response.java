package io.concurrence.memcache;

import java.util.List;
import java.util.Map;

/** A response to one request, as the decoder read it. */
sealed interface Response {

    /** A one-line response: {@code STORED}, {@code NOT_FOUND}, {@code VERSION 1.6.18}, a number… */
    record Line(String line) implements Response {
    }

    /** The items of a {@code get}/{@code gets}, up to {@code END}. */
    record Values(List<Item> items) implements Response {
    }

    /** The {@code STAT} lines of a {@code stats}, up to {@code END}. */
    record Stats(Map<String, String> stats) implements Response {
    }

    /** One {@code VALUE} block; {@code cas} is 0 for a plain {@code get}. */
    record Item(String key, int flags, byte[] data, long cas) {
    }

    /** What a request expects back. */
    enum Expect {
        /** One line. */
        LINE,
        /** VALUE blocks up to END. */
        VALUES,
        /** STAT lines up to END. */
        STATS
    }
}
