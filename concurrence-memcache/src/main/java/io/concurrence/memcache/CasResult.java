package io.concurrence.memcache;

/**
 * The outcome of {@link MemcacheClient#cas(String, Object, long)}.
 *
 * @since 0.1
 */
public enum CasResult {
    /** The value was stored: nobody had changed it since the {@code gets}. */
    STORED,
    /** Not stored: the item was changed since the {@code gets} (its CAS unique differs). */
    EXISTS,
    /** Not stored: the item does not exist (it expired, was deleted or evicted). */
    NOT_FOUND
}
