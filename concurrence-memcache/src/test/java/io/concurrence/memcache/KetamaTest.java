package io.concurrence.memcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KetamaTest {

    /** Appendix A.3: servers 10.0.1.1 to 10.0.1.8 on 11211 with these weights. */
    private static final int[] WEIGHTS = {600, 300, 200, 350, 1000, 800, 950, 100};

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            names.add("10.0.1." + i + ":11211");
        }
        return names;
    }

    @ParameterizedTest
    @CsvSource({
        "12936, 3769287096, 10.0.1.7:11211",
        "27804, 435768809, 10.0.1.5:11211",
        "37045, 1996655674, 10.0.1.2:11211",
        "50829, 2954822664, 10.0.1.1:11211",
        "65422, 1423001712, 10.0.1.6:11211",
        "74912, 3809055594, 10.0.1.6:11211"})
    void keyHashesAndMapsToTheServerOfTheReferenceVectors(String key, long point, String server) {
        Ketama ketama = new Ketama(names(), WEIGHTS);
        long hash = Ketama.hash(key.getBytes(StandardCharsets.US_ASCII));

        assertThat(hash).isEqualTo(point);
        assertThat(names().get(ketama.server(hash))).isEqualTo(server);
    }

    @Test
    void continuumHasFortyRoundsOfFourPointsPerServerScaledByWeight() {
        Ketama ketama = new Ketama(names(), WEIGHTS);
        // floor(w / 4300 * 320) rounds each: 44 + 22 + 14 + 26 + 74 + 59 + 70 + 7 = 316
        assertThat(ketama.size()).isEqualTo(316 * 4);
    }

    @Test
    void keysSpreadRoughlyByWeight() {
        Ketama ketama = new Ketama(List.of("a:1", "b:1"), new int[] {1, 1});
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(ketama.server(Ketama.hash(("key" + i).getBytes(StandardCharsets.UTF_8))), 1, Integer::sum);
        }
        assertThat(counts.get(0)).isBetween(3_500, 6_500);
        assertThat(counts.get(1)).isBetween(3_500, 6_500);
    }

    @Test
    void failoverWalksPastDeadServers() {
        Ketama ketama = new Ketama(names(), WEIGHTS);
        long hash = Ketama.hash("12936".getBytes(StandardCharsets.US_ASCII));
        int primary = ketama.server(hash);

        int next = ketama.server(hash, s -> s != primary);

        assertThat(next).isNotEqualTo(primary).isBetween(0, 7);
        assertThat(ketama.server(hash, s -> false)).isEqualTo(-1);
    }
}
