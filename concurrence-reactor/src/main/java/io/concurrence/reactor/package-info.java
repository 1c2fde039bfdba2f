/**
 * The bridge between tasklets and Reactor.
 *
 * <p>{@link io.concurrence.reactor.Await} is the only place in Concurrence where a tasklet waits on a
 * {@link reactor.core.publisher.Mono} or {@link reactor.core.publisher.Flux}: it honours the ambient
 * {@link io.concurrence.Timeout}, cancels the subscription on timeout and on
 * {@link io.concurrence.Tasklet#kill()}, and refuses to run on a non-blocking thread.
 * {@link io.concurrence.reactor.Reactive} goes the other way: it turns blocking code and channels into
 * publishers for existing Reactor code.
 *
 * <p>Unless otherwise specified, passing null throws {@link java.lang.NullPointerException}.
 *
 * @since 0.1
 */
@NullMarked
package io.concurrence.reactor;

import org.jspecify.annotations.NullMarked;
