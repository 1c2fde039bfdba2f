/**
 * Concurrence remoting: message passing between tasklets in different processes, over RSocket.
 * Its package ({@code io.concurrence.remote}) arrives with the remoting issue.
 */
module io.concurrence.rsocket {
    requires transitive io.concurrence;
}
