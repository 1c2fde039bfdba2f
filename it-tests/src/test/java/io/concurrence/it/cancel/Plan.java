package io.concurrence.it.cancel;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * What one victim of {@link CancellationStormTest} does and how it is stopped, drawn from its own random stream
 * (the run's seed and the victim's number), so a failing victim can be replayed.
 *
 * @param index the victim's number (the tag its answer must carry)
 * @param kind what it blocks in
 * @param ending how it is stopped: killed at {@code killAfter}, or timed out after {@code timeout}
 * @param serverMillis how long the other side takes to answer (in all; negative: never, remote only)
 * @param chunks HTTP only: 0 for a whole body, else a body streamed in that many slow chunks
 * @param timeout the per-call or ambient timeout (timeout endings only)
 * @param killAfter when the killer kills it (kill endings only)
 */
record Plan(int index, Kind kind, Ending ending, long serverMillis, int chunks, Duration timeout,
            Duration killAfter) {

    /** What a victim blocks in. */
    enum Kind { HTTP, DB, REMOTE }

    /** How a victim is stopped. */
    enum Ending {
        /** Another tasklet kills it at a random moment. */
        KILL,
        /** Its own call's timeout (HTTP {@code send}/{@code bodyText}, the statement's query timeout, remote call). */
        CALL_TIMEOUT,
        /** The ambient {@link io.concurrence.Timeout} pushed around the whole exchange. */
        AMBIENT_TIMEOUT
    }

    /** The longest server delay, timeout and kill moment drawn: the victims race their endings around it. */
    static final long MAX_MILLIS = 80;
    /** The query timeout of the data source used by DB victims with a call timeout (see the test). */
    static final Duration DB_QUERY_TIMEOUT = Duration.ofMillis(MAX_MILLIS / 2);

    static Plan draw(long seed, int index) {
        SplittableRandom random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        Ending ending = Ending.values()[random.nextInt(Ending.values().length)];
        long serverMillis = random.nextLong(MAX_MILLIS + 1);
        if (kind == Kind.REMOTE && random.nextInt(6) == 0) {
            serverMillis = -1; // never answered
        }
        int chunks = kind == Kind.HTTP && random.nextBoolean() ? 1 + random.nextInt(4) : 0;
        Duration timeout = ending == Ending.CALL_TIMEOUT && kind == Kind.DB ? DB_QUERY_TIMEOUT
                : Duration.ofMillis(1 + random.nextLong(MAX_MILLIS));
        Duration killAfter = Duration.ofMillis(random.nextLong(MAX_MILLIS + 1));
        return new Plan(index, kind, ending, serverMillis, chunks, timeout, killAfter);
    }
}
