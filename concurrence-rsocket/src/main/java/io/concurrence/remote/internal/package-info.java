/**
 * Not API. May change in any release. Do not use.
 *
 * <p>The machinery of remoting: the allow-listed message codec
 * ({@link io.concurrence.remote.internal.MessageCodec}).
 */
@NullMarked
package io.concurrence.remote.internal;

import org.jspecify.annotations.NullMarked;
