package io.concurrence.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario of PERFORMANCE.md: ours and its peers, each measured once per round by the same method, at one
 * size (connections, tasklets, ...) or along a scale of sizes.
 *
 * @param name the scenario's name, e.g. {@code channel-pingpong}
 * @param description what one operation is
 * @param unit the unit of a measurement
 * @param higherIsBetter whether a larger figure is better (throughput) or worse (memory)
 * @param scale the sizes it is measured at, and the one its headline ratios come from
 * @param ours our variant
 * @param peers the peers, each with its target ratio
 */
record Scenario(String name, String description, String unit, boolean higherIsBetter, Scale scale, Variant ours,
                List<Peer> peers) {

    /** A scenario measured at one size only (or where size means nothing, as for the JMH scenarios). */
    Scenario(String name, String description, String unit, boolean higherIsBetter, Variant ours, List<Peer> peers) {
        this(name, description, unit, higherIsBetter, Scale.NONE, ours, peers);
    }

    /** Measures one variant once; returns the figure in the scenario's unit, and any details. */
    @FunctionalInterface
    interface Measure {
        Measurement once(Settings settings, int size) throws Exception;
    }

    /** Measures one variant once; returns the figure in the scenario's unit. */
    @FunctionalInterface
    interface SimpleMeasure {
        double once(Settings settings, int size) throws Exception;
    }

    /**
     * One measurement.
     *
     * @param value the figure in the scenario's unit
     * @param details further figures of the same measurement by name (e.g. latency percentiles), in order
     */
    record Measurement(double value, Map<String, Double> details) {

        Measurement {
            details = new LinkedHashMap<>(details);
        }

        static Measurement of(double value) {
            return new Measurement(value, Map.of());
        }
    }

    /**
     * One contender.
     *
     * @param name its name in results and charts
     * @param measure how one round measures it
     */
    record Variant(String name, Measure measure) {

        static Variant of(String name, SimpleMeasure measure) {
            return new Variant(name, (settings, size) -> Measurement.of(measure.once(settings, size)));
        }
    }

    /**
     * A peer and the target ratio (always "at least": for lower-is-better units, peer/ours).
     *
     * @param variant the peer
     * @param target the ratio to reach
     * @param targetText the target as PERFORMANCE.md states it
     */
    record Peer(Variant variant, double target, String targetText) {
    }

    /**
     * The sizes a scenario is measured at. A full run measures every point of {@code points}; the headline
     * (the scenario's ratios and target) is the figure at {@code headline}, one of them. A quick run measures
     * {@code quick} only. {@link #NONE} is the scale of a scenario with no size.
     *
     * @param label what the size counts, e.g. {@code connections}; empty for {@link #NONE}
     * @param points the sizes of a full run, ascending
     * @param headline the size the headline ratios come from
     * @param quick the size of a quick run
     */
    record Scale(String label, List<Integer> points, int headline, int quick) {

        static final Scale NONE = new Scale("", List.of(0), 0, 0);

        Scale {
            points = List.copyOf(points);
            if (!points.contains(headline)) {
                throw new IllegalArgumentException("headline size " + headline + " is not one of " + points);
            }
        }

        /** Whether the scenario is measured along a curve (more than one size). */
        boolean isCurve() {
            return points.size() > 1;
        }

        List<Integer> points(boolean quickRun) {
            return quickRun ? List.of(quick) : points;
        }

        int headline(boolean quickRun) {
            return quickRun ? quick : headline;
        }
    }
}
