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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * A {@link MessageCodec}'s types and the tags that name them in its frames: the allowed types by id (their
 * position in the allow-list), the built-in values by their fixed ids below 0, and every name a tag may hold.
 * Writes the table a peer reads once per connection, reads a peer's table into the ids of {@link PeerTypes},
 * and writes and reads one tag. Immutable after construction but for each type's Jackson reader and writer,
 * made on first use; thread-safe.
 */
final class TypeTable {

    static final int NULL_ID = -1;
    static final int LIST_ID = -2;
    static final int SET_ID = -3;
    static final int MAP_ID = -4;
    /** The id of the first of {@link #JDK_VALUES}; the next ones count down. */
    private static final int FIRST_JDK_ID = -5;
    static final String NULL_TAG = "null";
    static final String LIST_TAG = "java.util.List";
    static final String SET_TAG = "java.util.Set";
    static final String MAP_TAG = "java.util.Map";
    /** The JDK value types, in the order of their ids (part of the wire format: append only). */
    private static final List<Class<?>> JDK_VALUES = List.of(String.class, Long.class, Integer.class,
            Boolean.class, Double.class, Float.class, Short.class, Byte.class, Character.class, BigDecimal.class,
            BigInteger.class, UUID.class, byte[].class, Instant.class, LocalDate.class, LocalTime.class,
            LocalDateTime.class, OffsetDateTime.class, OffsetTime.class, ZonedDateTime.class, Duration.class,
            Period.class, Year.class, YearMonth.class, MonthDay.class, ZoneOffset.class, DayOfWeek.class,
            Month.class);

    private final ObjectMapper mapper;
    private final AllowList allowList;
    /** The allowed types, by id (their position in the allow-list). */
    private final TypeEntry[] allowed;
    /** The JDK value types, by {@code FIRST_JDK_ID - id}. */
    private final TypeEntry[] jdkValues;
    private final Map<Class<?>, TypeEntry> allowedByClass = new HashMap<>();
    private final Map<Class<?>, TypeEntry> jdkByClass = new HashMap<>();
    /** Every name a tag may hold (allowed types, JDK values, the built-in tags), to its id. */
    private final Map<String, Integer> idsByName = new HashMap<>();

    /**
     * @param mapper the codec's mapper, which makes each type's reader and writer
     * @param allowList the allowed types, whose order gives their ids
     */
    TypeTable(ObjectMapper mapper, AllowList allowList) {
        this.mapper = mapper;
        this.allowList = allowList;
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
    }

    /** Returns the allowed types (records and enums, sealed interfaces expanded), by binary name. */
    Set<String> allowedTypeNames() {
        return allowList.types().keySet();
    }

    /** Writes this table for a peer: the allowed types' names in the order of their ids, as an array of strings. */
    byte[] write() {
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
     * Reads a peer's table (its {@link #write()}), comparing the names with this table's, never loading them.
     *
     * @param table the peer's table, already checked against the frame size limit
     * @return the peer's id for each of this table's allowed types, by this table's id; {@link PeerTypes#NO_ID}
     *     where the peer does not allow the type
     * @throws RemoteException if the table is not an array of type names
     */
    int[] readPeerIds(byte[] table) {
        int[] ids = new int[allowed.length];
        Arrays.fill(ids, PeerTypes.NO_ID);
        try (JsonParser p = mapper.createParser(table)) {
            MessageCodec.expect(p, p.nextToken(), JsonToken.START_ARRAY, "a type table [typeName, ...]");
            int peerId = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), peerId++) {
                MessageCodec.expect(p, t, JsonToken.VALUE_STRING, "a type name in the type table");
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
        return ids;
    }

    /** Returns the type of {@code id}, which {@link #readTag} returned and is not one of the collection ids. */
    TypeEntry entry(int id) {
        return id >= 0 ? allowed[id] : jdkValues[FIRST_JDK_ID - id];
    }

    /**
     * Returns the allowed type of {@code value} (a record or an enum).
     *
     * @param what what the value is, for the error message: "message", "reply value"
     * @throws RemoteException if its type is not allowed, naming it and how to allow it
     */
    TypeEntry allowedEntry(Object value, String what) {
        Class<?> type = typeOf(value);
        TypeEntry entry = allowedByClass.get(type);
        if (entry == null) {
            throw refusedOnEncode(type, what);
        }
        return entry;
    }

    /** Returns the type of a reply value other than null or a collection: a JDK value type or an allowed type. */
    TypeEntry valueEntry(Object value) {
        TypeEntry jdk = jdkByClass.get(value.getClass());
        if (jdk != null) {
            return jdk;
        }
        return allowedEntry(value, "reply value");
    }

    /** Writes a tag: the id for the peer if it has one, else the name. */
    static void writeTag(JsonGenerator g, int ownId, String name, PeerTypes peer) {
        int id = peer.idOf(ownId);
        if (id == PeerTypes.NO_ID) {
            g.writeString(name);
        } else {
            g.writeNumber(id);
        }
    }

    /**
     * Reads a tag: an id of this table, or a name looked up in it (never loaded).
     *
     * @param what what the tagged value is, for the error message: "message", "reply value"
     * @return the id: at least 0 for an allowed type, below 0 for a built-in value
     * @throws RemoteException naming an unknown name; saying the frame is malformed for an unknown id
     */
    int readTag(JsonParser p, String what) {
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
        MessageCodec.expect(p, token, JsonToken.VALUE_STRING, "a type name or id");
        String name = p.getString();
        Integer id = idsByName.get(name);
        if (id == null) {
            throw refusedOnDecode(name, what);
        }
        return id;
    }

    /** Returns the name a tag holds for {@code id}. */
    String nameOf(int id) {
        return switch (id) {
            case NULL_ID -> NULL_TAG;
            case LIST_ID -> LIST_TAG;
            case SET_ID -> SET_TAG;
            case MAP_ID -> MAP_TAG;
            default -> entry(id).name;
        };
    }

    /** The refusal of a type read from a frame that is not in this table, naming it and the allowed types. */
    RemoteException refusedOnDecode(String typeName, String what) {
        return new RemoteException("refused a " + what + " of type " + typeName
                + ": not in this codec's allow-list; allow it on both sides with builder().allow(...)"
                + " (allowed types: " + allowedTypeNames() + ")");
    }

    private static RemoteException refusedOnEncode(Class<?> type, String what) {
        return new RemoteException("refused to encode a " + what + " of type " + type.getName()
                + ": not in this codec's allow-list; allow it (or a sealed interface permitting it) with"
                + " builder().allow(" + type.getSimpleName() + ".class) on both sides"
                + (type.isRecord() || type.isEnum() ? "" : " (only records, enums and JDK value types are"
                        + " accepted)"));
    }

    /** The class that names a value: an enum constant with a body names its enum. */
    private static Class<?> typeOf(Object value) {
        return value instanceof Enum<?> e ? e.getDeclaringClass() : value.getClass();
    }

    /**
     * A type that may cross: its id and name, and the Jackson reader and writer bound to it, made on first use
     * (a race makes one twice, harmlessly: they are immutable, with final fields, so safely published).
     */
    final class TypeEntry {

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
