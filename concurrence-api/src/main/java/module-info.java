/**
 * Concurrence core: tasklets, channels, mailboxes, messages and timeouts. Depends on the JDK alone
 * (plus SLF4J for logging and JSpecify annotations).
 *
 * <p>{@code io.concurrence.internal} is exported only to the sibling modules that build on the core's
 * deadline and parking machinery; it is not API.
 */
@SuppressWarnings("module") // the qualified exports name sibling modules compiled later
module io.concurrence {
    requires static transitive org.jspecify;
    requires org.slf4j;
    // sun.misc.Signal: Concurrence.dispatch turns SIGINT into exit code 127, as the seed did.
    requires jdk.unsupported;

    exports io.concurrence;
    exports io.concurrence.internal to
            io.concurrence.reactor,
            io.concurrence.http,
            io.concurrence.db,
            io.concurrence.rsocket,
            io.concurrence.memcache,
            io.concurrence.spring;
}
