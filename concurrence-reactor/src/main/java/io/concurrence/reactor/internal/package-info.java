/**
 * Not API. May change in any release. Do not use.
 *
 * <p>The subscribers behind {@code Await} and the sockets: a single-value awaiter, a bounded blocking
 * queue subscriber, and the helpers that wait on Netty futures and channel writability.
 */
@NullMarked
package io.concurrence.reactor.internal;

import org.jspecify.annotations.NullMarked;
