package io.concurrence.internal;

import java.util.Objects;
import java.util.function.BiPredicate;

import org.jspecify.annotations.Nullable;

import io.concurrence.Envelope;
import io.concurrence.Tasklet;

/**
 * Delivery into a tasklet's mailbox of envelopes made outside the core: a message that arrived from another
 * process, say, whose {@code reply}/{@code fail} travel back over the network. The receiving code takes it like
 * any other envelope.
 *
 * <p>Such an envelope is treated as the core's own: delivery never blocks; delivered to a finished tasklet it is a
 * dead letter (a call is failed with {@link io.concurrence.CallFailedException}); a call taken from the mailbox
 * and never answered is failed the same way when the tasklet that took it finishes. Its {@code reply} and
 * {@code fail} must never block, and must drop an answer to a caller that gave up.
 */
public final class Mailboxes {

    private static volatile @Nullable BiPredicate<Tasklet<?>, Envelope> delivery;

    private Mailboxes() {
    }

    /** Called once by {@code Tasklet}'s static initializer. */
    public static void install(BiPredicate<Tasklet<?>, Envelope> deliver) {
        if (delivery != null) {
            throw new IllegalStateException("mailbox delivery is installed already");
        }
        delivery = Objects.requireNonNull(deliver, "deliver");
    }

    /**
     * Appends {@code envelope} to {@code target}'s mailbox. Never blocks.
     *
     * @return true if delivered; false if {@code target} had finished (the envelope is then a dead letter,
     *         logged and counted, and a call is failed)
     */
    public static boolean deliver(Tasklet<?> target, Envelope envelope) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(envelope, "envelope");
        // A Tasklet exists, so its class, whose initializer installs the delivery, has been initialized.
        return Objects.requireNonNull(delivery, "Tasklet did not install its delivery").test(target, envelope);
    }
}
