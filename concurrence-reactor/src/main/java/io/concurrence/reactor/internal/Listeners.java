package io.concurrence.reactor.internal;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.concurrence.TimeoutException;
import io.concurrence.reactor.Await;

/**
 * Closing a listening socket: Reactor Netty's {@code dispose()} only asks the event loop to close it, so a server's
 * {@code close()} waits here until the port is released, and a program (or a test) that binds the port again at
 * once finds it free, and a client that connects at once is refused.
 */
public final class Listeners {

    /** How long a close waits for the event loop to release the port before it gives up (and logs). */
    public static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    /**
     * Waits, at most {@link #RELEASE_WAIT}, until {@code closed} completes (the disposed listener's close signal). On
     * a non-blocking thread (an event loop, which may be the one that must close it) it does not wait. A listener
     * that does not close in time is logged, not thrown: the caller's close goes on closing the rest.
     *
     * @param closed the listener's close signal, e.g. {@code DisposableServer.onDispose()}
     * @param what the server, for the log
     * @throws io.concurrence.TaskletExit if the closing tasklet is killed while it waits
     */
    public static void awaitReleased(Mono<Void> closed, Object what) {
        if (Schedulers.isInNonBlockingThread()) {
            return;
        }
        try {
            Await.of(closed.onErrorResume(e -> Mono.empty()), RELEASE_WAIT);
        } catch (TimeoutException e) {
            LOG.warn("{}: the listening socket was not released within {}", what, RELEASE_WAIT);
        }
    }
}
