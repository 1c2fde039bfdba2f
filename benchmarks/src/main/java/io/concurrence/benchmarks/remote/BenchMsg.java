package io.concurrence.benchmarks.remote;

import io.concurrence.Call;
import io.concurrence.Message;

/**
 * The remoting scenarios' messages. Ours sends them as they are; the raw RSocket peer encodes the same records
 * with a plain Jackson {@code CBORMapper}, so both sides pay for a CBOR encoding and decoding of each message.
 */
public sealed interface BenchMsg extends Message {

    /**
     * A call answered with its {@code n}.
     *
     * @param n the number to echo
     */
    record Ping(long n) implements BenchMsg, Call<Long> {
    }

    /**
     * A fire-and-forget message, counted by the receiver.
     *
     * @param n a sequence number
     */
    record Tick(long n) implements BenchMsg {
    }

    /** A call answered, once the receiver has taken every message sent before it, with the ticks it counted. */
    record Flush() implements BenchMsg, Call<Long> {
    }
}
