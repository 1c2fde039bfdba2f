package io.concurrence.benchmarks.micro;

import java.time.Duration;
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

import io.concurrence.Call;
import io.concurrence.Tasklet;

/**
 * {@code mailbox-call}: {@code tasklet.call(msg, timeout)} answered by a receiver tasklet's {@code reply},
 * against a request/response pair of {@link SynchronousQueue}s served by a virtual thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MailboxCall {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The call. */
    record Ping() implements Call<Integer> {
    }

    private static final Ping PING = new Ping();
    private static final Integer PONG = 7;

    /** A receiver tasklet that replies to every call. */
    @State(Scope.Benchmark)
    public static class Ours {
        Tasklet<Void> receiver;

        /** Starts the receiver. */
        @Setup(Level.Trial)
        public void start() {
            receiver = Tasklet.receiver(envelope -> envelope.reply(PONG));
        }

        /** Stops the receiver. */
        @TearDown(Level.Trial)
        public void stop() {
            receiver.kill();
        }
    }

    /** A server thread answering requests on one queue with responses on another. */
    @State(Scope.Benchmark)
    public static class Queues {
        final SynchronousQueue<Ping> requests = new SynchronousQueue<>();
        final SynchronousQueue<Integer> responses = new SynchronousQueue<>();
        Thread server;

        /** Starts the server. */
        @Setup(Level.Trial)
        public void start() {
            server = OnVirtualThread.repeatUntilInterrupted(() -> {
                requests.take();
                responses.put(PONG);
            });
        }

        /** Stops the server. */
        @TearDown(Level.Trial)
        public void stop() {
            server.interrupt();
        }
    }

    /** Ours. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void concurrence(Ours state) throws InterruptedException {
        OnVirtualThread.run(() -> state.receiver.call(PING, TIMEOUT));
    }

    /** Peer: a request/response pair of SynchronousQueues. */
    @Benchmark
    @OperationsPerInvocation(OnVirtualThread.BATCH)
    public void synchronousQueuePair(Queues state) throws InterruptedException {
        OnVirtualThread.run(() -> {
            state.requests.put(PING);
            state.responses.take();
        });
    }
}
