package io.concurrence;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.concurrence.internal.Parking;

/**
 * The bodies of the helper tasklets: loop, interval, rate, later and receiver. Each keeps running when an
 * iteration throws (logged), and stops at the next iteration boundary once its tasklet is killed, even if
 * the iteration swallowed the {@link TaskletExit}.
 */
final class Repeating {

    private static final Logger LOG = LoggerFactory.getLogger(Repeating.class);

    /** The pause after a failed loop iteration, so that a failing body does not spin (as in the seed). */
    static final Duration LOOP_BACKOFF = Duration.ofSeconds(1);

    /** The most a rate tasklet catches up after running late, before it resets its schedule. */
    private static final long MAX_BACKLOG_NANOS = Duration.ofSeconds(1).toNanos();

    private static final Object RATE = new Object() {
        @Override
        public String toString() {
            return "Tasklet.rate";
        }
    };

    private Repeating() {
    }

    static Callable<Void> once(Runnable body) {
        return () -> {
            body.run();
            return null;
        };
    }

    static Callable<Void> loop(Runnable body) {
        return () -> {
            for (;;) {
                stopIfKilled();
                if (!runProtected(body, "loop")) {
                    Tasklet.sleep(LOOP_BACKOFF);
                }
            }
        };
    }

    static Callable<Void> interval(Duration period, Runnable body, boolean immediate) {
        requirePositive(period, "period");
        return () -> {
            if (immediate) {
                runProtected(body, "interval");
            }
            for (;;) {
                Tasklet.sleep(period);
                stopIfKilled();
                runProtected(body, "interval");
            }
        };
    }

    static Callable<Void> rate(double perSecond, Runnable body) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("perSecond must be positive and finite, was " + perSecond);
        }
        long period = Math.max(1, (long) (1_000_000_000L / perSecond));
        long maxBacklog = Math.max(period, MAX_BACKLOG_NANOS);
        return () -> {
            long next = System.nanoTime();
            for (;;) {
                if (next - System.nanoTime() > 0) {
                    Parking.sleepUntil(next, RATE, "Tasklet.rate");
                }
                stopIfKilled();
                runProtected(body, "rate");
                next += period;
                long now = System.nanoTime();
                if (now - next > maxBacklog) {
                    next = now;
                }
            }
        };
    }

    static <T> Callable<T> later(Duration delay, Callable<T> body) {
        Objects.requireNonNull(delay, "delay");
        return () -> {
            Tasklet.sleep(delay);
            return body.call();
        };
    }

    static Callable<Void> receiver(Consumer<Envelope> handler) {
        return () -> {
            for (;;) {
                stopIfKilled();
                Envelope envelope = Tasklet.receive();
                try {
                    handler.accept(envelope);
                } catch (TaskletExit e) {
                    throw e;
                } catch (Exception e) {
                    LOG.warn("[{}] receiver failed on {}; it keeps receiving", Tasklet.current().name(),
                            envelope.message(), e);
                    if (envelope.expectsReply() && !envelope.isAnswered()) {
                        envelope.fail(e);
                    }
                }
            }
        };
    }

    /** Runs one iteration; returns false if it threw (logged). A {@link TaskletExit} propagates. */
    private static boolean runProtected(Runnable body, String kind) {
        try {
            body.run();
            return true;
        } catch (TaskletExit e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("[{}] {} body failed; it keeps running", Tasklet.current().name(), kind, e);
            return false;
        }
    }

    private static void stopIfKilled() {
        Tasklet<?> self = Tasklet.current();
        if (self.isKilled()) {
            throw new TaskletExit("Tasklet '" + self.name() + "' was killed");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
