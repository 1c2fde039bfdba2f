package io.concurrence.benchmarks.load;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The measured period of a load program that runs in its own JVM: the load runs through a warm-up, then what
 * completes and what fails is counted over the measured period, and printed as the harness reads it.
 *
 * @param perSecond operations completed per second in the measured period
 * @param errors failures in the measured period
 */
public record MeasuredWindow(double perSecond, long errors) {

    /**
     * Lets the load (already started) run for {@code warmup}, then counts over {@code measured}.
     *
     * @param done the running count of completed operations
     * @param failed the running count of failures
     */
    public static MeasuredWindow measure(Duration warmup, Duration measured, LongSupplier done, LongSupplier failed)
            throws InterruptedException {
        Thread.sleep(warmup);
        long doneBefore = done.getAsLong();
        long failedBefore = failed.getAsLong();
        long start = System.nanoTime();
        Thread.sleep(measured);
        long doneAfter = done.getAsLong();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new MeasuredWindow((doneAfter - doneBefore) / seconds, failed.getAsLong() - failedBefore);
    }

    /**
     * Prints {@code RATE <per second> ERRORS <n>}, then {@code FIRST <error>} when there was one: the line the
     * harness waits for.
     */
    public void print(@Nullable Object firstError) {
        System.out.println("RATE " + perSecond + " ERRORS " + errors
                + (firstError == null ? "" : " FIRST " + firstError));
        System.out.flush();
    }
}
