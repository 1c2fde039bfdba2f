package io.concurrence.benchmarks;

import java.util.List;

/**
 * A scenario of PERFORMANCE.md: ours and its peers, each measured once per round by the same method.
 *
 * @param name the scenario's name, e.g. {@code channel-pingpong}
 * @param description what one operation is
 * @param unit the unit of a measurement
 * @param higherIsBetter whether a larger figure is better (throughput) or worse (memory)
 * @param ours our variant
 * @param peers the peers, each with its target ratio
 */
record Scenario(String name, String description, String unit, boolean higherIsBetter, Variant ours,
                List<Peer> peers) {

    /** Measures one variant once; returns the figure in the scenario's unit. */
    @FunctionalInterface
    interface Measure {
        double once(Settings settings) throws Exception;
    }

    /**
     * One contender.
     *
     * @param name its name in results and charts
     * @param measure how one round measures it
     */
    record Variant(String name, Measure measure) {
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
}
