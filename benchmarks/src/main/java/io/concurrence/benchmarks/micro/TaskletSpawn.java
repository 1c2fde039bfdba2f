package io.concurrence.benchmarks.micro;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import io.concurrence.Tasklet;

/** {@code tasklet-spawn}: spawn and join a trivial tasklet, against start and join of a virtual thread. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TaskletSpawn {

    private static final Runnable NOTHING = () -> { };

    /** Ours. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void concurrence() throws InterruptedException {
        OnVirtualThread.run(() -> Tasklet.spawn(NOTHING).join());
    }

    /** Peer: {@code Thread.ofVirtual().start} + {@code join}. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void virtualThread() throws InterruptedException {
        OnVirtualThread.run(() -> Thread.ofVirtual().start(NOTHING).join());
    }
}
