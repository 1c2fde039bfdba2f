package io.concurrence.memcache;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Deflate for values at or above the client's compression threshold ({@link MemcacheCodec#COMPRESSED}). */
final class Compression {

    /** The most a compressed value may inflate to: a guard against corrupt or hostile items. */
    static final int MAX_INFLATED = 256 << 20;

    private Compression() {
    }

    /** The deflated bytes of {@code data}. */
    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * The inflated bytes of {@code data}.
     *
     * @throws IllegalArgumentException if the bytes are not deflate data or inflate past {@link #MAX_INFLATED}
     */
    static byte[] inflate(byte[] data, String key) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length * 3));
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("memcache item \"" + key + "\" is flagged compressed but its "
                            + data.length + " bytes are truncated deflate data");
                }
                out.write(chunk, 0, n);
                if (out.size() > MAX_INFLATED) {
                    throw new IllegalArgumentException("memcache item \"" + key + "\" inflates past "
                            + MAX_INFLATED + " bytes; refusing it");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("memcache item \"" + key + "\" is flagged compressed but is not"
                    + " deflate data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
