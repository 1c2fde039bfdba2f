package io.concurrence.memcache;

import static io.concurrence.memcache.MemcacheTestSupport.SERVER_A;
import static io.concurrence.memcache.MemcacheTestSupport.SERVER_B;
import static io.concurrence.memcache.MemcacheTestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;

/** Every command against the two real servers; the seed's A.3 test behaviours. */
class MemcacheClientTest {

    private MemcacheClient<String> cache;

    @BeforeEach
    void connect() {
        MemcacheTestSupport.requireServers();
        cache = MemcacheClient.builder().server(SERVER_A).server(SERVER_B).codec(MemcacheCodec.utf8()).build();
    }

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    void setThenGetReturnsTheValueAndAMissIsEmpty() {
        String k = key("basic");
        assertThat(cache.set(k, "blaat")).isTrue();
        assertThat(cache.get(k)).contains("blaat");
        assertThat(cache.get(key("missing"))).isEmpty();
        assertThat(cache.get(key("missing")).orElse("default")).isEqualTo("default");
    }

    @Test
    void deleteIsFalseOnMissingThenTrueAfterSet() {
        String k = key("delete");
        assertThat(cache.delete(k)).isFalse();
        assertThat(cache.set(k, "x")).isTrue();
        assertThat(cache.delete(k)).isTrue();
        assertThat(cache.get(k)).isEmpty();
    }

    @Test
    void addStoresOnlyWhenAbsentAndReplaceOnlyWhenPresent() {
        String k = key("add");
        assertThat(cache.add(k, "one", Duration.ZERO)).isTrue();
        assertThat(cache.add(k, "two", Duration.ZERO)).isFalse();
        assertThat(cache.get(k)).contains("one");
        assertThat(cache.replace(k, "three", Duration.ZERO)).isTrue();
        assertThat(cache.get(k)).contains("three");
        cache.delete(k);
        assertThat(cache.replace(k, "four", Duration.ZERO)).isFalse();
    }

    @Test
    void casStoresOnceThenReportsExistsAndNotFoundOnMissingKey() {
        String k = key("cas");
        assertThat(cache.cas(k, "x", 12345)).isEqualTo(CasResult.NOT_FOUND);
        assertThat(cache.gets(k)).isEmpty();
        cache.set(k, "blaat");
        CasValue<String> v = cache.gets(k).orElseThrow();
        assertThat(v.value()).isEqualTo("blaat");
        assertThat(cache.cas(k, "blaat2", v.cas())).isEqualTo(CasResult.STORED);
        assertThat(cache.cas(k, "blaat3", v.cas())).isEqualTo(CasResult.EXISTS);
        assertThat(cache.get(k)).contains("blaat2");
    }

    @Test
    void getsMultiReturnsValuesWithCasUniques() {
        String a = key("gm");
        String b = key("gm");
        cache.set(a, "A");
        cache.set(b, "B");
        Map<String, CasValue<String>> got = cache.getsMulti(List.of(a, b, key("none")));
        assertThat(got).containsOnlyKeys(a, b);
        assertThat(got.get(a).value()).isEqualTo("A");
        assertThat(got.get(b).cas()).isNotZero();
    }

    @Test
    void appendAndPrependFailOnMissingKeyAndConcatenateOtherwise() {
        String k = key("append");
        assertThat(cache.append(k, "world")).isFalse();
        assertThat(cache.prepend(k, "hello")).isFalse();
        cache.set(k, "llo");
        assertThat(cache.prepend(k, "he")).isTrue();
        assertThat(cache.append(k, "world")).isTrue();
        assertThat(cache.get(k)).contains("helloworld");
    }

    @Test
    void incrCountsAndWrapsAt2To64() {
        String k = key("incr");
        assertThat(cache.incr(k, 1)).isEmpty();
        cache.set(k, "0");
        assertThat(cache.incr(k, 1)).isEqualTo(OptionalLong.of(1));
        assertThat(cache.incr(k, 1)).isEqualTo(OptionalLong.of(2));
        assertThat(cache.incr(k, 10)).isEqualTo(OptionalLong.of(12));
        cache.set(k, Long.toUnsignedString(-1L)); // 2^64 - 1
        assertThat(cache.incr(k, 1)).isEqualTo(OptionalLong.of(0));
    }

    @Test
    void decrCountsDownAndStopsAtZero() {
        String k = key("decr");
        assertThat(cache.decr(k, 1)).isEmpty();
        cache.set(k, "12");
        assertThat(cache.decr(k, 1)).isEqualTo(OptionalLong.of(11));
        assertThat(cache.decr(k, 1)).isEqualTo(OptionalLong.of(10));
        assertThat(cache.decr(k, 20)).isEqualTo(OptionalLong.of(0));
        assertThat(cache.decr(k, 1)).isEqualTo(OptionalLong.of(0));
        assertThat(cache.get(k).map(String::trim)).contains("0");
    }

    @Test
    void incrOnANonNumberFailsNamingTheServerAndCommand() {
        String k = key("nan");
        cache.set(k, "abc");
        assertThatThrownBy(() -> cache.incr(k, 1))
                .isInstanceOf(MemcacheException.class)
                .hasMessageContaining("incr " + k)
                .hasMessageContaining(cache.serverFor(k))
                .hasMessageContaining("CLIENT_ERROR");
        assertThat(cache.get(k)).contains("abc"); // the connection is still in step
    }

    @Test
    void itemWithExpiryIsPresentAtOnceAndGoneAfterIt() throws InterruptedException {
        String k = key("expiry");
        cache.set(k, "short", Duration.ofSeconds(1));
        assertThat(cache.get(k)).contains("short");
        assertGoneWithin(k);
    }

    @Test
    void touchSetsANewExpiryAndIsFalseForAMissingKey() throws InterruptedException {
        String k = key("touch");
        assertThat(cache.touch(k, Duration.ofSeconds(1))).isFalse();
        cache.set(k, "v");
        assertThat(cache.touch(k, Duration.ofSeconds(1))).isTrue();
        assertThat(cache.get(k)).contains("v");
        assertGoneWithin(k);
    }

    private void assertGoneWithin(String k) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cache.get(k).isPresent()) {
            assertThat(System.nanoTime()).as("expired within 10 s").isLessThan(deadline);
            Thread.sleep(100); // polling memcached's clock (1 s resolution); no event to wait for
        }
    }

    @Test
    void noReplyVariantsTakeEffect() {
        String k = key("noreply");
        cache.setNoReply(k, "a", Duration.ZERO);
        cache.appendNoReply(k, "b");
        cache.prependNoReply(k, "c");
        cache.addNoReply(k, "ignored", Duration.ZERO);
        assertThat(cache.get(k)).contains("cab"); // the get is answered after the noreply writes
        cache.replaceNoReply(k, "d", Duration.ZERO);
        assertThat(cache.get(k)).contains("d");
        cache.deleteNoReply(k);
        assertThat(cache.get(k)).isEmpty();
    }

    @Test
    void versionIsReportedPerServerAndStable() {
        Map<String, String> first = cache.version();
        assertThat(first).containsOnlyKeys(SERVER_A, SERVER_B);
        assertThat(first.get(SERVER_A)).matches("\\d+\\.\\d+.*");
        assertThat(cache.version()).isEqualTo(first);
    }

    @Test
    void statsAreReportedPerServer() {
        Map<String, Map<String, String>> stats = cache.stats();
        assertThat(stats).containsOnlyKeys(SERVER_A, SERVER_B);
        assertThat(stats.get(SERVER_B)).containsKeys("pid", "uptime", "curr_items");
    }

    @Test
    void flushAllEmptiesEveryServer() {
        // a client on a third server of its own would be cleaner; the test keys are unique, so flushing is safe
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            keys.add(key("flush"));
            cache.set(keys.get(i), "v");
        }
        cache.flushAll();
        assertThat(cache.getMulti(keys)).isEmpty();
    }

    @Test
    void multiGetSpansBothServersAndMergesInKeyOrder() {
        Map<String, String> expected = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String k = key("multi" + i);
            keys.add(k);
            expected.put(k, "value" + i);
            cache.set(k, "value" + i);
        }
        assertThat(keys.stream().map(cache::serverFor).distinct()).containsExactlyInAnyOrder(SERVER_A, SERVER_B);
        keys.add(key("absent"));
        Map<String, String> got = cache.getMulti(keys);
        assertThat(got).isEqualTo(expected);
        assertThat(new ArrayList<>(got.keySet())).isEqualTo(keys.subList(0, 100));
    }

    @Test
    void tenPipelinedMultiGetsFromConcurrentTaskletsAllSucceedAndAgree() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add(key("pipe" + i));
            cache.set(keys.get(i), "v" + i);
        }
        List<Tasklet<Map<String, String>>> tasklets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasklets.add(Tasklet.spawn(() -> cache.getMulti(keys)));
        }
        Map<String, String> first = tasklets.get(0).join(MemcacheTestSupport.SOON);
        assertThat(first).hasSize(30).containsEntry(keys.get(7), "v7");
        for (Tasklet<Map<String, String>> t : tasklets) {
            assertThat(t.join(MemcacheTestSupport.SOON)).isEqualTo(first);
        }
    }

    @Test
    void withCodecViewSharesConnectionsAndDecodesByFlags() {
        String k = key("view");
        MemcacheClient<Object> objects = cache.withCodec(MemcacheCodec.objects());
        objects.set(k, Map.of("name", "x", "n", 3));
        assertThat(objects.get(k)).contains(Map.of("name", "x", "n", 3));
        objects.set(k, "plain");
        assertThat(objects.get(k)).contains("plain");
        objects.set(k, new byte[] {1, 2, 3});
        assertThat(objects.get(k).orElseThrow()).isEqualTo(new byte[] {1, 2, 3});
        objects.close(); // a view's close closes nothing
        assertThat(cache.set(k, "still open")).isTrue();
    }

    record Point(int x, int y) {
    }

    @Test
    void jsonCodecRoundTripsARecord() {
        String k = key("json");
        MemcacheClient<Point> points = cache.withCodec(MemcacheCodec.json(Point.class));
        points.set(k, new Point(3, 4));
        assertThat(points.get(k)).contains(new Point(3, 4));
    }

    @Test
    void largeValuesAreCompressedAndRoundTrip() {
        String k = key("large");
        String big = "abcdefgh".repeat(400_000); // 3.2 MB: storable only because it compresses below 1 MiB
        assertThat(cache.set(k, big)).isTrue();
        assertThat(cache.get(k)).contains(big);
    }

    @Test
    void valueOverItemSizeIsRefusedBeforeSending() {
        String k = key("huge");
        byte[] random = new byte[2 * 1024 * 1024];
        new java.util.Random(1).nextBytes(random);
        MemcacheClient<byte[]> bytes = cache.withCodec(MemcacheCodec.bytes());
        assertThatThrownBy(() -> bytes.set(k, random))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(k)
                .hasMessageContaining("item size limit is 1048576 bytes");
        assertThat(bytes.get(k)).isEmpty();
    }

    @Test
    void badKeysAreRefusedNamingTheKeyAndTheRule() {
        assertThatThrownBy(() -> cache.get("has space"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"has space\"").hasMessageContaining("spaces");
        assertThatThrownBy(() -> cache.set("ctl\nkey", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ctl\\u000akey").hasMessageContaining("U+000A");
        assertThatThrownBy(() -> cache.get("k".repeat(251)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("251 bytes").hasMessageContaining("at most 250");
        assertThatThrownBy(() -> cache.get(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThat(cache.set("k".repeat(250), "ok")).isTrue();
    }

    @Test
    void negativeExpiryIsRefused() {
        assertThatThrownBy(() -> cache.set(key("neg"), "v", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expiry");
    }

    @Test
    void closedClientRefusesCalls() {
        cache.close();
        cache.close();
        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    /**
     * Gets issued at once from many tasklets are merged on the connection into multi-key gets; each caller still
     * gets its own key's value, or a miss, and a key asked by several callers at once answers each of them.
     */
    @Test
    void concurrentGetsEachGetTheirOwnKeysValueOrMiss() {
        List<String> present = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String k = key("merge-" + i);
            assertThat(cache.set(k, "value-" + i)).isTrue();
            present.add(k);
        }
        List<Tasklet<String>> getters = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 100; i++) {
                String k = present.get(i);
                getters.add(Tasklet.spawn(() -> cache.get(k).orElse("MISS")));
                String absent = key("merge-absent-" + round + "-" + i);
                getters.add(Tasklet.spawn(() -> cache.get(absent).orElse("MISS")));
            }
        }
        for (int g = 0; g < getters.size(); g++) {
            String got = getters.get(g).join(Duration.ofSeconds(30));
            int i = (g / 2) % 100;
            assertThat(got).as("getter %d", g).isEqualTo(g % 2 == 0 ? "value-" + i : "MISS");
        }
    }
}
