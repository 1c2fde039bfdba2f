package io.concurrence.it.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutated HTTP/1.1 requests for {@link FuzzTest}: a valid request, chosen and changed by one to four
 * mutations, all drawn from a generator seeded by the run's seed and the request's index, so that a failing
 * request can be rebuilt from the two.
 */
final class Mutator {

    private static final String[] VALID = {
        "GET /a/b?c=d&e=%20f HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\nUser-Agent: fuzz\r\n\r\n",
        "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n"
                + "hello world",
        "POST /chunks HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world"
                + "\r\n0\r\n\r\n",
        "POST /trailers HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\n"
                + "X-Checksum: 1\r\n\r\n",
        "HEAD /h HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "PUT /p%C3%A9 HTTP/1.1\r\nHost: localhost:8080\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
        "GET http://localhost/abs HTTP/1.1\r\nHost: localhost\r\nCookie: a=b; c=d\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: localhost\r\n\r\nGET /y HTTP/1.1\r\nHost: localhost\r\n\r\n",
    };
    private static final byte[] INSERTS = {'\r', '\n', 0, ' ', ':', '\t', ',', ';', '%', '"', 0x7f, (byte) 0xff};
    private static final int MAX_MUTATIONS = 4;

    private Mutator() {
    }

    /** A mutated request and the mutations made, for the failure message. */
    record Mutated(byte[] bytes, List<String> mutations) {
    }

    /** Mutated request {@code index} of the run seeded {@code seed}. */
    static Mutated mutate(long seed, int index) {
        SplittableRandom random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        int base = random.nextInt(VALID.length);
        List<String> mutations = new ArrayList<>();
        mutations.add("base " + base);
        byte[] bytes = VALID[base].getBytes(StandardCharsets.ISO_8859_1);
        int n = 1 + random.nextInt(MAX_MUTATIONS);
        for (int m = 0; m < n; m++) {
            bytes = mutateOnce(bytes, random, mutations);
        }
        return new Mutated(bytes, mutations);
    }

    private static byte[] mutateOnce(byte[] in, SplittableRandom random, List<String> mutations) {
        int at = in.length == 0 ? 0 : random.nextInt(in.length);
        switch (random.nextInt(10)) {
            case 0 -> {
                mutations.add("flip " + at);
                byte[] out = in.clone();
                if (out.length > 0) {
                    out[at] = (byte) random.nextInt(256);
                }
                return out;
            }
            case 1, 2 -> {
                byte b = INSERTS[random.nextInt(INSERTS.length)];
                mutations.add("insert " + (b & 0xff) + " at " + at);
                return splice(in, at, 0, new byte[] {b});
            }
            case 3 -> {
                mutations.add("truncate at " + at);
                return Arrays.copyOf(in, at);
            }
            case 4 -> {
                int length = Math.min(in.length - at, 1 + random.nextInt(8));
                mutations.add("delete " + length + " at " + at);
                return splice(in, at, length, new byte[0]);
            }
            case 5 -> {
                mutations.add("duplicate a header line");
                return duplicateLine(in, random);
            }
            case 6 -> {
                int length = random.nextInt(4) == 0 ? random.nextInt(8000) : random.nextInt(100);
                byte filler = (byte) (random.nextBoolean() ? 'a' : INSERTS[random.nextInt(INSERTS.length)]);
                mutations.add("insert " + length + " x " + (filler & 0xff) + " at " + at);
                byte[] run = new byte[length];
                Arrays.fill(run, filler);
                return splice(in, at, 0, run);
            }
            case 7 -> {
                String number = randomNumber(random);
                mutations.add("Content-Length " + number);
                return replaceValue(in, "Content-Length: ", number);
            }
            case 8 -> {
                String size = random.nextInt(3) == 0 ? Long.toHexString(random.nextLong())
                        : Integer.toHexString(random.nextInt(0x2000));
                mutations.add("chunk size " + size);
                return replaceChunkSize(in, size);
            }
            default -> {
                int length = Math.min(in.length - at, 1 + random.nextInt(40));
                mutations.add("repeat " + length + " at " + at);
                return splice(in, at, 0, Arrays.copyOfRange(in, at, at + length));
            }
        }
    }

    private static String randomNumber(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> Long.toString(random.nextLong());
            case 1 -> Integer.toString(random.nextInt(20));
            case 2 -> Integer.toString(random.nextInt(10_000));
            case 3 -> random.nextInt(100) + ", " + random.nextInt(100);
            default -> "99999999999999999999999";
        };
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
        out.write(in, 0, at);
        out.writeBytes(insert);
        out.write(in, at + remove, in.length - at - remove);
        return out.toByteArray();
    }

    private static byte[] duplicateLine(byte[] in, SplittableRandom random) {
        String text = new String(in, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        int firstLineEnd = text.indexOf("\r\n");
        if (headEnd < 0 || firstLineEnd < 0 || firstLineEnd >= headEnd) {
            return in;
        }
        String[] lines = text.substring(firstLineEnd + 2, headEnd).split("\r\n");
        String line = lines[random.nextInt(lines.length)];
        return (text.substring(0, headEnd) + "\r\n" + line + text.substring(headEnd))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] replaceValue(byte[] in, String prefix, String value) {
        String text = new String(in, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(prefix);
        if (at < 0) {
            int headEnd = text.indexOf("\r\n\r\n");
            return headEnd < 0 ? in : (text.substring(0, headEnd) + "\r\n" + prefix + value + text.substring(headEnd))
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        int end = text.indexOf("\r\n", at);
        end = end < 0 ? text.length() : end;
        return (text.substring(0, at + prefix.length()) + value + text.substring(end))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] replaceChunkSize(byte[] in, String size) {
        String text = new String(in, StandardCharsets.ISO_8859_1);
        int body = text.indexOf("\r\n\r\n");
        if (body < 0 || !text.contains("chunked")) {
            return in;
        }
        int lineEnd = text.indexOf("\r\n", body + 4);
        if (lineEnd < 0) {
            return in;
        }
        return (text.substring(0, body + 4) + size + text.substring(lineEnd)).getBytes(StandardCharsets.ISO_8859_1);
    }
}
