package io.concurrence.remote.internal;

import io.concurrence.remote.RemoteException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
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

    private static final int NULL_ID = -1;
    private static final int LIST_ID = -2;
    private static final int SET_ID = -3;
    private static final int MAP_ID = -4;
    /** The id of the first of {@link #JDK_VALUES}; the next ones count down. */
    private static final int FIRST_JDK_ID = -5;
    private static final String NULL_TAG = "null";
    private static final String LIST_TAG = "java.util.List";
    private static final String SET_TAG = "java.util.Set";
    private static final String MAP_TAG = "java.util.Map";
    /** The JDK value types, in the order of their ids (part of the wire format: append only). */
    private static final List<Class<?>> JDK_VALUES = List.of(String.class, Long.class, Integer.class,
            Boolean.class, Double.class, Float.class, Short.class, Byte.class, Character.class, BigDecimal.class,
            BigInteger.class, UUID.class, byte[].class, Instant.class, LocalDate.class, LocalTime.class,
            LocalDateTime.class, OffsetDateTime.class, OffsetTime.class, ZonedDateTime.class, Duration.class,
            Period.class, Year.class, YearMonth.class, MonthDay.class, ZoneOffset.class, DayOfWeek.class,
            Month.class);

    private final AllowList allowList;
    private final int maxFrameBytes;
    private final Format format;
    private final ObjectMapper mapper;
    /** The allowed types, by id (their position in the allow-list). */
    private final TypeEntry[] allowed;
    /** The JDK value types, by {@code FIRST_JDK_ID - id}. */
    private final TypeEntry[] jdkValues;
    private final Map<Class<?>, TypeEntry> allowedByClass = new HashMap<>();
    private final Map<Class<?>, TypeEntry> jdkByClass = new HashMap<>();
    /** Every name a tag may hold (allowed types, JDK values, the built-in tags), to its id. */
    private final Map<String, Integer> idsByName = new HashMap<>();
    private final byte[] typeTable;

    private MessageCodec(AllowList allowList, int maxFrameBytes, Format format) {
        this.allowList = allowList;
        this.maxFrameBytes = maxFrameBytes;
        this.format = format;
        this.mapper = switch (format) {
            case CBOR -> configure(CBORMapper.builder(), allowList);
            case JSON -> configure(JsonMapper.builder(), allowList);
        };
        idsByName.put(NULL_TAG, NULL_ID);
        idsByName.put(LIST_TAG, LIST_ID);
        idsByName.put(SET_TAG, SET_ID);
        idsByName.put(MAP_TAG, MAP_ID);
        this.jdkValues = new TypeEntry[JDK_VALUES.size()];
        for (int i = 0; i < jdkValues.length; i++) {
            TypeEntry entry = new TypeEntry(JDK_VALUES.get(i), FIRST_JDK_ID - i);
            jdkValues[i] = entry;
            jdkByClass.put(entry.type, entry);
            idsByName.put(entry.name, entry.id);
        }
        this.allowed = new TypeEntry[allowList.types().size()];
        int id = 0;
        for (Class<?> type : allowList.types().values()) {
            TypeEntry entry = new TypeEntry(type, id);
            allowed[id++] = entry;
            allowedByClass.put(type, entry);
            idsByName.put(entry.name, entry.id);
        }
        this.typeTable = writeTypeTable();
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
        return allowList.types().keySet();
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

    private byte[] writeTypeTable() {
        FrameBuffer out = new FrameBuffer(Integer.MAX_VALUE - 8);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartArray(null, allowed.length);
            for (TypeEntry entry : allowed) {
                g.writeString(entry.name);
            }
            g.writeEndArray();
        }
        return out.toByteArray();
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
        int[] ids = new int[allowed.length];
        Arrays.fill(ids, PeerTypes.NO_ID);
        try (JsonParser p = mapper.createParser(table)) {
            expect(p, p.nextToken(), JsonToken.START_ARRAY, "a type table [typeName, ...]");
            int peerId = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), peerId++) {
                expect(p, t, JsonToken.VALUE_STRING, "a type name in the type table");
                Integer own = idsByName.get(p.getString());
                if (own != null && own >= 0 && ids[own] == PeerTypes.NO_ID) {
                    ids[own] = peerId;
                }
            }
            if (p.nextToken() != null) {
                throw new RemoteException("malformed type table: data after its end");
            }
        } catch (JacksonException e) {
            throw new RemoteException("malformed type table of " + table.length + " bytes: "
                    + e.getOriginalMessage(), e);
        }
        return new PeerTypes(this, ids);
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
        Class<?> type = typeOf(message);
        TypeEntry entry = allowedByClass.get(type);
        if (entry == null) {
            throw refusedOnEncode(type, "message");
        }
        FrameBuffer out = new FrameBuffer(maxFrameBytes);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartArray(message);
            writeTag(g, entry.id, entry.name, peer);
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
            int id = readTag(p, "message");
            if (id < 0) {
                throw refusedOnDecode(nameOf(id), "message");
            }
            TypeEntry entry = allowed[id];
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
        String typeName = value == null ? NULL_TAG : value.getClass().getName();
        FrameBuffer out = new FrameBuffer(maxFrameBytes);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            writeTagged(g, value, peer);
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
            Object value = readTagged(p);
            if (p.nextToken() != null) {
                throw new RemoteException("malformed frame: data after the end of the frame");
            }
            return value;
        } catch (JacksonException e) {
            throw translate(e, frame);
        }
    }

    /** Writes a tag: the id for the peer if it has one, else the name. */
    private static void writeTag(JsonGenerator g, int ownId, String name, PeerTypes peer) {
        int id = peer.idOf(ownId);
        if (id == PeerTypes.NO_ID) {
            g.writeString(name);
        } else {
            g.writeNumber(id);
        }
    }

    private void writeTagged(JsonGenerator g, @Nullable Object value, PeerTypes peer) {
        g.writeStartArray(value);
        switch (value) {
            case null -> {
                writeTag(g, NULL_ID, NULL_TAG, peer);
                g.writeNull();
            }
            case List<?> list -> {
                writeTag(g, LIST_ID, LIST_TAG, peer);
                writeElements(g, list, peer);
            }
            case Set<?> set -> {
                writeTag(g, SET_ID, SET_TAG, peer);
                writeElements(g, set, peer);
            }
            case Map<?, ?> map -> {
                writeTag(g, MAP_ID, MAP_TAG, peer);
                g.writeStartArray();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    writeTagged(g, e.getKey(), peer);
                    writeTagged(g, e.getValue(), peer);
                }
                g.writeEndArray();
            }
            default -> {
                TypeEntry entry = valueEntry(value);
                writeTag(g, entry.id, entry.name, peer);
                entry.writer().writeValue(g, value);
            }
        }
        g.writeEndArray();
    }

    private void writeElements(JsonGenerator g, Iterable<?> elements, PeerTypes peer) {
        g.writeStartArray();
        for (Object e : elements) {
            writeTagged(g, e, peer);
        }
        g.writeEndArray();
    }

    private TypeEntry valueEntry(Object value) {
        TypeEntry jdk = jdkByClass.get(value.getClass());
        if (jdk != null) {
            return jdk;
        }
        Class<?> type = typeOf(value);
        TypeEntry entry = allowedByClass.get(type);
        if (entry == null) {
            throw refusedOnEncode(type, "reply value");
        }
        return entry;
    }

    /** Reads one {@code [tag, payload]} whose START_ARRAY is the current token; ends on its END_ARRAY. */
    private @Nullable Object readTagged(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "a value [type, payload]");
        int id = readTag(p, "reply value");
        JsonToken payload = p.nextToken();
        Object value = switch (id) {
            case NULL_ID -> {
                expect(p, payload, JsonToken.VALUE_NULL, "null");
                yield null;
            }
            case LIST_ID -> Collections.unmodifiableList(readElements(p, payload, new ArrayList<>()));
            case SET_ID -> Collections.unmodifiableSet(readElements(p, payload, new LinkedHashSet<>()));
            case MAP_ID -> Collections.unmodifiableMap(readEntries(p, payload));
            default -> (id >= 0 ? allowed[id] : jdkValues[FIRST_JDK_ID - id]).reader().readValue(p);
        };
        expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of a value [type, payload]");
        return value;
    }

    private <C extends java.util.Collection<@Nullable Object>> C readElements(JsonParser p, JsonToken start,
            C into) {
        expect(p, start, JsonToken.START_ARRAY, "an array of elements");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            into.add(readTagged(p));
        }
        return into;
    }

    private Map<@Nullable Object, @Nullable Object> readEntries(JsonParser p, JsonToken start) {
        expect(p, start, JsonToken.START_ARRAY, "an array of keys and values");
        Map<@Nullable Object, @Nullable Object> map = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Object key = readTagged(p);
            p.nextToken();
            map.put(key, readTagged(p));
        }
        return map;
    }

    /**
     * Reads a tag: an id of this codec's table, or a name looked up in it (never loaded).
     *
     * @return the id: at least 0 for an allowed type, below 0 for a built-in value
     * @throws RemoteException naming an unknown name; saying the frame is malformed for an unknown id
     */
    private int readTag(JsonParser p, String what) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            int id = p.getIntValue();
            if (id >= allowed.length || id < FIRST_JDK_ID - jdkValues.length + 1) {
                throw new RemoteException("malformed frame: type id " + id + " is not in this codec's table (ids 0 to "
                        + (allowed.length - 1) + " for its " + allowed.length + " allowed types, "
                        + (FIRST_JDK_ID - jdkValues.length + 1) + " to -1 for built-in values); the two sides must"
                        + " run the same version");
            }
            return id;
        }
        expect(p, token, JsonToken.VALUE_STRING, "a type name or id");
        String name = p.getString();
        Integer id = idsByName.get(name);
        if (id == null) {
            throw refusedOnDecode(name, what);
        }
        return id;
    }

    private String nameOf(int id) {
        return switch (id) {
            case NULL_ID -> NULL_TAG;
            case LIST_ID -> LIST_TAG;
            case SET_ID -> SET_TAG;
            case MAP_ID -> MAP_TAG;
            default -> id >= 0 ? allowed[id].name : jdkValues[FIRST_JDK_ID - id].name;
        };
    }

    private static void expectEnd(JsonParser p) {
        expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of the frame");
        if (p.nextToken() != null) {
            throw new RemoteException("malformed frame: data after the end of the frame");
        }
    }

    private static void expect(JsonParser p, @Nullable JsonToken actual, JsonToken expected, String what) {
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

    private static RemoteException refusedOnEncode(Class<?> type, String what) {
        return new RemoteException("refused to encode a " + what + " of type " + type.getName()
                + ": not in this codec's allow-list; allow it (or a sealed interface permitting it) with"
                + " builder().allow(" + type.getSimpleName() + ".class) on both sides"
                + (type.isRecord() || type.isEnum() ? "" : " (only records, enums and JDK value types are"
                        + " accepted)"));
    }

    private RemoteException refusedOnDecode(String typeName, String what) {
        return new RemoteException("refused a " + what + " of type " + typeName
                + ": not in this codec's allow-list; allow it on both sides with builder().allow(...)"
                + " (allowed types: " + allowedTypeNames() + ")");
    }

    /** The class that names a value: an enum constant with a body names its enum. */
    private static Class<?> typeOf(Object value) {
        return value instanceof Enum<?> e ? e.getDeclaringClass() : value.getClass();
    }

    /**
     * A type that may cross: its id and name, and the Jackson reader and writer bound to it, made on first use
     * (a race makes one twice, harmlessly: they are immutable, with final fields, so safely published).
     */
    private final class TypeEntry {

        final Class<?> type;
        final String name;
        final int id;
        private @Nullable ObjectReader reader;
        private @Nullable ObjectWriter writer;

        TypeEntry(Class<?> type, int id) {
            this.type = type;
            this.name = type.getName();
            this.id = id;
        }

        ObjectReader reader() {
            ObjectReader r = reader;
            if (r == null) {
                r = mapper.readerFor(type);
                reader = r;
            }
            return r;
        }

        ObjectWriter writer() {
            ObjectWriter w = writer;
            if (w == null) {
                w = mapper.writerFor(type);
                writer = w;
            }
            return w;
        }
    }
}
