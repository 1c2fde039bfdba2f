package io.concurrence.remote.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What a server has done, counted for {@code RemoteServer} and its Micrometer meters. */
public final class ServerCounters {

    final LongAdder delivered = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder refusedSends = new LongAdder();
    final LongAdder refusedCalls = new LongAdder();
    final LongAdder rejectedSetups = new LongAdder();
    final AtomicInteger connections = new AtomicInteger();

    /** Sends and calls delivered into a mailbox. */
    public long delivered() {
        return delivered.sum();
    }

    /** Sends and calls to a registered tasklet that had finished: dead letters, not delivered. */
    public long deadLetters() {
        return deadLetters.sum();
    }

    /** Sends that could not be delivered (unknown name, disallowed type, malformed frame). */
    public long refusedSends() {
        return refusedSends.sum();
    }

    /** Calls refused before delivery (unknown name, disallowed type, malformed frame). */
    public long refusedCalls() {
        return refusedCalls.sum();
    }

    /** Connections rejected in their setup frame (a missing or wrong auth token). */
    public long rejectedSetups() {
        return rejectedSetups.sum();
    }

    /** Client connections open now. */
    public int connections() {
        return connections.get();
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public void setupRejected() {
        rejectedSetups.increment();
    }
}
