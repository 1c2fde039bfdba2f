package io.concurrence.memcache;

import java.util.Objects;

/**
 * A value read with {@code gets}, and the server's CAS unique for it: pass {@link #cas()} to
 * {@link MemcacheClient#cas(String, Object, long)} to store a new value only if nobody changed it since.
 *
 * @param value the value
 * @param cas the CAS unique (an unsigned 64-bit number)
 * @param <T> the type of the value
 * @since 0.1
 */
public record CasValue<T>(T value, long cas) {

    /**
     * Checks the arguments.
     *
     * @param value the value
     * @param cas the CAS unique
     */
    public CasValue {
        Objects.requireNonNull(value, "value");
    }
}
