/**
 * The bridge between tasklets and Reactor: {@code Await}, Reactor interop and TCP sockets.
 * Its packages arrive with the bridge issue; the module exists so that the build and the BOM are complete.
 */
module io.concurrence.reactor {
    requires transitive io.concurrence;
}
