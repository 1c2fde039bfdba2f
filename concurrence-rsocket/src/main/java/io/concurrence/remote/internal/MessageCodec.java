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
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Encodes messages and replies into self-describing frames, and decodes them, accepting only the types of
 * an allow-list. Never uses Java native serialization.
 *
 * <p><b>Frame.</b> A frame is a two-element array, in CBOR or JSON: {@code [typeName, payload]}, where
 * {@code typeName} is the binary class name of the value ({@code com.example.Proto$Add}) and {@code payload}
 * the value as Jackson writes it. A record component declared with a sealed interface type (directly or as
 * the element of a {@code List}, {@code Map}, {@code Optional}) is written as {@code [binaryClassName, value]}
 * too, so polymorphic fields round-trip. Every type name read from the wire, at the top or in a field, is
 * looked up in the allow-list and never passed to {@code Class.forName}: a type outside the list is neither
 * loaded nor initialized, and the frame is refused with a {@link RemoteException} naming it.
 *
 * <p><b>Allow-list.</b> A record or an enum allows itself; a sealed interface allows every permitted
 * subtype, recursively. Components of an allowed record need not be listed when their declared type is
 * concrete (a nested record, a {@code List<Item>}, an enum): the declaration fixes what is read.
 *
 * <p><b>Replies.</b> {@link #encodeValue(Object)} and {@link #decodeValue(byte[])} carry any value a call
 * may return, with the same framing: null, the JDK value types ({@code String}, boxed primitives,
 * {@code BigDecimal}, {@code BigInteger}, {@code UUID}, {@code byte[]}, the {@code java.time} values) without
 * listing, {@code List}/{@code Set}/{@code Map} whose elements are themselves accepted (each element framed
 * with its own type name; decoded as unmodifiable {@code ArrayList}/{@code LinkedHashSet}/{@code LinkedHashMap}
 * views), and allowed records and enums.
 *
 * <p><b>Sizes.</b> A frame larger than {@code maxFrameBytes} is refused on both sides: {@code encode} measures
 * it without holding more than the limit in memory, {@code decode} checks before parsing.
 *
 * <p><b>Modules.</b> Jackson reads and builds records by reflection: on the module path, a module declaring
 * message records must open their package to {@code tools.jackson.databind}
 * ({@code opens com.example.proto to tools.jackson.databind;}). On the class path nothing is needed.
 *
 * <p><b>Threads.</b> Immutable after {@link #of}; thread-safe and meant to be reused (one Jackson mapper
 * per codec). Unless otherwise specified, passing null throws {@code NullPointerException}.
 */
public final class MessageCodec {

    /** The encoding of frames. */
    public enum Format {
        /** Binary CBOR (RFC 8949): smaller frames. */
        CBOR,
        /** UTF-8 JSON: readable frames. */
        JSON
    }

    private static final String NULL_TAG = "null";
    private static final String LIST_TAG = "java.util.List";
    private static final String SET_TAG = "java.util.Set";
    private static final String MAP_TAG = "java.util.Map";
    private static final Map<String, Class<?>> JDK_VALUES = jdkValues();

    private final AllowList allowList;
    private final int maxFrameBytes;
    private final Format format;
    private final ObjectMapper mapper;

    private MessageCodec(AllowList allowList, int maxFrameBytes, Format format) {
        this.allowList = allowList;
        this.maxFrameBytes = maxFrameBytes;
        this.format = format;
        this.mapper = switch (format) {
            case CBOR -> configure(CBORMapper.builder(), allowList);
            case JSON -> configure(JsonMapper.builder(), allowList);
        };
    }

    /**
     * Creates a codec.
     *
     * @param allowed the records, enums and sealed interfaces (each allowing its permitted subtypes) this codec
     *     accepts as messages and as record replies
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
     * Encodes a message into a frame.
     *
     * @param message a record or enum value of an allowed type
     * @return the frame
     * @throws RemoteException if the type is not allowed (naming it and how to allow it), the frame would exceed
     *     {@code maxFrameBytes}, or Jackson cannot write the value
     */
    public byte[] encode(Object message) {
        Objects.requireNonNull(message, "message");
        Class<?> type = typeOf(message);
        if (!allowList.allows(type)) {
            throw refusedOnEncode(type, "message");
        }
        return frame(type.getName(), g -> {
            g.writeStartArray();
            g.writeString(type.getName());
            mapper.writeValue(g, message);
            g.writeEndArray();
        });
    }

    /**
     * Decodes a frame written by {@link #encode(Object)}.
     *
     * @param frame the frame
     * @return the message, never null
     * @throws RemoteException if the frame exceeds {@code maxFrameBytes} (with both sizes), names a type that
     *     is unknown or not allowed (naming it), at the top or in a polymorphic field, or is malformed (with
     *     the cause)
     */
    public Object decode(byte[] frame) {
        checkSize(frame);
        try (JsonParser p = mapper.createParser(frame)) {
            expect(p, p.nextToken(), JsonToken.START_ARRAY, "a frame [typeName, payload]");
            String tag = readTag(p);
            Class<?> type = allowList.find(tag);
            if (type == null) {
                throw refusedOnDecode(tag, "message");
            }
            p.nextToken();
            Object message = mapper.readValue(p, type);
            if (message == null) {
                throw new RemoteException("malformed frame: the payload of a " + tag + " message is null");
            }
            expectEnd(p);
            return message;
        } catch (JacksonException e) {
            throw translate(e, frame);
        }
    }

    /**
     * Encodes a reply value (null, a JDK value, a collection of accepted values, an allowed record or enum)
     * into a frame.
     *
     * @param value the value, or null
     * @return the frame
     * @throws RemoteException if the value, or an element, is of a type neither allowed nor a JDK value type
     *     (naming it), the frame would exceed {@code maxFrameBytes}, or Jackson cannot write the value
     */
    public byte[] encodeValue(@Nullable Object value) {
        return frame(value == null ? NULL_TAG : value.getClass().getName(), g -> writeTagged(g, value));
    }

    /**
     * Decodes a frame written by {@link #encodeValue(Object)} (or by {@link #encode(Object)}).
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

    private void writeTagged(JsonGenerator g, @Nullable Object value) {
        g.writeStartArray();
        switch (value) {
            case null -> {
                g.writeString(NULL_TAG);
                g.writeNull();
            }
            case List<?> list -> {
                g.writeString(LIST_TAG);
                writeElements(g, list);
            }
            case Set<?> set -> {
                g.writeString(SET_TAG);
                writeElements(g, set);
            }
            case Map<?, ?> map -> {
                g.writeString(MAP_TAG);
                g.writeStartArray();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    writeTagged(g, e.getKey());
                    writeTagged(g, e.getValue());
                }
                g.writeEndArray();
            }
            default -> {
                g.writeString(valueTag(value));
                mapper.writeValue(g, value);
            }
        }
        g.writeEndArray();
    }

    private void writeElements(JsonGenerator g, Iterable<?> elements) {
        g.writeStartArray();
        for (Object e : elements) {
            writeTagged(g, e);
        }
        g.writeEndArray();
    }

    private String valueTag(Object value) {
        String name = value.getClass().getName();
        if (JDK_VALUES.containsKey(name)) {
            return name;
        }
        Class<?> type = typeOf(value);
        if (!allowList.allows(type)) {
            throw refusedOnEncode(type, "reply value");
        }
        return type.getName();
    }

    /** Reads one {@code [tag, payload]} whose START_ARRAY is the current token; ends on its END_ARRAY. */
    private @Nullable Object readTagged(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "a value [typeName, payload]");
        String tag = readTag(p);
        JsonToken payload = p.nextToken();
        Object value = switch (tag) {
            case NULL_TAG -> {
                expect(p, payload, JsonToken.VALUE_NULL, "null");
                yield null;
            }
            case LIST_TAG -> Collections.unmodifiableList(readElements(p, payload, new ArrayList<>()));
            case SET_TAG -> Collections.unmodifiableSet(readElements(p, payload, new LinkedHashSet<>()));
            case MAP_TAG -> Collections.unmodifiableMap(readEntries(p, payload));
            default -> {
                Class<?> type = JDK_VALUES.get(tag);
                if (type == null) {
                    type = allowList.find(tag);
                }
                if (type == null) {
                    throw refusedOnDecode(tag, "reply value");
                }
                yield mapper.readValue(p, type);
            }
        };
        expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of a value [typeName, payload]");
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

    private static String readTag(JsonParser p) {
        expect(p, p.nextToken(), JsonToken.VALUE_STRING, "a type name");
        return p.getString();
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

    private interface Body {
        void write(JsonGenerator g);
    }

    private byte[] frame(String typeName, Body body) {
        FrameBuffer out = new FrameBuffer(maxFrameBytes);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            body.write(g);
        } catch (JacksonException e) {
            throw new RemoteException("cannot encode a " + typeName + ": " + e.getOriginalMessage(), e);
        }
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

    private static Map<String, Class<?>> jdkValues() {
        List<Class<?>> types = List.of(String.class, Boolean.class, Character.class, Byte.class, Short.class,
                Integer.class, Long.class, Float.class, Double.class, BigDecimal.class, BigInteger.class,
                UUID.class, byte[].class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
                OffsetDateTime.class, OffsetTime.class, ZonedDateTime.class, Duration.class, Period.class,
                Year.class, YearMonth.class, MonthDay.class, ZoneOffset.class, DayOfWeek.class, Month.class);
        Map<String, Class<?>> byName = new HashMap<>();
        for (Class<?> type : types) {
            byName.put(type.getName(), type);
        }
        return Map.copyOf(byName);
    }
}
