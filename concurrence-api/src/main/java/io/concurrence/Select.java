package io.concurrence;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import io.concurrence.internal.Deadlines;
import io.concurrence.internal.Parking;

/**
 * Receives from whichever of several channels has a value first, like Go's {@code select}.
 * <pre>{@code
 * Select.Received<?> got = Select.receive(Duration.ofSeconds(1), orders, cancellations);
 * if (got.channel() == cancellations) { ... }
 * }</pre>
 *
 * <p>When several channels have a value at once, one of them is picked at random, so that no channel
 * starves. A closed and drained channel is skipped; when every channel is closed and drained, the select
 * throws {@link ChannelClosedException}. Exactly one value is taken: the others stay in their channels.
 *
 * @since 0.1
 */
public final class Select {

    /*
     * Implementation overview.
     *
     * The selecting thread creates one group waiter and registers it on each channel in turn (starting at a
     * random channel). A registration takes a value at once if the channel has one, completing the group
     * by CAS; otherwise it queues as a receiver. Senders on any channel complete the group by the same CAS,
     * so exactly one value is taken; a sender that loses the race skips the stale registration and serves
     * the next receiver. After waking (or giving up by CASing the group to CANCELLED), the thread removes
     * its remaining registrations. A registration that fired because its channel closed restarts the
     * select over the channels still open.
     */

    private Select() {
    }

    /**
     * What a select received, and from which channel.
     *
     * @param channel the channel the value came from
     * @param value the value
     * @param <T> the type of the value
     */
    public record Received<T>(Channel<T> channel, T value) {

        /**
         * Validates the components.
         *
         * @param channel the channel the value came from
         * @param value the value
         */
        public Received {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Blocks until one of {@code channels} has a value, and takes it.
     *
     * <p><b>Timeout:</b> waits indefinitely, subject to the ambient {@link Timeout}. <b>Kill:</b> throws
     * {@link TaskletExit} and withdraws from every channel. <b>Threads:</b> any thread.
     *
     * @param channels the channels to receive from, at least one
     * @return the channel that fired and its value
     * @throws ChannelClosedException if every channel is closed and drained
     * @throws TimeoutException if the ambient deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws RuntimeException the exception a sender sent with {@link Channel#sendException}
     */
    public static Received<?> receive(Channel<?>... channels) {
        return select(null, channels);
    }

    /**
     * Blocks until one of {@code channels} has a value, for at most {@code timeout}, and takes it.
     *
     * <p><b>Timeout:</b> the tighter of {@code timeout} and the ambient {@link Timeout}; zero or negative
     * means "only a value available at once". <b>Kill:</b> throws {@link TaskletExit} and withdraws from
     * every channel. <b>Threads:</b> any thread.
     *
     * @param timeout how long to wait at most
     * @param channels the channels to receive from, at least one
     * @return the channel that fired and its value
     * @throws ChannelClosedException if every channel is closed and drained
     * @throws TimeoutException if the deadline passes first
     * @throws TaskletExit if the calling tasklet is killed while waiting
     * @throws RuntimeException the exception a sender sent with {@link Channel#sendException}
     */
    public static Received<?> receive(Duration timeout, Channel<?>... channels) {
        return select(Objects.requireNonNull(timeout, "timeout"), channels);
    }

    private static Received<?> select(@Nullable Duration timeout, Channel<?>[] channels) {
        Objects.requireNonNull(channels, "channels");
        if (channels.length == 0) {
            throw new IllegalArgumentException("Select.receive needs at least one channel");
        }
        for (Channel<?> channel : channels) {
            Objects.requireNonNull(channel, "channels must not contain null");
        }
        long deadline = Deadlines.effective(timeout);
        for (;;) {
            ChannelWaiter.Registration fired = registerAndWait(channels, timeout, deadline);
            if (fired.signal == ChannelWaiter.DELIVERED) {
                return received(fired);
            }
            // The channel that fired closed while we waited: select again over the others.
        }
    }

    /** One round: registers on every channel, waits, deregisters; returns the registration that fired. */
    private static ChannelWaiter.Registration registerAndWait(Channel<?>[] channels, @Nullable Duration timeout,
                                                              long deadline) {
        ChannelWaiter group = ChannelWaiter.forCurrentThread(null);
        ChannelWaiter.Registration[] registrations = new ChannelWaiter.Registration[channels.length];
        int open = 0;
        int start = channels.length == 1 ? 0 : ThreadLocalRandom.current().nextInt(channels.length);
        for (int i = 0; i < channels.length && group.outcome() == null; i++) {
            int index = (start + i) % channels.length;
            ChannelWaiter.Registration registration = new ChannelWaiter.Registration(group, channels[index]);
            switch (channels[index].register(registration)) {
                case WAITING -> {
                    registrations[index] = registration;
                    open++;
                }
                case CLOSED_AND_DRAINED, TOOK, GROUP_DONE -> {
                    // TOOK completed the group; the loop condition ends the round.
                }
            }
        }
        if (group.outcome() == null && open == 0) {
            throw new ChannelClosedException("Select.receive: every channel is closed and drained");
        }
        Parking.Wake wake = Parking.park(group, deadline, group);
        if (wake != Parking.Wake.READY && group.tryComplete(ChannelWaiter.CANCELLED)) {
            deregister(channels, registrations);
            throw wake == Parking.Wake.TIMED_OUT
                    ? Deadlines.timeout("Select.receive", timeout, deadline)
                    : Parking.killed("Select.receive");
        }
        if (wake == Parking.Wake.INTERRUPTED) {
            Parking.restoreInterrupt();
        }
        deregister(channels, registrations);
        return (ChannelWaiter.Registration) Objects.requireNonNull(group.outcome());
    }

    private static void deregister(Channel<?>[] channels, ChannelWaiter.@Nullable Registration[] registrations) {
        for (int i = 0; i < channels.length; i++) {
            ChannelWaiter.Registration registration = registrations[i];
            if (registration != null) {
                channels[i].deregister(registration);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Received<?> received(ChannelWaiter.Registration fired) {
        Channel<Object> channel = (Channel<Object>) fired.channel;
        return new Received<>(channel, Channel.unwrap(Objects.requireNonNull(fired.item)));
    }
}
