package io.concurrence.benchmarks.micro;

import java.util.concurrent.SynchronousQueue;
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

import io.concurrence.Channel;
import io.concurrence.Tasklet;

/**
 * {@code channel-pingpong}: a round trip over two rendezvous channels between two virtual threads, against
 * a pair of {@link SynchronousQueue}s and a pair of Jox rendezvous channels.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChannelPingPong {

    private static final Integer BALL = 42;

    /** Our channels, and a tasklet bouncing the ball. */
    @State(Scope.Benchmark)
    public static class Ours {
        final Channel<Integer> ping = new Channel<>();
        final Channel<Integer> pong = new Channel<>();
        Tasklet<Void> ponger;

        /** Starts the ponger. */
        @Setup(Level.Trial)
        public void start() {
            ponger = Tasklet.spawn(() -> {
                for (;;) {
                    pong.send(ping.receive());
                }
            });
        }

        /** Stops the ponger. */
        @TearDown(Level.Trial)
        public void stop() {
            ponger.kill();
        }
    }

    /** Two synchronous queues, and a virtual thread bouncing the ball. */
    @State(Scope.Benchmark)
    public static class Queues {
        final SynchronousQueue<Integer> ping = new SynchronousQueue<>();
        final SynchronousQueue<Integer> pong = new SynchronousQueue<>();
        Thread ponger;

        /** Starts the ponger. */
        @Setup(Level.Trial)
        public void start() {
            ponger = OnVirtualThread.repeatUntilInterrupted(() -> pong.put(ping.take()));
        }

        /** Stops the ponger. */
        @TearDown(Level.Trial)
        public void stop() {
            ponger.interrupt();
        }
    }

    /** Two Jox rendezvous channels, and a virtual thread bouncing the ball. */
    @State(Scope.Benchmark)
    public static class Jox {
        final com.softwaremill.jox.Channel<Integer> ping = com.softwaremill.jox.Channel.newRendezvousChannel();
        final com.softwaremill.jox.Channel<Integer> pong = com.softwaremill.jox.Channel.newRendezvousChannel();
        Thread ponger;

        /** Starts the ponger. */
        @Setup(Level.Trial)
        public void start() {
            ponger = OnVirtualThread.repeatUntilInterrupted(() -> pong.send(ping.receive()));
        }

        /** Stops the ponger. */
        @TearDown(Level.Trial)
        public void stop() {
            ponger.interrupt();
        }
    }

    /** Ours. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void concurrence(Ours state) throws InterruptedException {
        OnVirtualThread.run(() -> {
            state.ping.send(BALL);
            state.pong.receive();
        });
    }

    /** Peer: SynchronousQueue. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void synchronousQueue(Queues state) throws InterruptedException {
        OnVirtualThread.run(() -> {
            state.ping.put(BALL);
            state.pong.take();
        });
    }

    /** Peer: Jox rendezvous channels. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void jox(Jox state) throws InterruptedException {
        OnVirtualThread.run(() -> {
            state.ping.send(BALL);
            state.pong.receive();
        });
    }
}
