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

import io.concurrence.benchmarks.Scenario.Measurement;

/**
 * A scenario's measurements and ratios, as {@code benchmarks/results/<scenario>.json} (the format of
 * PERFORMANCE.md: {@code ratio_median} is always "at least the target is good"). The top-level figures are
 * those at the scenario's headline size; a scenario measured along a scale also has every size's figures under
 * {@code curve}.
 *
 * @param scenario the scenario
 * @param points the measurements at each size, in the scale's order
 * @param headline the size the top-level figures come from
 * @param quick whether the figures come from a quick run
 */
record Results(Scenario scenario, List<Point> points, int headline, boolean quick) {

    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * The measurements at one size.
     *
     * @param size the size
     * @param ours our measurement per round
     * @param peers each peer's measurement per round, in the scenario's peer order
     */
    record Point(int size, List<Measurement> ours, List<List<Measurement>> peers) {

        /** Ours against peer {@code index} per round, oriented so that larger is better. */
        List<Double> ratios(int index, boolean higherIsBetter) {
            List<Double> ratios = new ArrayList<>();
            List<Measurement> peer = peers.get(index);
            for (int round = 0; round < ours.size(); round++) {
                double o = ours.get(round).value();
                double p = peer.get(round).value();
                ratios.add(higherIsBetter ? o / p : p / o);
            }
            return ratios;
        }
    }

    Point headlinePoint() {
        return points.stream().filter(p -> p.size() == headline).findFirst()
                .orElseThrow(() -> new IllegalStateException("no measurement at the headline size " + headline));
    }

    /** Ours against peer {@code index} per round at the headline size, oriented so that larger is better. */
    List<Double> ratios(int index) {
        return headlinePoint().ratios(index, scenario.higherIsBetter());
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static List<Double> values(List<Measurement> measurements) {
        return measurements.stream().map(Measurement::value).toList();
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
        Point top = headlinePoint();
        if (!scenario.scale().label().isEmpty()) {
            json.put("size_label", scenario.scale().label());
            json.put("size", headline);
        }
        json.put("ours", variantJson(scenario.ours().name(), top.ours()));
        json.put("peers", peersJson(top));
        if (points.size() > 1) {
            List<Map<String, Object>> curve = new ArrayList<>();
            for (Point point : points) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("size", point.size());
                p.put("ours", variantJson(scenario.ours().name(), point.ours()));
                p.put("peers", peersJson(point));
                curve.add(p);
            }
            json.put("curve", curve);
        }
        return json;
    }

    private static Map<String, Object> variantJson(String name, List<Measurement> measurements) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("rounds", values(measurements));
        json.put("median", median(values(measurements)));
        if (measurements.stream().anyMatch(m -> !m.details().isEmpty())) {
            json.put("details", measurements.stream().map(Measurement::details).toList());
        }
        return json;
    }

    private List<Map<String, Object>> peersJson(Point point) {
        List<Map<String, Object>> peerJson = new ArrayList<>();
        for (int i = 0; i < point.peers().size(); i++) {
            Scenario.Peer peer = scenario.peers().get(i);
            List<Double> ratios = point.ratios(i, scenario.higherIsBetter());
            double ratio = median(ratios);
            Map<String, Object> p = variantJson(peer.variant().name(), point.peers().get(i));
            p.put("ratios", ratios);
            p.put("ratio_median", round(ratio));
            p.put("target", round(peer.target()));
            p.put("target_text", peer.targetText());
            p.put("met", ratio >= peer.target());
            peerJson.add(p);
        }
        return peerJson;
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
        StringBuilder line = new StringBuilder();
        for (Point point : points) {
            if (line.length() > 0) {
                line.append('\n');
            }
            line.append(scenario.name());
            if (!scenario.scale().label().isEmpty()) {
                line.append(" at ").append(point.size()).append(' ').append(scenario.scale().label());
            }
            line.append(": ours ").append(String.format("%.1f", median(values(point.ours())))).append(' ')
                    .append(scenario.unit());
            for (int i = 0; i < point.peers().size(); i++) {
                double ratio = median(point.ratios(i, scenario.higherIsBetter()));
                Scenario.Peer peer = scenario.peers().get(i);
                line.append(" | ").append(peer.variant().name()).append(' ')
                        .append(String.format("%.1f", median(values(point.peers().get(i)))))
                        .append(" ratio ").append(String.format("%.2f", ratio))
                        .append(" (target ").append(peer.targetText())
                        .append(ratio >= peer.target() ? ", met)" : ", missed)");
            }
            line.append(quick ? " [quick]" : "").append(" rounds ")
                    .append(Arrays.toString(values(point.ours()).toArray()));
            point.ours().stream().filter(m -> !m.details().isEmpty())
                    .forEach(m -> line.append(' ').append(m.details()));
        }
        return line.toString();
    }
}
