/**
 * Not API. May change in any release. Do not use.
 *
 * <p>The bridge between Reactor Netty's HTTP server and client and the tasklets that handle and perform
 * exchanges.
 */
@NullMarked
package io.concurrence.http.internal;

import org.jspecify.annotations.NullMarked;
