package io.concurrence.remote.internal;

import io.concurrence.remote.RemoteException;
import io.concurrence.remote.internal.TypeTable.TypeEntry;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Encodes messages and replies into frames, and decodes them, accepting only the types of an allow-list. Never
 * uses Java native serialization.
 *
 * <p><b>Frame.</b> A frame is a two-element array, in CBOR or JSON: {@code [tag, payload]}, where {@code payload}
 * is the value as Jackson writes it and {@code tag} says its type, in one of two ways:
 * <ul>
 *   <li>an <b>id</b>, a small integer: at least 0, the position of the type in the <em>receiver's</em> allow-list
 *       (its {@link #typeTable()}, learnt when the connection was set up, see {@link PeerTypes}); below 0, a
 *       built-in value (-1 null, -2 list, -3 set, -4 map, -5 and below the JDK value types, in a fixed order);
 *   <li>a <b>name</b>: the binary class name of the value ({@code com.example.Proto$Add}), for a type the
 *       receiver does not allow (so that it refuses it naming the type) or when the receiver's table is not
 *       known ({@link PeerTypes#UNKNOWN}).
 * </ul>
 * A record component declared with a sealed interface type (directly or as the element of a {@code List},
 * {@code Map}, {@code Optional}) is written as {@code [binaryClassName, value]}, so polymorphic fields
 * round-trip. Every type name read from the wire, at the top or in a field, is looked up in the allow-list and
 * never passed to {@code Class.forName}: a type outside the list is neither loaded nor initialized, and the frame
 * is refused with a {@link RemoteException} naming it. An id is an index into this codec's own table: one outside
 * it makes the frame malformed.
 *
 * <p><b>Allow-list.</b> A record or an enum allows itself; a sealed interface allows every permitted
 * subtype, recursively. Components of an allowed record need not be listed when their declared type is
 * concrete (a nested record, a {@code List<Item>}, an enum): the declaration fixes what is read.
 *
 * <p><b>Replies.</b> {@link #encodeValue(Object, PeerTypes)} and {@link #decodeValue(byte[])} carry any value a
 * call may return, with the same framing: null, the JDK value types ({@code String}, boxed primitives,
 * {@code BigDecimal}, {@code BigInteger}, {@code UUID}, {@code byte[]}, the {@code java.time} values) without
 * listing, {@code List}/{@code Set}/{@code Map} whose elements are themselves accepted (each element framed
 * with its own tag; decoded as unmodifiable {@code ArrayList}/{@code LinkedHashSet}/{@code LinkedHashMap}
 * views), and allowed records and enums.
 *
 * <p><b>Sizes.</b> A frame larger than {@code maxFrameBytes} is refused on both sides: {@code encode} measures
 * it without holding more than the limit in memory, {@code decode} checks before parsing.
 *
 * <p><b>Modules.</b> Jackson reads and builds records by reflection: on the module path, a module declaring
 * message records must open their package to {@code tools.jackson.databind}
 * ({@code opens com.example.proto to tools.jackson.databind;}). On the class path nothing is needed.
 *
 * <p><b>Threads.</b> Immutable after {@link #of} (but for the Jackson reader and writer of each type, made on
 * first use); thread-safe and meant to be reused (one Jackson mapper per codec). Unless otherwise specified,
 * passing null throws {@code NullPointerException}.
 */
public final class MessageCodec {

    /** The encoding of frames. */
    public enum Format {
        /** Binary CBOR (RFC 8949): smaller frames. */
        CBOR,
        /** UTF-8 JSON: readable frames. */
        JSON
    }

    private final int maxFrameBytes;
    private final Format format;
    private final ObjectMapper mapper;
    /** The allowed and built-in types, their ids and tags. */
    private final TypeTable types;
    /** The tagged form of reply values. */
    private final TaggedValues values;
    private final byte[] typeTable;

    private MessageCodec(AllowList allowList, int maxFrameBytes, Format format) {
        this.maxFrameBytes = maxFrameBytes;
        this.format = format;
        this.mapper = switch (format) {
            case CBOR -> configure(CBORMapper.builder(), allowList);
            case JSON -> configure(JsonMapper.builder(), allowList);
        };
        this.types = new TypeTable(mapper, allowList);
        this.values = new TaggedValues(types);
        this.typeTable = types.write();
    }

    /**
     * Creates a codec.
     *
     * @param allowed the records, enums and sealed interfaces (each allowing its permitted subtypes) this codec
     *     accepts as messages and as record replies; their order (sealed interfaces expanded) gives the ids of
     *     {@link #typeTable()}
     * @param maxFrameBytes the largest frame, in bytes, encoded or decoded; positive
     * @param format the encoding
     * @return the codec
     * @throws IllegalArgumentException if a class is neither a record, an enum nor a sealed interface (or a
     *     sealed interface permits such a class), or {@code maxFrameBytes} is not positive
     */
    public static MessageCodec of(Set<Class<?>> allowed, int maxFrameBytes, Format format) {
        Objects.requireNonNull(format, "format");
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, was " + maxFrameBytes);
        }
        return new MessageCodec(AllowList.of(allowed), maxFrameBytes, format);
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M configure(B builder, AllowList list) {
        return builder
                .polymorphicTypeValidator(list.validator())
                .setDefaultTyping(new SealedTyping(list.validator()))
                .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                // values are read from inside the frame array, whose end the codec checks itself
                .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** Returns the encoding of this codec's frames. */
    public Format format() {
        return format;
    }

    /** Returns the largest frame this codec encodes or decodes, in bytes. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Returns the allowed types (records and enums, sealed interfaces expanded), by binary name. */
    public Set<String> allowedTypeNames() {
        return types.allowedTypeNames();
    }

    /**
     * Returns this codec's type table, to send to a peer once per connection: its allowed types' names in the
     * order of their ids, as a CBOR (or JSON) array of strings. The peer reads it with {@link #peerTypes(byte[])}.
     *
     * @return a new copy of the table
     */
    public byte[] typeTable() {
        return typeTable.clone();
    }

    /**
     * Reads a peer's type table (its {@link #typeTable()}): which of this codec's allowed types the peer allows
     * too, and under which ids, for {@link #encode(Object, PeerTypes)} and {@link #encodeValue(Object, PeerTypes)}
     * to write. The names are only compared with this codec's allow-list, never loaded.
     *
     * @param table the peer's type table
     * @return the peer's types, as this codec uses them
     * @throws RemoteException if the table exceeds {@code maxFrameBytes} or is not an array of type names
     */
    public PeerTypes peerTypes(byte[] table) {
        Objects.requireNonNull(table, "table");
        if (table.length > maxFrameBytes) {
            throw new RemoteException("refused a type table of " + table.length + " bytes: more than the limit of "
                    + maxFrameBytes + " bytes (maxFrameBytes)");
        }
        return new PeerTypes(this, types.readPeerIds(table));
    }

    /**
     * Encodes a message into a frame for a peer whose type table is not known: the type by its name.
     * Like {@link #encode(Object, PeerTypes) encode(message, PeerTypes.UNKNOWN)}.
     */
    public byte[] encode(Object message) {
        return encode(message, PeerTypes.UNKNOWN);
    }

    /**
     * Encodes a message into a frame for {@code peer}: the type by the peer's id when the peer allows it, by its
     * name otherwise.
     *
     * @param message a record or enum value of an allowed type
     * @param peer the receiver's types, from {@link #peerTypes(byte[])}, or {@link PeerTypes#UNKNOWN}
     * @return the frame
     * @throws RemoteException if the type is not allowed (naming it and how to allow it), the frame would exceed
     *     {@code maxFrameBytes}, or Jackson cannot write the value
     * @throws IllegalArgumentException if {@code peer} was made by another codec
     */
    public byte[] encode(Object message, PeerTypes peer) {
        Objects.requireNonNull(message, "message");
        peer.checkFor(this);
        TypeEntry entry = types.allowedEntry(message, "message");
        FrameBuffer out = new FrameBuffer(maxFrameBytes);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartArray(message);
            TypeTable.writeTag(g, entry.id, entry.name, peer);
            entry.writer().writeValue(g, message);
            g.writeEndArray();
        } catch (JacksonException e) {
            throw cannotEncode(entry.name, e);
        }
        return bytes(out, entry.name);
    }

    /**
     * Decodes a frame written by {@link #encode(Object, PeerTypes)}, for this codec's ids or with names.
     *
     * @param frame the frame
     * @return the message, never null
     * @throws RemoteException if the frame exceeds {@code maxFrameBytes} (with both sizes), names a type that
     *     is unknown or not allowed (naming it), at the top or in a polymorphic field, or is malformed (with
     *     the cause; an id outside this codec's table makes it malformed)
     */
    public Object decode(byte[] frame) {
        checkSize(frame);
        try (JsonParser p = mapper.createParser(frame)) {
            expect(p, p.nextToken(), JsonToken.START_ARRAY, "a frame [type, payload]");
            int id = types.readTag(p, "message");
            if (id < 0) {
                throw types.refusedOnDecode(types.nameOf(id), "message");
            }
            TypeEntry entry = types.entry(id);
            p.nextToken();
            Object message = entry.reader().readValue(p);
            if (message == null) {
                throw new RemoteException("malformed frame: the payload of a " + entry.name + " message is null");
            }
            expectEnd(p);
            return message;
        } catch (JacksonException e) {
            throw translate(e, frame);
        }
    }

    /**
     * Encodes a reply value for a peer whose type table is not known: every type by its name. Like
     * {@link #encodeValue(Object, PeerTypes) encodeValue(value, PeerTypes.UNKNOWN)}.
     */
    public byte[] encodeValue(@Nullable Object value) {
        return encodeValue(value, PeerTypes.UNKNOWN);
    }

    /**
     * Encodes a reply value (null, a JDK value, a collection of accepted values, an allowed record or enum)
     * into a frame for {@code peer}: built-in values and the types the peer allows by id, others by name.
     *
     * @param value the value, or null
     * @param peer the receiver's types, from {@link #peerTypes(byte[])}, or {@link PeerTypes#UNKNOWN}
     * @return the frame
     * @throws RemoteException if the value, or an element, is of a type neither allowed nor a JDK value type
     *     (naming it), the frame would exceed {@code maxFrameBytes}, or Jackson cannot write the value
     * @throws IllegalArgumentException if {@code peer} was made by another codec
     */
    public byte[] encodeValue(@Nullable Object value, PeerTypes peer) {
        peer.checkFor(this);
        String typeName = value == null ? TypeTable.NULL_TAG : value.getClass().getName();
        FrameBuffer out = new FrameBuffer(maxFrameBytes);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            values.write(g, value, peer);
        } catch (JacksonException e) {
            throw cannotEncode(typeName, e);
        }
        return bytes(out, typeName);
    }

    /**
     * Decodes a frame written by {@link #encodeValue(Object, PeerTypes)} (or by {@link #encode(Object, PeerTypes)}).
     *
     * @param frame the frame
     * @return the value, possibly null
     * @throws RemoteException as {@link #decode(byte[])}
     */
    public @Nullable Object decodeValue(byte[] frame) {
        checkSize(frame);
        try (JsonParser p = mapper.createParser(frame)) {
            p.nextToken();
            Object value = values.read(p);
            if (p.nextToken() != null) {
                throw new RemoteException("malformed frame: data after the end of the frame");
            }
            return value;
        } catch (JacksonException e) {
            throw translate(e, frame);
        }
    }

    private static void expectEnd(JsonParser p) {
        expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of the frame");
        if (p.nextToken() != null) {
            throw new RemoteException("malformed frame: data after the end of the frame");
        }
    }

    /** Throws a {@link RemoteException} saying the frame is malformed unless {@code actual} is {@code expected}. */
    static void expect(JsonParser p, @Nullable JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new RemoteException("malformed frame: expected " + what + " (" + expected + ") but found "
                    + actual + " at " + p.currentLocation().offsetDescription());
        }
    }

    private static RemoteException cannotEncode(String typeName, JacksonException e) {
        return new RemoteException("cannot encode a " + typeName + ": " + e.getOriginalMessage(), e);
    }

    private byte[] bytes(FrameBuffer out, String typeName) {
        if (out.overflowed()) {
            throw new RemoteException("the frame for a " + typeName + " is " + out.written()
                    + " bytes, more than the limit of " + maxFrameBytes + " bytes (maxFrameBytes)");
        }
        return out.toByteArray();
    }

    private void checkSize(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.length > maxFrameBytes) {
            throw new RemoteException("refused a frame of " + frame.length + " bytes: more than the limit of "
                    + maxFrameBytes + " bytes (maxFrameBytes)");
        }
    }

    private RemoteException translate(JacksonException e, byte[] frame) {
        if (e instanceof InvalidTypeIdException bad && bad.getTypeId() != null) {
            String base = bad.getBaseType() == null ? "a polymorphic field" : bad.getBaseType().toCanonical();
            return new RemoteException("refused type " + bad.getTypeId() + " read for " + base
                    + ": not in this codec's allow-list (allowed types: " + allowedTypeNames() + ")", e);
        }
        return new RemoteException("malformed frame of " + frame.length + " bytes: " + e.getOriginalMessage(), e);
    }
}
