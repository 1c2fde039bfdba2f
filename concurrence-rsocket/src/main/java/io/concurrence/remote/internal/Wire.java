package io.concurrence.remote.internal;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBuf;
import io.rsocket.Payload;
import io.rsocket.util.DefaultPayload;

/**
 * The frames between {@code RemoteClient} and {@code RemoteServer}: RSocket payloads whose metadata names the
 * operation and the target ({@code L:name} lookup, {@code S:name} send, {@code C:name} call,
 * {@code T:name} stream, {@code A:} confirm the sends so far, {@code Y:} the server's type table) and whose data is
 * a {@link MessageCodec} frame.
 *
 * <p><b>Type tables.</b> Each side tells the other its allowed types once per connection, so that frames carry
 * small ids instead of type names ({@link PeerTypes}): the client in the metadata of its RSocket setup frame
 * (whose data holds the auth token), the server in its answer to the client's first request, {@code Y:}, which
 * also confirms the setup.
 *
 * <p><b>Payloads.</b> Both sides read payloads with RSocket's {@code PayloadDecoder.ZERO_COPY}: a received payload
 * holds the connection's buffer, not a copy, so whoever receives one releases it, once, on every path.
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
    /**
     * Operation: answered with the server's type table ({@link MessageCodec#typeTable()}); the client's first
     * request on a connection, which confirms the setup too.
     */
    public static final char TYPES = 'Y';

    private Wire() {
    }

    /** A payload for {@code operation} on {@code name} carrying {@code data}. */
    public static Payload payload(char operation, String name, byte[] data) {
        return DefaultPayload.create(data, metadata(operation, name));
    }

    /** The metadata for {@code operation} on {@code name}, to reuse with {@link #payload(byte[], byte[])}. */
    static byte[] metadata(char operation, String name) {
        return (operation + ":" + name).getBytes(StandardCharsets.UTF_8);
    }

    /** A payload with {@code metadata} (from {@link #metadata(char, String)}, not modified) carrying {@code data}. */
    static Payload payload(byte[] metadata, byte[] data) {
        return DefaultPayload.create(data, metadata);
    }

    /** The operation of a payload's metadata. */
    static char operation(String metadata) {
        return metadata.length() >= 2 && metadata.charAt(1) == ':' ? metadata.charAt(0) : '?';
    }

    /** The target name of a payload's metadata. */
    static String name(String metadata) {
        return metadata.length() >= 2 ? metadata.substring(2) : "";
    }

    /** A copy of a payload's data (which stays unread, and is not released). */
    public static byte[] data(Payload payload) {
        return bytes(payload.data());
    }

    /** A copy of a payload's metadata; empty without metadata. */
    public static byte[] metadataBytes(Payload payload) {
        return payload.hasMetadata() ? bytes(payload.metadata()) : new byte[0];
    }

    /** The longest text from the wire that goes into a log line as it is. */
    static final int PRINTABLE_LENGTH = 256;

    /**
     * Text read from the wire (a target name, a type name in an error), made safe to log: control characters
     * (CR, LF: forged log lines) escaped as {@code \\uXXXX}, and cut to {@value #PRINTABLE_LENGTH} characters.
     */
    public static String printable(@Nullable String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), PRINTABLE_LENGTH) + 16);
        for (int i = 0; i < text.length() && i < PRINTABLE_LENGTH; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > PRINTABLE_LENGTH) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    private static byte[] bytes(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), bytes);
        return bytes;
    }
}
