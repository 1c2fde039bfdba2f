package io.concurrence.web;

import java.lang.reflect.Type;

/**
 * JSON through Jackson 3, when it is on the class path. Jackson's classes are touched only inside
 * {@link Mapper}, which is loaded on first use, so the web layer works without Jackson.
 */
final class Json {

    private static final boolean AVAILABLE = present();

    private Json() {
    }

    static boolean isAvailable() {
        return AVAILABLE;
    }

    static byte[] write(Object value) {
        requireAvailable();
        return Mapper.MAPPER.writeValueAsBytes(value);
    }

    static Object read(byte[] json, Type type) {
        requireAvailable();
        return Mapper.MAPPER.readValue(json, Mapper.MAPPER.getTypeFactory().constructType(type));
    }

    /**
     * What was wrong with a body {@link #read} refused, for the client: the kind of problem, where in the
     * document, and the line and column. Not Jackson's message, which names the application's classes.
     */
    static String describeReadFailure(RuntimeException e) {
        return AVAILABLE ? Mapper.describe(e) : "unreadable";
    }

    private static void requireAvailable() {
        if (!AVAILABLE) {
            throw new IllegalStateException("JSON needs Jackson (tools.jackson.core:jackson-databind) on the class"
                    + " path");
        }
    }

    private static boolean present() {
        try {
            Class.forName("tools.jackson.databind.json.JsonMapper", false, Json.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Holds the mapper; loaded only when Jackson is present and JSON is used. */
    private static final class Mapper {
        static final tools.jackson.databind.ObjectMapper MAPPER =
                tools.jackson.databind.json.JsonMapper.builder().build();

        static String describe(RuntimeException e) {
            if (!(e instanceof tools.jackson.core.JacksonException failure)) {
                return "unreadable";
            }
            StringBuilder text = new StringBuilder(failure instanceof tools.jackson.core.exc.StreamReadException
                    ? "malformed JSON" : "a value of the wrong type or shape");
            StringBuilder path = new StringBuilder();
            for (tools.jackson.core.JacksonException.Reference reference : failure.getPath()) {
                if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                } else if (reference.getPropertyName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
                }
            }
            if (!path.isEmpty()) {
                text.append(" at ").append(path);
            }
            tools.jackson.core.TokenStreamLocation location = failure.getLocation();
            if (location != null && location.getLineNr() > 0) {
                text.append(" (line ").append(location.getLineNr()).append(", column ")
                        .append(location.getColumnNr()).append(')');
            }
            return text.toString();
        }
    }
}
