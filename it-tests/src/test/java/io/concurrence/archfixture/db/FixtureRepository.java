package io.concurrence.archfixture.db;

/** A stand-in for a class of another module (see StrayBlock). */
public final class FixtureRepository {

    /** Called across "modules" by StrayBlock. */
    public static String name() {
        return "repository";
    }

    private FixtureRepository() {
    }
}
