package io.concurrence.memcache;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The built-in codecs of {@link MemcacheCodec}. */
final class Codecs {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    static final MemcacheCodec<byte[]> BYTES = new MemcacheCodec<>() {
        @Override
        public Encoded encode(byte[] value) {
            return new Encoded(value, 0);
        }

        @Override
        public byte[] decode(byte[] data, int flags) {
            return data;
        }

        @Override
        public String toString() {
            return "MemcacheCodec.bytes()";
        }
    };

    static final MemcacheCodec<String> UTF8 = new MemcacheCodec<>() {
        @Override
        public Encoded encode(String value) {
            return new Encoded(value.getBytes(StandardCharsets.UTF_8), MemcacheCodec.FLAG_STRING);
        }

        @Override
        public String decode(byte[] data, int flags) {
            return new String(data, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "MemcacheCodec.utf8()";
        }
    };

    static final MemcacheCodec<Object> OBJECTS = new MemcacheCodec<>() {
        @Override
        public Encoded encode(Object value) {
            if (value instanceof byte[] bytes) {
                return new Encoded(bytes, 0);
            }
            if (value instanceof String string) {
                return UTF8.encode(string);
            }
            return new Encoded(writeJson(MAPPER, value), MemcacheCodec.FLAG_JSON);
        }

        @Override
        public Object decode(byte[] data, int flags) {
            if ((flags & MemcacheCodec.FLAG_JSON) != 0) {
                return readJson(MAPPER, data, Object.class);
            }
            if ((flags & MemcacheCodec.FLAG_STRING) != 0) {
                return new String(data, StandardCharsets.UTF_8);
            }
            return data;
        }

        @Override
        public String toString() {
            return "MemcacheCodec.objects()";
        }
    };

    private Codecs() {
    }

    /** One type as JSON. */
    record Json<T>(ObjectMapper mapper, Class<T> type) implements MemcacheCodec<T> {

        Json {
            Objects.requireNonNull(mapper, "mapper");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public Encoded encode(T value) {
            return new Encoded(writeJson(mapper, value), MemcacheCodec.FLAG_JSON);
        }

        @Override
        public T decode(byte[] data, int flags) {
            return readJson(mapper, data, type);
        }
    }

    static byte[] writeJson(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode a " + value.getClass().getName()
                    + " as JSON for memcache: " + e.getOriginalMessage(), e);
        }
    }

    static <T> T readJson(ObjectMapper mapper, byte[] data, Class<T> type) {
        try {
            T value = mapper.readValue(data, type);
            if (value == null) {
                throw new IllegalArgumentException("memcache item holds JSON null; expected a " + type.getName());
            }
            return value;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot decode a memcache item of " + data.length
                    + " bytes as JSON " + type.getName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
