package io.concurrence.memcache;

import java.nio.charset.StandardCharsets;

/** The text protocol's rules for keys: 1 to 250 bytes of UTF-8, no spaces, no control characters. */
final class Keys {

    static final int MAX_KEY_BYTES = 250;

    private Keys() {
    }

    /**
     * Checks {@code key} and returns its UTF-8 bytes.
     *
     * @throws IllegalArgumentException naming the key and the rule it breaks
     */
    static byte[] check(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("memcache key is empty; keys are 1 to " + MAX_KEY_BYTES + " bytes");
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("memcache key \"" + printable(key, 40) + "...\" is " + bytes.length
                    + " bytes in UTF-8; keys are at most " + MAX_KEY_BYTES + " bytes");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == ' ') {
                throw new IllegalArgumentException("memcache key \"" + key + "\" contains a space at index " + i
                        + "; keys must not contain spaces or control characters");
            }
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("memcache key \"" + printable(key, MAX_KEY_BYTES)
                        + "\" contains control or whitespace character U+" + String.format("%04X", (int) c)
                        + " at index " + i + "; keys must not contain spaces or control characters");
            }
        }
        return bytes;
    }

    /** {@code key} cut to {@code max} characters, with control characters escaped as {@code \\uXXXX}. */
    static String printable(String key, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(key.length(), max); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
