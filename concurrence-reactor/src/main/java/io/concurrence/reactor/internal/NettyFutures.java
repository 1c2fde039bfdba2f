package io.concurrence.reactor.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import io.netty.util.concurrent.Future;

import io.concurrence.internal.Deadlines;
import io.concurrence.internal.Parking;

/**
 * Parks a tasklet until a Netty future completes (a write, a flush, a half-close): the sockets' one way of
 * waiting on something that is not a publisher.
 */
public final class NettyFutures {

    private NettyFutures() {
    }

    /**
     * Waits for {@code future}; returns its failure, or null on success. The operation itself is not
     * cancelled by a timeout or a kill (a write that has been queued cannot be taken back).
     *
     * @throws io.concurrence.TimeoutException if the deadline passes first
     * @throws io.concurrence.TaskletExit if the waiting tasklet is killed
     */
    public static @Nullable Throwable await(Future<?> future, long deadline, @Nullable Duration timeout,
                                            String operation) {
        if (!future.isDone()) {
            Bridge.checkMayBlock(operation);
            Thread waiter = Thread.currentThread();
            future.addListener(f -> LockSupport.unpark(waiter));
            Parking.Wake wake = Parking.park(future::isDone, deadline, future);
            if (wake != Parking.Wake.READY && !future.isDone()) {
                throw wake == Parking.Wake.TIMED_OUT
                        ? Deadlines.timeout(operation, timeout, deadline)
                        : Parking.killed(operation);
            }
            if (wake == Parking.Wake.INTERRUPTED) {
                Parking.restoreInterrupt();
            }
        }
        return future.cause();
    }
}
