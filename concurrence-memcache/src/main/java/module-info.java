/**
 * Concurrence Memcache: a memcache client with Ketama hashing.
 * Its package ({@code io.concurrence.memcache}) arrives with the memcache issue.
 */
module io.concurrence.memcache {
    requires transitive io.concurrence;
}
