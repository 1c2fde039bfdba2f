package io.concurrence.remote.internal;

import java.time.Duration;
import java.util.NoSuchElementException;

import io.concurrence.Call;
import io.concurrence.CallFailedException;
import io.concurrence.ConcurrenceException;
import io.concurrence.Message;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.reactor.Await;
import io.concurrence.remote.RemoteException;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;

/**
 * The client side of one connection: sends, calls and lookups over an RSocket, with the errors of the other
 * side turned into what a local call would throw.
 */
public final class RemoteLink {

    private final RSocket socket;
    private final MessageCodec codec;
    private final String peer;

    public RemoteLink(RSocket socket, MessageCodec codec, String peer) {
        this.socket = socket;
        this.codec = codec;
        this.peer = peer;
    }

    /** Whether a tasklet is registered as {@code name} on the other side. */
    public boolean exists(String name, Duration timeout) {
        try {
            Await.of(socket.requestResponse(Wire.payload(Wire.LOOKUP, name, new byte[0])).then(), timeout);
            return true;
        } catch (NoSuchElementException e) {
            return false;
        } catch (RuntimeException e) {
            throw translate(e, "lookup of '" + name + "'");
        }
    }

    public void send(String name, Message message) {
        byte[] frame = codec.encode(message);
        if (socket.isDisposed()) {
            throw new RemoteException("cannot send " + message + " to '" + name + "': the connection to " + peer
                    + " is closed");
        }
        socket.fireAndForget(Wire.payload(Wire.SEND, name, frame)).subscribe(null, e -> { });
    }

    @SuppressWarnings("unchecked")
    public <R> R call(String name, Call<R> message, Duration timeout) {
        byte[] frame = codec.encode(message);
        try {
            return (R) Await.of(socket.requestResponse(Wire.payload(Wire.CALL, name, frame))
                    .map(reply -> {
                        try {
                            return java.util.Optional.ofNullable(codec.decodeValue(Wire.data(reply)));
                        } finally {
                            reply.release();
                        }
                    }), timeout).orElse(null);
        } catch (RuntimeException e) {
            throw translate(e, "call " + message + " to '" + name + "'");
        }
    }

    /**
     * A stream call: the elements as a blocking stream, with backpressure (RSocket's request-n follows the
     * reader). Closing the stream early cancels the rest.
     */
    @SuppressWarnings("unchecked")
    public <T> java.util.stream.Stream<T> stream(String name, Call<T> message) {
        byte[] frame = codec.encode(message);
        String what = "stream " + message + " from '" + name + "'";
        java.util.stream.Stream<Object> elements = Await.stream(socket.requestStream(Wire.payload(Wire.STREAM, name,
                frame)).map(element -> {
                    try {
                        return java.util.Optional.ofNullable(codec.decodeValue(Wire.data(element)));
                    } finally {
                        element.release();
                    }
                }).onErrorMap(e -> e instanceof RuntimeException r ? translate(r, what) : e)
                .map(optional -> (Object) optional.orElse(null)));
        return (java.util.stream.Stream<T>) elements;
    }

    public void close() {
        socket.dispose();
    }

    private RuntimeException translate(RuntimeException e, String what) {
        if (e instanceof TimeoutException || e instanceof TaskletExit || e instanceof RemoteException) {
            return e;
        }
        if (e instanceof ApplicationErrorException app) {
            String m = String.valueOf(app.getMessage());
            if (m.startsWith("NoSuchElement: ")) {
                return new NoSuchElementException(m.substring("NoSuchElement: ".length()) + " on " + peer);
            }
            if (m.startsWith("Failed: ")) {
                return new CallFailedException(what + " failed on " + peer + ": " + m.substring("Failed: ".length()),
                        null);
            }
            if (m.startsWith("Refused: ")) {
                return new RemoteException(what + " was refused by " + peer + ": " + m.substring("Refused: ".length()),
                        app);
            }
            return new RemoteException(what + " failed on " + peer + ": " + m, app);
        }
        Throwable cause = e instanceof ConcurrenceException && e.getCause() != null ? e.getCause() : e;
        return new RemoteException(what + ": the connection to " + peer + " failed: " + cause, cause);
    }

    @Override
    public String toString() {
        return peer;
    }
}
