package io.concurrence;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A tasklet's unbounded FIFO of incoming {@link Envelope}s. {@link Tasklet#send} appends without blocking;
 * the owner takes envelopes with {@link Tasklet#receive()} (or through this object).
 *
 * <p>When its tasklet finishes, the mailbox closes: envelopes still in it, and messages sent later, are
 * dead letters (logged once per tasklet and counted in {@link Tasklet#stats()}), and calls among them fail
 * promptly at their callers with {@link CallFailedException}.
 *
 * <p>Thread-safe. Appending an envelope happens-before its receipt.
 *
 * @since 0.1
 */
public final class Mailbox {

    /** Null for the shared closed mailbox of finished tasklets that never had one. */
    private final @Nullable Tasklet<?> owner;
    private final Channel<Envelope> queue = Channel.unbounded(this);

    Mailbox(@Nullable Tasklet<?> owner) {
        this.owner = owner;
    }

    /** A closed, empty mailbox. */
    static Mailbox closed() {
        Mailbox mailbox = new Mailbox(null);
        mailbox.queue.close();
        return mailbox;
    }

    /**
     * Blocks until an envelope is available and takes it.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link Timeout}. <b>Kill:</b> throws
     * {@link TaskletExit}. <b>Threads:</b> usually the owner; any tasklet may receive.
     *
     * @return the next envelope
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws ChannelClosedException if the owner has finished and the mailbox is empty
     */
    public Envelope receive() {
        return taken(queue.receiveItem(null, "Mailbox.receive"));
    }

    /**
     * Blocks until an envelope is available, for at most {@code timeout}, and takes it.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link Timeout}; zero or negative
     * means "only an envelope that is already there". <b>Kill:</b> throws {@link TaskletExit}.
     * <b>Threads:</b> usually the owner; any tasklet may receive.
     *
     * @param timeout how long to wait at most
     * @return the next envelope
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws ChannelClosedException if the owner has finished and the mailbox is empty
     */
    public Envelope receive(Duration timeout) {
        return taken(queue.receiveItem(Objects.requireNonNull(timeout, "timeout"), "Mailbox.receive"));
    }

    /**
     * Takes the next envelope if there is one, without waiting.
     *
     * @return the envelope, or empty
     */
    public Optional<Envelope> poll() {
        return queue.poll().map(this::taken);
    }

    /**
     * The number of envelopes waiting. A snapshot.
     *
     * @return the mailbox depth
     */
    public int size() {
        return queue.size();
    }

    @Override
    public String toString() {
        return "Mailbox[" + (owner == null ? "a finished tasklet" : owner.name()) + ", size=" + size() + "]";
    }

    /** Appends without blocking; returns false when the owner has finished (the envelope is a dead letter). */
    boolean offer(Envelope envelope) {
        return !Channel.isClosedResult(queue.offerItem(envelope));
    }

    /** Closes the mailbox as its owner finishes, returning the envelopes nobody took. */
    List<Object> closeAndDrain() {
        return queue.closeAndDrain();
    }

    private Envelope taken(Object item) {
        Envelope envelope = (Envelope) item;
        if (envelope instanceof LocalEnvelope local) {
            local.takenBy(Tasklet.findCurrentOrNull());
        } else if (envelope.expectsReply()) {
            // delivered from outside the core (io.concurrence.internal.Mailboxes): tracked the same way
            Tasklet<?> taker = Tasklet.findCurrentOrNull();
            if (taker != null) {
                taker.trackUnanswered(envelope);
            }
        }
        return envelope;
    }
}
