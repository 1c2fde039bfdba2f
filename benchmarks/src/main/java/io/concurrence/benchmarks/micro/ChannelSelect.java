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

import io.concurrence.Channel;
import io.concurrence.Select;
import io.concurrence.Tasklet;

/**
 * {@code channel-select}: a select over two rendezvous channels, each fed by its own producer, against Jox's
 * {@code select} over the same setup.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChannelSelect {

    /** Our two channels and their producers. */
    @State(Scope.Benchmark)
    public static class Ours {
        final Channel<Integer> left = new Channel<>();
        final Channel<Integer> right = new Channel<>();
        Tasklet<Void> leftProducer;
        Tasklet<Void> rightProducer;

        /** Starts the producers. */
        @Setup(Level.Trial)
        public void start() {
            leftProducer = produce(left, 1);
            rightProducer = produce(right, 2);
        }

        private static Tasklet<Void> produce(Channel<Integer> channel, Integer value) {
            return Tasklet.spawn(() -> {
                for (;;) {
                    channel.send(value);
                }
            });
        }

        /** Stops the producers. */
        @TearDown(Level.Trial)
        public void stop() {
            leftProducer.kill();
            rightProducer.kill();
        }
    }

    /** Two Jox channels and their producers. */
    @State(Scope.Benchmark)
    public static class Jox {
        final com.softwaremill.jox.Channel<Integer> left = com.softwaremill.jox.Channel.newRendezvousChannel();
        final com.softwaremill.jox.Channel<Integer> right = com.softwaremill.jox.Channel.newRendezvousChannel();
        Thread leftProducer;
        Thread rightProducer;

        /** Starts the producers. */
        @Setup(Level.Trial)
        public void start() {
            leftProducer = produce(left, 1);
            rightProducer = produce(right, 2);
        }

        private static Thread produce(com.softwaremill.jox.Channel<Integer> channel, Integer value) {
            return OnVirtualThread.repeatUntilInterrupted(() -> channel.send(value));
        }

        /** Stops the producers. */
        @TearDown(Level.Trial)
        public void stop() {
            leftProducer.interrupt();
            rightProducer.interrupt();
        }
    }

    /** Ours. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void concurrence(Ours state) throws InterruptedException {
        OnVirtualThread.run(() -> Select.receive(state.left, state.right));
    }

    /** Peer: Jox select. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void jox(Jox state) throws InterruptedException {
        OnVirtualThread.run(() -> com.softwaremill.jox.Select.select(state.left.receiveClause(),
                state.right.receiveClause()));
    }
}
