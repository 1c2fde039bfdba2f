package io.concurrence.benchmarks.micro;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import io.concurrence.reactor.Await;

/**
 * {@code await-mono}: {@code Await.of(mono)} where the Mono completes on a Netty event loop, against
 * {@code mono.block()} from a virtual thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AwaitMono {

    /** A Mono that completes on a Reactor Netty event loop. */
    @State(Scope.Benchmark)
    public static class OnEventLoop {
        LoopResources loops;
        Mono<Integer> mono;

        /** Creates the event loop and the Mono. */
        @Setup(Level.Trial)
        public void start() {
            loops = LoopResources.create("bench", 1, true);
            EventLoop loop = loops.onServer(true).next();
            Integer value = 1;
            mono = Mono.create(sink -> loop.execute(() -> sink.success(value)));
        }

        /** Stops the event loop. */
        @TearDown(Level.Trial)
        public void stop() {
            loops.dispose();
        }
    }

    /** Ours. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void concurrence(OnEventLoop state) throws InterruptedException {
        OnVirtualThread.run(() -> Await.of(state.mono));
    }

    /** Peer: {@code Mono.block()}. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void monoBlock(OnEventLoop state) throws InterruptedException {
        OnVirtualThread.run(() -> state.mono.block());
    }
}
