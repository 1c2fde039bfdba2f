package io.concurrence.remote.internal;

import java.nio.charset.StandardCharsets;

import io.rsocket.Payload;
import io.rsocket.util.DefaultPayload;

/**
 * The frames between {@code RemoteClient} and {@code RemoteServer}: RSocket payloads whose metadata names the
 * operation and the target ({@code L:name} lookup, {@code S:name} send, {@code C:name} call,
 * {@code T:name} stream, {@code A:} confirm the sends so far) and whose data is a {@link MessageCodec} frame.
 */
public final class Wire {

    /** Operation: does a tasklet of this name exist? */
    public static final char LOOKUP = 'L';
    /** Operation: fire-and-forget a message. */
    public static final char SEND = 'S';
    /** Operation: a call that expects a reply. */
    public static final char CALL = 'C';
    /** Operation: a call answered with a stream of elements. */
    public static final char STREAM = 'T';
    /**
     * Operation: answered at once; since the server handles a connection's frames in order, the answer confirms
     * that every send before it was handled.
     */
    public static final char CONFIRM = 'A';

    private Wire() {
    }

    /** A payload for {@code operation} on {@code name} carrying {@code data}. */
    public static Payload payload(char operation, String name, byte[] data) {
        return DefaultPayload.create(data, (operation + ":" + name).getBytes(StandardCharsets.UTF_8));
    }

    /** The operation of a payload's metadata. */
    static char operation(String metadata) {
        return metadata.length() >= 2 && metadata.charAt(1) == ':' ? metadata.charAt(0) : '?';
    }

    /** The target name of a payload's metadata. */
    static String name(String metadata) {
        return metadata.length() >= 2 ? metadata.substring(2) : "";
    }

    /** The bytes of a payload's data. */
    public static byte[] data(Payload payload) {
        java.nio.ByteBuffer buffer = payload.getData();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
