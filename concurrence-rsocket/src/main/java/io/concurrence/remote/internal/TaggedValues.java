package io.concurrence.remote.internal;

import static io.concurrence.remote.internal.MessageCodec.expect;
import static io.concurrence.remote.internal.TypeTable.LIST_ID;
import static io.concurrence.remote.internal.TypeTable.LIST_TAG;
import static io.concurrence.remote.internal.TypeTable.MAP_ID;
import static io.concurrence.remote.internal.TypeTable.MAP_TAG;
import static io.concurrence.remote.internal.TypeTable.NULL_ID;
import static io.concurrence.remote.internal.TypeTable.NULL_TAG;
import static io.concurrence.remote.internal.TypeTable.SET_ID;
import static io.concurrence.remote.internal.TypeTable.SET_TAG;
import static io.concurrence.remote.internal.TypeTable.writeTag;

import io.concurrence.remote.RemoteException;
import io.concurrence.remote.internal.TypeTable.TypeEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The tagged form of a reply value, for {@link MessageCodec#encodeValue(Object, PeerTypes)} and
 * {@link MessageCodec#decodeValue(byte[])}: {@code [tag, payload]}, where a {@code List} or {@code Set} payload is
 * an array of tagged elements, a {@code Map} payload an array of tagged keys and values in turn, null's payload
 * null, and any other value's payload the value as Jackson writes it for its type (a JDK value type or an
 * allowed type). Collections are read back as unmodifiable {@code ArrayList}/{@code LinkedHashSet}/
 * {@code LinkedHashMap} views. Stateless but for its {@link TypeTable}; thread-safe.
 */
final class TaggedValues {

    private final TypeTable types;

    TaggedValues(TypeTable types) {
        this.types = types;
    }

    /**
     * Writes {@code value} as {@code [tag, payload]}, its tags (and its elements') for {@code peer}.
     *
     * @throws RemoteException if the value, or an element, is of a type neither allowed nor a JDK value type
     */
    void write(JsonGenerator g, @Nullable Object value, PeerTypes peer) {
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
                    write(g, e.getKey(), peer);
                    write(g, e.getValue(), peer);
                }
                g.writeEndArray();
            }
            default -> {
                TypeEntry entry = types.valueEntry(value);
                writeTag(g, entry.id, entry.name, peer);
                entry.writer().writeValue(g, value);
            }
        }
        g.writeEndArray();
    }

    private void writeElements(JsonGenerator g, Iterable<?> elements, PeerTypes peer) {
        g.writeStartArray();
        for (Object e : elements) {
            write(g, e, peer);
        }
        g.writeEndArray();
    }

    /**
     * Reads one {@code [tag, payload]} whose START_ARRAY is the current token; ends on its END_ARRAY.
     *
     * @throws RemoteException if a tag names a type not in the table (naming it), or the value is malformed
     */
    @Nullable Object read(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "a value [type, payload]");
        int id = types.readTag(p, "reply value");
        JsonToken payload = p.nextToken();
        Object value = switch (id) {
            case NULL_ID -> {
                expect(p, payload, JsonToken.VALUE_NULL, "null");
                yield null;
            }
            case LIST_ID -> Collections.unmodifiableList(readElements(p, payload, new ArrayList<>()));
            case SET_ID -> Collections.unmodifiableSet(readElements(p, payload, new LinkedHashSet<>()));
            case MAP_ID -> Collections.unmodifiableMap(readEntries(p, payload));
            default -> types.entry(id).reader().readValue(p);
        };
        expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of a value [type, payload]");
        return value;
    }

    private <C extends Collection<@Nullable Object>> C readElements(JsonParser p, JsonToken start, C into) {
        expect(p, start, JsonToken.START_ARRAY, "an array of elements");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            into.add(read(p));
        }
        return into;
    }

    private Map<@Nullable Object, @Nullable Object> readEntries(JsonParser p, JsonToken start) {
        expect(p, start, JsonToken.START_ARRAY, "an array of keys and values");
        Map<@Nullable Object, @Nullable Object> map = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Object key = read(p);
            p.nextToken();
            map.put(key, read(p));
        }
        return map;
    }
}
