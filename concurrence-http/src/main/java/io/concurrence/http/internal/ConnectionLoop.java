package io.concurrence.http.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;

import io.netty.channel.Channel;

/**
 * The event loop of one client exchange's connection, as an executor for the exchange's cancellation
 * ({@code cancelOn}): a tasklet that times out or is killed while it waits for the response head cancels on
 * that loop, once the connection is known.
 *
 * <p>Why: a cancel issued from the tasklet's thread reaches Reactor Netty, which decides there that the
 * response is still pending and schedules the connection's close on its event loop. If the response arrives
 * in between, the loop completes it and hands the connection back to the pool, where the next exchange takes
 * it and sends its request; then the close scheduled for the old exchange runs and fails the new one
 * ("Connection prematurely closed BEFORE response"). Decided on the loop, the cancel sees the exchange as it
 * is: still pending (the connection closes with it, nothing else uses it) or complete (nothing to cancel; the
 * late response is abandoned by the discard hook, which drains it and keeps the connection).
 *
 * <p>Before the connection is known (still being acquired) a task runs at once: nothing has been sent.
 */
final class ConnectionLoop implements Executor {

    /** Set on the event loop as the request goes out; read by the cancelling thread. */
    private volatile @Nullable Channel channel;

    /** Records the exchange's connection (each attempt's, should Reactor Netty retry on another). */
    void set(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void execute(Runnable task) {
        Channel c = channel;
        if (c == null || c.eventLoop().inEventLoop()) {
            task.run();
            return;
        }
        try {
            c.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // the loop is shutting down: its channels are closing anyway
        }
    }
}
