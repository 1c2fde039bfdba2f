package io.concurrence;

/**
 * Thrown by {@link Channel#send(Object)} on a closed channel, by {@link Channel#receive()} once a closed
 * channel is drained, and by every call blocked on a channel when it closes.
 *
 * @since 0.1
 */
public class ChannelClosedException extends ConcurrenceException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which channel, and which operation
     */
    public ChannelClosedException(String message) {
        super(message);
    }
}
