package io.concurrence.examples;

import java.time.Duration;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import io.concurrence.Tasklet;
import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;

/**
 * The showcase's HTTP figures: a handler that counts and times the requests it passes on, and a sampler
 * tasklet that turns the counts into a rate and a mean latency over the last second. Requests it is told to leave
 * out (streams that last as long as a page is open) are passed on without being counted. Thread-safe.
 */
final class RequestMetrics implements HttpHandler {

    /** What the last second looked like. */
    record Sample(long requests, double perSecond, double meanMillis, double maxMillis) {
    }

    private final HttpHandler next;
    private final Predicate<HttpRequest> uncounted;
    /** Requests finished, their total and their longest time: written by every request, read by the sampler. */
    private final LongAdder requests = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
    /** The last second's sample: written by the sampler, read by the diagnostics. */
    private volatile Sample last = new Sample(0, 0, 0, 0);
    private final Tasklet<Void> sampler;

    RequestMetrics(HttpHandler next, Predicate<HttpRequest> uncounted) {
        this.next = next;
        this.uncounted = uncounted;
        this.sampler = Tasklet.named("http-metrics-sampler").daemon(true).spawn(this::sampleEverySecond);
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        if (uncounted.test(request)) {
            next.handle(request, response);
            return;
        }
        long start = System.nanoTime();
        try {
            next.handle(request, response);
        } finally {
            long took = System.nanoTime() - start;
            nanos.add(took);
            maxNanos.accumulate(took);
            requests.increment();
        }
    }

    /** The last second's figures (all zero during the first second). */
    Sample sample() {
        return last;
    }

    /** Stops the sampler. Idempotent. */
    void close() {
        sampler.kill();
    }

    private void sampleEverySecond() {
        long count = requests.sum();
        long total = nanos.sum();
        long at = System.nanoTime();
        for (;;) {
            Tasklet.sleep(Duration.ofSeconds(1));
            long nowCount = requests.sum();
            long nowTotal = nanos.sum();
            long now = System.nanoTime();
            long max = maxNanos.getThenReset();
            long done = nowCount - count;
            double seconds = (now - at) / 1e9;
            double mean = done == 0 ? 0 : (nowTotal - total) / 1e6 / done;
            last = new Sample(nowCount, done / seconds, mean, max / 1e6);
            count = nowCount;
            total = nowTotal;
            at = now;
        }
    }
}
