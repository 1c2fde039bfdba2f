package io.concurrence.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.concurrence.benchmarks.Scenario.Measurement;

/**
 * Runs the scenarios of PERFORMANCE.md side by side with their peers, writes
 * {@code benchmarks/results/<scenario>.json}, and regenerates {@code docs/benchmarks.md}. Run it from the
 * repository root:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [--quick] [--rounds N] [all | scenario ...]
 * java -jar benchmarks/target/benchmarks.jar --report        # regenerate docs/benchmarks.md only
 * java -jar benchmarks/target/benchmarks.jar --list
 * </pre>
 * A quick run (seconds per scenario) proves every scenario still works; it writes to
 * {@code benchmarks/target/quick-results/} and leaves the committed results and report alone.
 */
public final class Harness {

    private Harness() {
    }

    /**
     * Entry point.
     *
     * @param args see the class documentation
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean reportOnly = false;
        int rounds = 3;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--report" -> reportOnly = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--list" -> {
                    Scenarios.all().forEach(s -> System.out.println(s.name() + "\t" + s.description()));
                    return;
                }
                default -> names.add(args[i]);
            }
        }
        Path root = Path.of("").toAbsolutePath();
        Path results = root.resolve(quick ? "benchmarks/target/quick-results" : "benchmarks/results");
        Path docs = root.resolve("docs");
        if (!reportOnly) {
            if (!Files.isDirectory(root.resolve("benchmarks"))) {
                throw new IllegalStateException("run the harness from the repository root (no benchmarks/ in "
                        + root + ")");
            }
            run(select(names), new Settings(quick, quick ? 1 : rounds, jar(), java()), results);
        }
        if (!quick) {
            Report.write(root.resolve("benchmarks/results"), docs);
            System.out.println("wrote " + docs.resolve("benchmarks.md"));
        }
    }

    private static List<Scenario> select(List<String> names) {
        List<Scenario> all = Scenarios.all();
        if (names.isEmpty() || names.contains("all")) {
            return all;
        }
        Set<String> known = all.stream().map(Scenario::name).collect(Collectors.toSet());
        for (String name : names) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + known);
            }
        }
        return all.stream().filter(s -> names.contains(s.name())).toList();
    }

    /**
     * Runs every scenario, round after round; within a round, at each size of the scenario's scale in turn,
     * ours then each peer. A variant that fails is reported and the run goes on with the others (their figures
     * still show on the console), but a scenario with a failed variant writes no results; the harness then ends
     * with an error naming every failure.
     */
    private static void run(List<Scenario> scenarios, Settings settings, Path results) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            List<Integer> sizes = scenario.scale().points(settings.quick());
            List<Results.Point> points = new ArrayList<>();
            for (int size : sizes) {
                List<List<Measurement>> peers = new ArrayList<>();
                scenario.peers().forEach(p -> peers.add(new ArrayList<>()));
                points.add(new Results.Point(size, new ArrayList<>(), peers));
            }
            int failed = failures.size();
            for (int round = 1; round <= settings.rounds(); round++) {
                for (Results.Point point : points) {
                    point.ours().add(measure(scenario, scenario.ours(), point.size(), round, settings, failures));
                    for (int i = 0; i < scenario.peers().size(); i++) {
                        point.peers().get(i).add(measure(scenario, scenario.peers().get(i).variant(), point.size(),
                                round, settings, failures));
                    }
                }
            }
            if (failures.size() > failed) {
                System.out.println(scenario.name() + ": no results written, a variant failed");
                continue;
            }
            Results result = new Results(scenario, points, scenario.scale().headline(settings.quick()),
                    settings.quick());
            result.write(results);
            System.out.println(result);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " measurement(s) failed:\n  "
                    + String.join("\n  ", failures));
        }
    }

    /** Measures {@code variant} once; on failure, records it in {@code failures} and returns NaN. */
    private static Measurement measure(Scenario scenario, Scenario.Variant variant, int size, int round,
                                       Settings settings, List<String> failures) {
        String at = scenario.scale().label().isEmpty() ? "" : " at " + size + " " + scenario.scale().label();
        System.err.printf("[%s] round %d%s: %s...%n", scenario.name(), round, at, variant.name());
        Measurement measurement;
        try {
            measurement = variant.measure().once(settings, size);
        } catch (Exception e) {
            System.err.printf("[%s] round %d%s: %s FAILED%n", scenario.name(), round, at, variant.name());
            e.printStackTrace();
            failures.add(scenario.name() + " round " + round + at + " " + variant.name() + ": "
                    + e.toString().lines().findFirst().orElse(""));
            return Measurement.of(Double.NaN);
        }
        System.err.printf("[%s] round %d%s: %s = %.1f %s%s%n", scenario.name(), round, at, variant.name(),
                measurement.value(), scenario.unit(), measurement.details().isEmpty() ? ""
                        : " " + measurement.details());
        return measurement;
    }

    private static Path jar() throws Exception {
        return Path.of(Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
