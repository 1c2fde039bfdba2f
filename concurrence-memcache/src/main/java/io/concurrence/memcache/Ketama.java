package io.concurrence.memcache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A libketama-compatible continuum: the same key goes to the same server as libketama (and the later
 * upstream Concurrence client) for the same server list and weights.
 */
final class Ketama {
    /*
     * libketama: server i gets floorf(weight_i / total * 40 * n) hash rounds, computed in float as the C code
     * does (pct is a float; the product is a double, rounded to float by floorf). Round k hashes
     * "host:port-k" with MD5 and takes four points, one from each 4-byte group read little-endian. The
     * points are sorted (ties keep server order). A key's point is the first 4 bytes of MD5(key),
     * little-endian, and it belongs to the first continuum point >= it, wrapping to the first point.
     */

    private final long[] points;
    private final int[] servers;

    /**
     * Builds the continuum.
     *
     * @param names each server's "host:port", as hashed
     * @param weights each server's weight, at least 1
     */
    Ketama(List<String> names, int[] weights) {
        long total = 0;
        for (int w : weights) {
            total += w;
        }
        int n = names.size();
        List<long[]> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float pct = (float) weights[i] / (float) total;
            int rounds = (int) Math.floor((float) (pct * 40.0 * (float) n));
            for (int k = 0; k < rounds; k++) {
                byte[] digest = md5(names.get(i) + "-" + k);
                for (int h = 0; h < 4; h++) {
                    entries.add(new long[] {littleEndian(digest, h * 4), i});
                }
            }
        }
        entries.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        points = new long[entries.size()];
        servers = new int[entries.size()];
        for (int j = 0; j < entries.size(); j++) {
            points[j] = entries.get(j)[0];
            servers[j] = (int) entries.get(j)[1];
        }
    }

    /** The number of points on the continuum. */
    int size() {
        return points.length;
    }

    /** The hash point of a key: the first 4 bytes of its MD5, little-endian, unsigned. */
    static long hash(byte[] key) {
        return littleEndian(md5(key), 0);
    }

    /** The index of the server for the key with {@code hash}. */
    int server(long hash) {
        return servers[pointIndex(hash)];
    }

    /**
     * The server for {@code hash}, walking the continuum clockwise past servers {@code alive} refuses;
     * -1 if none is alive.
     */
    int server(long hash, IntPredicate alive) {
        int start = pointIndex(hash);
        for (int j = 0; j < points.length; j++) {
            int s = servers[(start + j) % points.length];
            if (alive.test(s)) {
                return s;
            }
        }
        return -1;
    }

    private int pointIndex(long hash) {
        int i = Arrays.binarySearch(points, hash);
        if (i >= 0) {
            while (i > 0 && points[i - 1] == hash) {
                i--;
            }
            return i;
        }
        int insertion = -i - 1;
        return insertion == points.length ? 0 : insertion;
    }

    private static long littleEndian(byte[] d, int offset) {
        return (d[offset] & 0xFFL) | (d[offset + 1] & 0xFFL) << 8 | (d[offset + 2] & 0xFFL) << 16
                | (d[offset + 3] & 0xFFL) << 24;
    }

    private static byte[] md5(String s) {
        return md5(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5, which Ketama hashing needs", e);
        }
    }
}
