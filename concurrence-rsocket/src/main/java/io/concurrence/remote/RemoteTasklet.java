package io.concurrence.remote;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.concurrence.Call;
import io.concurrence.Message;
import io.concurrence.remote.internal.RemoteLink;

/**
 * A tasklet of another process, found by {@link RemoteClient#lookup(String)}: {@link #send} and {@link #call} work
 * as on a local {@link io.concurrence.Tasklet}.
 *
 * @since 0.1
 */
public final class RemoteTasklet {

    private final RemoteLink.Target link;
    private final String name;

    RemoteTasklet(RemoteLink.Target link, String name) {
        this.link = link;
        this.name = name;
    }

    /**
     * The name it was looked up by.
     *
     * @return the name passed to {@link RemoteClient#lookup(String)}
     */
    public String name() {
        return name;
    }

    /**
     * Sends {@code message} (fire-and-forget). Never waits for the receiver. A message refused by the other side
     * (type not allowed there, name gone) is logged and counted there: RSocket's fire-and-forget has no
     * acknowledgement, and a send in flight when the connection drops is unconfirmed.
     *
     * @param message the message, of a type allowed on both sides
     * @throws RemoteException if the type is not allowed here, the message exceeds {@code maxFrameBytes}, or no
     *         server is connected (the client is reconnecting, or closed)
     */
    public void send(Message message) {
        link.send(Objects.requireNonNull(message, "message"));
    }

    /**
     * Calls and waits at most {@code timeout} (and the ambient {@link io.concurrence.Timeout}) for the reply.
     * <b>Kill:</b> throws {@link io.concurrence.TaskletExit}; the request is cancelled and a late reply dropped.
     *
     * @param message the call, of a type allowed on both sides
     * @param timeout how long to wait at most for the reply
     * @param <R> the type of the reply
     * @return the reply, as decoded on this side; null if the receiver replied with null
     * @throws io.concurrence.TimeoutException if no reply arrives in time (a late reply is dropped)
     * @throws io.concurrence.CallFailedException if the receiver answered with {@code fail}, or finished without
     *         replying (or as the call reached it)
     * @throws RemoteException if a type is refused on either side, a message or reply exceeds
     *         {@code maxFrameBytes}, no server is connected, or the connection is lost (promptly, not after the
     *         timeout)
     * @throws java.util.NoSuchElementException if the name is no longer registered: unregistered, or its tasklet
     *         has finished
     * @throws io.concurrence.TaskletExit if the calling tasklet is killed while waiting
     */
    public <R> @Nullable R call(Call<R> message, Duration timeout) {
        return link.call(Objects.requireNonNull(message, "message"), Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * A stream call: the receiver replies with an {@link Iterable} or a {@link java.util.stream.Stream}, whose
     * elements arrive here as a blocking stream, with backpressure: the receiver's side produces them as this
     * stream is read. Close the stream (try-with-resources) to stop early; the ambient
     * {@link io.concurrence.Timeout} bounds each wait for an element, and a kill cancels the rest.
     *
     * @param message the call, of a type allowed on both sides
     * @param <T> the type of the elements
     * @return the elements in the order the receiver produced them; read it from one tasklet, and close it to
     *         stop before the end
     * @throws RemoteException at once if the type is not allowed here or no server is connected; from the
     *         stream's operations if a type is refused on the other side, the receiver's reply is not an
     *         {@code Iterable} or a {@code Stream}, or the connection is lost
     * @throws io.concurrence.CallFailedException (from the stream's operations) if the receiver answered with
     *         {@code fail}
     * @throws java.util.NoSuchElementException (from the stream's operations) if the name is no longer registered
     *         (unregistered, or its tasklet has finished)
     */
    public <T> java.util.stream.Stream<T> stream(Call<T> message) {
        return link.stream(Objects.requireNonNull(message, "message"), null);
    }

    /**
     * As {@link #stream(Call)}, with {@code timeout} from now for the whole stream (and the ambient
     * {@link io.concurrence.Timeout}, whichever ends first): a wait for an element past it cancels the rest of the
     * stream on both sides and throws {@link io.concurrence.TimeoutException}.
     *
     * @param message the call, of a type allowed on both sides
     * @param timeout how long the whole stream may take, from this call
     * @param <T> the type of the elements
     * @return the elements in the order the receiver produced them; read it from one tasklet, and close it to
     *         stop before the end
     * @throws RemoteException as {@link #stream(Call)}
     * @throws io.concurrence.TimeoutException (from the stream's operations) once {@code timeout} has passed
     * @throws io.concurrence.CallFailedException as {@link #stream(Call)}
     * @throws java.util.NoSuchElementException as {@link #stream(Call)}
     */
    public <T> java.util.stream.Stream<T> stream(Call<T> message, Duration timeout) {
        return link.stream(Objects.requireNonNull(message, "message"), Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public String toString() {
        return "RemoteTasklet[" + link + "]";
    }
}
