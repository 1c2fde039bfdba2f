package io.concurrence.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scenario's measurements and ratios, as {@code benchmarks/results/<scenario>.json} (the format of
 * PERFORMANCE.md: {@code ratio_median} is always "at least the target is good").
 *
 * @param scenario the scenario
 * @param ours our figure per round
 * @param peers each peer's figure per round, in the scenario's peer order
 * @param quick whether the figures come from a quick run
 */
record Results(Scenario scenario, List<Double> ours, List<List<Double>> peers, boolean quick) {

    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** Ours against peer {@code index} per round, oriented so that larger is better. */
    List<Double> ratios(int index) {
        List<Double> ratios = new ArrayList<>();
        List<Double> peer = peers.get(index);
        for (int round = 0; round < ours.size(); round++) {
            double o = ours.get(round);
            double p = peer.get(round);
            ratios.add(scenario.higherIsBetter() ? o / p : p / o);
        }
        return ratios;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario.name());
        json.put("description", scenario.description());
        json.put("date", LocalDate.now().toString());
        json.put("jdk", Runtime.version().toString());
        json.put("cpus", Runtime.getRuntime().availableProcessors());
        json.put("quick", quick);
        json.put("unit", scenario.unit());
        json.put("higher_is_better", scenario.higherIsBetter());
        json.put("ours", Map.of("name", scenario.ours().name(), "rounds", ours, "median", median(ours)));
        List<Map<String, Object>> peerJson = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            Scenario.Peer peer = scenario.peers().get(i);
            double ratio = median(ratios(i));
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", peer.variant().name());
            p.put("rounds", peers.get(i));
            p.put("median", median(peers.get(i)));
            p.put("ratios", ratios(i));
            p.put("ratio_median", round(ratio));
            p.put("target", round(peer.target()));
            p.put("target_text", peer.targetText());
            p.put("met", ratio >= peer.target());
            peerJson.add(p);
        }
        json.put("peers", peerJson);
        return json;
    }

    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        JSON.writeValue(directory.resolve(scenario.name() + ".json").toFile(), toJson());
    }

    /** Reads every results file of {@code directory}, by scenario name. */
    static List<JsonNode> readAll(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<JsonNode> all = new ArrayList<>();
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                all.add(JSON.readTree(file.toFile()));
            }
        }
        return all;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(scenario.name()).append(": ours ")
                .append(String.format("%.1f", median(ours))).append(' ').append(scenario.unit());
        for (int i = 0; i < peers.size(); i++) {
            double ratio = median(ratios(i));
            Scenario.Peer peer = scenario.peers().get(i);
            line.append(" | ").append(peer.variant().name()).append(' ')
                    .append(String.format("%.1f", median(peers.get(i))))
                    .append(" ratio ").append(String.format("%.2f", ratio))
                    .append(" (target ").append(peer.targetText())
                    .append(ratio >= peer.target() ? ", met)" : ", missed)");
        }
        return line.append(quick ? " [quick]" : "").append(" rounds ").append(Arrays.toString(ours.toArray()))
                .toString();
    }
}
