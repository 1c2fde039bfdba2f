/**
 * A blocking-style HTTP server and client on Reactor Netty.
 *
 * <p>{@link io.concurrence.http.HttpServer} runs every request's {@link io.concurrence.http.HttpHandler} in
 * its own tasklet: plain blocking code that reads an {@link io.concurrence.http.HttpRequest} and writes an
 * {@link io.concurrence.http.HttpResponse}. {@link io.concurrence.http.HttpClient} performs exchanges from
 * tasklets, with a pooled, kept-alive connection per host. Both honour the ambient
 * {@link io.concurrence.Timeout} and {@link io.concurrence.Tasklet#kill()}.
 *
 * <p>Unless otherwise specified, passing null throws {@link java.lang.NullPointerException}.
 *
 * @since 0.1
 */
@NullMarked
package io.concurrence.http;

import org.jspecify.annotations.NullMarked;
