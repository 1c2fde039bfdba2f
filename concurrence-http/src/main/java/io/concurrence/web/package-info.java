/**
 * The web layer on {@link io.concurrence.http.HttpServer}: a {@link io.concurrence.web.Router} with path
 * patterns, 404/405 answers and {@link io.concurrence.web.Filter}s; annotated controllers ({@link
 * io.concurrence.web.Get}, {@link io.concurrence.web.Post}, ...); JSON through Jackson when it is on the class
 * path; a per-request {@link io.concurrence.web.TimeoutFilter}; {@link io.concurrence.web.ServerSentEvents};
 * and {@link io.concurrence.web.StaticFiles}. It ports the seed's {@code concurrence.web}.
 *
 * <p>Unless otherwise specified, passing null throws {@link java.lang.NullPointerException}.
 *
 * @since 0.1
 */
@NullMarked
package io.concurrence.web;

import org.jspecify.annotations.NullMarked;
