package io.concurrence.it.support;

import java.time.Duration;

/**
 * The two sizes of the reliability suite: the quick form every build runs, and the soak form behind
 * {@code -Psoak} (which sets the system property {@code concurrence.soak=true}).
 */
public final class Soak {

    private Soak() {
    }

    /** Whether this run is the soak profile. */
    public static boolean enabled() {
        return Boolean.getBoolean("concurrence.soak");
    }

    /** {@code quick} in the default build, {@code soak} under {@code -Psoak}. */
    public static int count(int quick, int soak) {
        return enabled() ? soak : quick;
    }

    /** {@code quick} in the default build, {@code soak} under {@code -Psoak}. */
    public static Duration duration(Duration quick, Duration soak) {
        return enabled() ? soak : quick;
    }

    /** The name of this run's form, for figures and messages. */
    public static String form() {
        return enabled() ? "soak" : "quick";
    }
}
