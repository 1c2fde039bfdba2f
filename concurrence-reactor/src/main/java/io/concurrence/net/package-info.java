/**
 * Blocking TCP sockets for tasklets, on Reactor Netty: {@link io.concurrence.net.Socket} and
 * {@link io.concurrence.net.ServerSocket}.
 *
 * <p>Every blocking method honours the ambient {@link io.concurrence.Timeout}, has a
 * {@link java.time.Duration} overload, and throws {@link io.concurrence.TaskletExit} when its tasklet is
 * killed. Transport failures (refused, reset, unknown host, address in use) are
 * {@link java.io.UncheckedIOException}s whose cause is the {@code java.net} exception. Reads and writes are
 * backpressured both ways: memory stays bounded whatever the peer does.
 *
 * <p>Unless otherwise specified, passing null throws {@link java.lang.NullPointerException}.
 *
 * @since 0.1
 */
@NullMarked
package io.concurrence.net;

import org.jspecify.annotations.NullMarked;
