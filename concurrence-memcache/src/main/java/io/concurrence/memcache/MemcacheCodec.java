package io.concurrence.memcache;

import java.util.Arrays;
import java.util.Objects;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns values into the bytes and flags memcached stores, and back. Flags are the item's 32-bit client
 * flags: a codec sets them on encode and reads them on decode to know what it stored.
 * The client reserves bit {@link #COMPRESSED} for its own compression (applied after {@link #encode}); a
 * codec must leave that bit clear.
 *
 * <p>The built-in codecs: {@link #bytes()} (raw), {@link #utf8()} (strings), {@link #json(Class)} (one
 * type through Jackson), and {@link #objects()} (byte arrays, strings and JSON trees, told apart by flags).
 *
 * @param <T> the type of the values
 * @implSpec Implementations are thread-safe and stateless; {@code decode} must accept what {@code encode}
 *     produced and should fail with a clear exception on bytes it cannot read.
 * @since 0.1
 */
public interface MemcacheCodec<T> {

    /** The flag bit the client sets on values it compressed. Codecs must not use it. */
    int COMPRESSED = 0x2;
    /** The flag {@link #utf8()} and {@link #objects()} set on strings. */
    int FLAG_STRING = 0x8;
    /** The flag {@link #json(Class)} and {@link #objects()} set on JSON documents. */
    int FLAG_JSON = 0x10;

    /**
     * Encodes a value.
     *
     * @param value the value
     * @return its bytes and flags
     */
    Encoded encode(T value);

    /**
     * Decodes a value that {@link #encode} (or another client) stored.
     *
     * @param data the item's bytes, decompressed
     * @param flags the item's flags, without {@link #COMPRESSED}
     * @return the value
     * @throws IllegalArgumentException if the bytes cannot be read as a value of this codec
     */
    T decode(byte[] data, int flags);

    /**
     * The bytes and flags of an encoded value.
     *
     * @param data the bytes (not copied: do not change them afterwards)
     * @param flags the client flags (32 bits, stored as unsigned by memcached)
     */
    record Encoded(byte[] data, int flags) {

        /**
         * Checks the arguments.
         *
         * @param data the bytes
         * @param flags the flags
         */
        public Encoded {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Encoded e && e.flags == flags && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(data) + flags;
        }

        @Override
        public String toString() {
            return "Encoded[" + data.length + " bytes, flags=" + flags + "]";
        }
    }

    /**
     * Raw bytes, flags 0; decodes any item as its bytes, whatever its flags.
     *
     * @return the codec
     */
    static MemcacheCodec<byte[]> bytes() {
        return Codecs.BYTES;
    }

    /**
     * Strings in UTF-8, flags {@link #FLAG_STRING}; decodes any item as UTF-8, whatever its flags (so it
     * reads strings that other clients stored with flags 0).
     *
     * @return the codec
     */
    static MemcacheCodec<String> utf8() {
        return Codecs.UTF8;
    }

    /**
     * Values of one type as JSON through a default Jackson {@link JsonMapper}, flags {@link #FLAG_JSON}.
     *
     * @param type the type of the values
     * @param <T> the type of the values
     * @return the codec
     */
    static <T> MemcacheCodec<T> json(Class<T> type) {
        return new Codecs.Json<>(Codecs.MAPPER, type);
    }

    /**
     * Values of one type as JSON through {@code mapper}, flags {@link #FLAG_JSON}.
     *
     * @param mapper the Jackson mapper
     * @param type the type of the values
     * @param <T> the type of the values
     * @return the codec
     */
    static <T> MemcacheCodec<T> json(ObjectMapper mapper, Class<T> type) {
        return new Codecs.Json<>(Objects.requireNonNull(mapper, "mapper"), Objects.requireNonNull(type, "type"));
    }

    /**
     * Values told apart by flags, like the seed's default codec: a {@code byte[]} is stored raw (flags 0), a
     * {@code String} as UTF-8 ({@link #FLAG_STRING}), anything else as JSON ({@link #FLAG_JSON}) through a
     * default Jackson mapper. JSON decodes to the natural Java types ({@code Map}, {@code List},
     * {@code Integer}/{@code Long}/{@code Double}, {@code Boolean}, {@code String}).
     *
     * @return the codec
     */
    static MemcacheCodec<Object> objects() {
        return Codecs.OBJECTS;
    }
}
