/**
 * Concurrence HTTP: the blocking-style HTTP/1.1 server, the web layer and the HTTP client.
 * Its packages ({@code io.concurrence.http}, {@code io.concurrence.web}) arrive with the HTTP issue.
 */
module io.concurrence.http {
    requires transitive io.concurrence;
}
