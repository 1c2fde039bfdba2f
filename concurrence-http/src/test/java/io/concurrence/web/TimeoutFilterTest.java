package io.concurrence.web;

import static io.concurrence.web.WebTestSupport.SAFETY;
import static io.concurrence.web.WebTestSupport.SHORT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.Channel;
import io.concurrence.TimeoutException;
import io.concurrence.http.HttpHandler;
import io.concurrence.web.WebTestSupport.Reply;
import io.concurrence.web.WebTestSupport.TestServer;

/**
 * {@link TimeoutFilter}: the handler runs under an ambient {@link io.concurrence.Timeout}, the tighter of the
 * filter's limit and the client's {@code Timeout} header (seconds); a blocking call that outlives it throws
 * {@link TimeoutException} in the handler, and the client gets a 503; a handler within its time is served as
 * usual.
 */
@Timeout(60)
class TimeoutFilterTest {

    private TestServer server;
    /** What the blocking handler's receive threw; set before {@link #handlerFailed} counts down. */
    private final AtomicReference<Throwable> seen = new AtomicReference<>();
    private final CountDownLatch handlerFailed = new CountDownLatch(1);

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Blocks on a channel nobody sends on, recording what ends the wait. */
    private HttpHandler blocking() {
        return (request, response) -> {
            Channel<String> never = new Channel<>();
            try {
                response.send(never.receive());
            } catch (Throwable t) {
                seen.set(t);
                handlerFailed.countDown();
                throw t;
            }
        };
    }

    /** Answers the ambient deadline left, in milliseconds, or "none". */
    private static HttpHandler remaining() {
        return (request, response) -> response.send(io.concurrence.Timeout.remaining()
                .map(left -> Long.toString(left.toMillis())).orElse("none"));
    }

    private void serve(TimeoutFilter filter) {
        server = TestServer.start(Router.create()
                .filter(filter)
                .get("/slow", blocking())
                .get("/fast", (request, response) -> response.send("fast"))
                .get("/remaining", remaining()));
    }

    private void assertHandlerSawTimeout() throws InterruptedException {
        assertThat(handlerFailed.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS))
                .as("the handler's blocking call ended").isTrue();
        assertThat(seen.get()).isInstanceOf(TimeoutException.class);
    }

    @Test
    void handlerSlowerThanTheLimitIsAnswered503AndItsBlockingCallThrowsTimeoutException() throws Exception {
        serve(new TimeoutFilter(SHORT));

        Reply reply = server.get("/slow");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.text()).isEqualTo("Service Unavailable: the request timed out");
        assertThat(reply.header("Content-Type")).hasValue("text/plain; charset=UTF-8");
        assertHandlerSawTimeout();
    }

    @Test
    void handlerFasterThanTheLimitIsServed() {
        serve(new TimeoutFilter(SAFETY));

        Reply reply = server.get("/fast");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("fast");
    }

    @Test
    void handlerRunsUnderTheLimitAsAmbientTimeout() {
        serve(new TimeoutFilter(SAFETY));

        long left = Long.parseLong(server.get("/remaining").text());

        assertThat(left).isPositive().isLessThanOrEqualTo(SAFETY.toMillis());
    }

    @Test
    void clientTimeoutHeaderTightensTheLimit() throws Exception {
        serve(new TimeoutFilter(Duration.ofHours(1)));

        Reply reply = server.get("/slow", TimeoutFilter.HEADER, "0.2");

        assertThat(reply.status()).isEqualTo(503);
        assertHandlerSawTimeout();
    }

    @Test
    void clientTimeoutHeaderCannotLoosenTheLimit() {
        serve(new TimeoutFilter(SHORT));

        long left = Long.parseLong(server.get("/remaining", TimeoutFilter.HEADER, "3600").text());

        assertThat(left).isLessThanOrEqualTo(SHORT.toMillis());
    }

    @Test
    void filterWithoutALimitAppliesOnlyTheClientHeader() throws Exception {
        serve(new TimeoutFilter());

        String without = server.get("/remaining").text();
        long with = Long.parseLong(server.get("/remaining", TimeoutFilter.HEADER, "30.5").text());
        Reply slow = server.get("/slow", TimeoutFilter.HEADER, "0.1");

        assertThat(without).isEqualTo("none");
        assertThat(with).isPositive().isLessThanOrEqualTo(30_500);
        assertThat(slow.status()).isEqualTo(503);
        assertHandlerSawTimeout();
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-1", "NaN", "Infinity", "1s", ""})
    void unusableTimeoutHeaderIsIgnored(String header) {
        serve(new TimeoutFilter());

        Reply reply = server.get("/remaining", TimeoutFilter.HEADER, header);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("none");
    }
}
