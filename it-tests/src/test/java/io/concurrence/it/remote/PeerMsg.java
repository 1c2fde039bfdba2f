package io.concurrence.it.remote;

import java.util.Objects;

import io.concurrence.Call;
import io.concurrence.Message;

/**
 * The protocol between the tests and the {@link RemotePeer} child JVM: both sides allow this sealed interface
 * and the {@link SeqReport} reply ({@link #ALLOWED}), and nothing else.
 */
sealed interface PeerMsg extends Message permits PeerMsg.Echo, PeerMsg.Add, PeerMsg.Total, PeerMsg.Hang,
        PeerMsg.Seq, PeerMsg.Check, PeerMsg.Whoami, PeerMsg.Note {

    /** What both processes allow to cross. */
    Class<?>[] ALLOWED = {PeerMsg.class, SeqReport.class};

    /** Answered with its text. */
    record Echo(String text) implements PeerMsg, Call<String> {
        public Echo {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A send: adds {@code n} to the peer's total. */
    record Add(long n) implements PeerMsg {
    }

    /** Answered with the sum of every {@link Add} received. */
    record Total() implements PeerMsg, Call<Long> {
    }

    /** Never answered; the peer prints {@code HANG} when it takes it. */
    record Hang() implements PeerMsg, Call<String> {
    }

    /** A send, numbered from 0: the peer records whether these arrive in order. */
    record Seq(int index) implements PeerMsg {
        public Seq {
            if (index < 0) {
                throw new IllegalArgumentException("index " + index + " is negative");
            }
        }
    }

    /** Answered with a {@link SeqReport} of the {@link Seq} sends received so far. */
    record Check() implements PeerMsg, Call<SeqReport> {
    }

    /** Answered with the peer process's id: which of several peers answered. */
    record Whoami() implements PeerMsg, Call<Long> {
    }

    /**
     * A send with a unique id: a peer started with a deliveries log ({@link PeerProcess#start(int, String,
     * java.nio.file.Path)}) appends the id to it as it takes the message, so that the ids survive a SIGKILL.
     */
    record Note(long id) implements PeerMsg {
    }

    /**
     * What the peer saw of the {@link Seq} sends.
     *
     * @param received how many arrived
     * @param firstOutOfOrder the position of the first one whose index was not its position, or -1 if none
     */
    record SeqReport(int received, int firstOutOfOrder) {
    }
}
