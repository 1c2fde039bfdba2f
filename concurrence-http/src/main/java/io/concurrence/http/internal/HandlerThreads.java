package io.concurrence.http.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.EventLoop;

import io.concurrence.Tasklet;
import io.concurrence.internal.TaskletThreads;

/**
 * Where request tasklets run: on the JDK's default virtual-thread scheduler, or, in the opt-in
 * event-loop-carrier mode, on the very event loop that read the request.
 *
 * <p>In that mode a request's virtual thread is scheduled by its channel's event loop: starting it, and
 * every unpark after it blocks, queues its continuation as a task on the loop, which runs it between IO
 * events. The hop to the tasklet and back costs a queue offer, no thread wake-up. The price: while a
 * handler computes, that loop serves no IO, and a handler pinned in native code (or, before JDK 24, in a
 * {@code synchronized} block) blocks the loop. Tasklets the handler spawns run on the default scheduler.
 * Should a loop refuse a continuation (it is shutting down), the continuation runs on the common pool
 * instead, so no virtual thread is stranded.
 */
final class HandlerThreads {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerThreads.class);

    /** Factories per event loop; loops are few and live as long as the server's loop resources. */
    private final @Nullable ConcurrentHashMap<EventLoop, ThreadFactory> perLoop;

    private HandlerThreads(boolean onEventLoops) {
        this.perLoop = onEventLoops ? new ConcurrentHashMap<>() : null;
    }

    /** The default scheduler, or the event loops when asked and the JDK allows it (else a warning). */
    static HandlerThreads create(boolean eventLoopCarriers) {
        if (!eventLoopCarriers) {
            return new HandlerThreads(false);
        }
        if (TaskletThreads.scheduledBy(Runnable::run) == null) {
            LOG.warn("eventLoopCarriers(true) needs the JDK's virtual-thread builder ({}); run with "
                    + "--add-opens java.base/java.lang=ALL-UNNAMED (class path) or =io.concurrence (module path)."
                    + " Handlers run on the default virtual-thread scheduler instead.",
                    TaskletThreads.unavailableReason());
            return new HandlerThreads(false);
        }
        return new HandlerThreads(true);
    }

    boolean onEventLoops() {
        return perLoop != null;
    }

    /** Starts a request's tasklet. Called on {@code loop}. */
    Tasklet<Void> spawn(EventLoop loop, Runnable body) {
        ConcurrentHashMap<EventLoop, ThreadFactory> factories = perLoop;
        if (factories == null) {
            return Tasklet.spawn(body);
        }
        ThreadFactory threads = factories.get(loop);
        if (threads == null) {
            threads = factories.computeIfAbsent(loop, HandlerThreads::threadsOn);
        }
        return TaskletThreads.spawn(threads, body);
    }

    private static ThreadFactory threadsOn(EventLoop loop) {
        ThreadFactory threads = TaskletThreads.scheduledBy(new LoopScheduler(loop));
        if (threads == null) {
            throw new IllegalStateException("virtual-thread builder became unavailable: "
                    + TaskletThreads.unavailableReason());
        }
        return threads;
    }

    /** Runs continuations on the loop; on the common pool once the loop refuses them. */
    private record LoopScheduler(EventLoop loop) implements Executor {
        @Override
        public void execute(Runnable continuation) {
            if (!loop.isShuttingDown()) {
                try {
                    loop.execute(continuation);
                    return;
                } catch (RejectedExecutionException e) {
                    // shut down meanwhile: fall through
                }
            }
            ForkJoinPool.commonPool().execute(continuation);
        }
    }
}
