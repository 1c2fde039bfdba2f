package io.concurrence.remote.internal;

import java.util.concurrent.atomic.LongAdder;

/** What a client has done, counted for {@code RemoteClient.stats()} and its Micrometer meters. */
public final class ClientCounters {

    final LongAdder calls = new LongAdder();
    final LongAdder failedCalls = new LongAdder();
    final LongAdder sends = new LongAdder();
    final LongAdder disconnectedSends = new LongAdder();
    final LongAdder unconfirmedSends = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    private volatile CallObserver observer = CallObserver.NONE;

    /** Observes each call's outcome and duration (the Micrometer timer). */
    public interface CallObserver {

        CallObserver NONE = (peer, outcome, nanos) -> { };

        /** A call (or stream call, or lookup) to {@code peer} ended with {@code outcome} after {@code nanos}. */
        void completed(String peer, String outcome, long nanos);
    }

    public void observer(CallObserver callObserver) {
        this.observer = callObserver;
    }

    void completed(String peer, String outcome, long nanos) {
        calls.increment();
        if (!"success".equals(outcome)) {
            failedCalls.increment();
        }
        observer.completed(peer, outcome, nanos);
    }

    public long calls() {
        return calls.sum();
    }

    public long failedCalls() {
        return failedCalls.sum();
    }

    public long sends() {
        return sends.sum();
    }

    public long disconnectedSends() {
        return disconnectedSends.sum();
    }

    public long unconfirmedSends() {
        return unconfirmedSends.sum();
    }

    public long reconnects() {
        return reconnects.sum();
    }
}
