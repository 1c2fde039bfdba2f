package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.http.HttpClientTestSupport.TestServer;

/** Many tasklets on a small pool, and a body far larger than what may be buffered. */
class HttpClientLoadTest {

    private static final int TASKLETS = 1000;
    private static final int POOL = 16;
    /** The streamed body: 200 MB (the test JVM has a 1 GiB heap). */
    private static final long BIG = 200L * 1000 * 1000;
    /** How much a paused reader may leave in flight: the client's read-ahead plus both sockets' buffers. */
    private static final long IN_FLIGHT_BOUND = 32L << 20;
    /** The server's writes count as stopped once they have not moved for this long. */
    private static final Duration STILL = Duration.ofMillis(500);

    /** Bytes of /big the server has handed to its socket. */
    private final AtomicLong written = new AtomicLong();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start()
                .handle("/hello", (request, response) -> response.send(200, "hello " + request.target()))
                .handle("/big", (request, response) -> {
                    byte[] chunk = new byte[64 * 1024];
                    try (OutputStream out = response.stream(200)) {
                        for (long sent = 0; sent < BIG; sent += chunk.length) {
                            int n = (int) Math.min(chunk.length, BIG - sent);
                            out.write(chunk, 0, n);
                            written.addAndGet(n);
                        }
                    }
                });
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void thousandConcurrentTaskletsShareAPoolOfSixteenConnections() {
        try (HttpClient client = HttpClient.builder().baseUrl(server.url("/")).maxConnections(POOL).build()) {
            List<Tasklet<String>> tasklets = new ArrayList<>();
            for (int i = 0; i < TASKLETS; i++) {
                String path = "/hello?n=" + i;
                tasklets.add(Tasklet.spawn(() -> {
                    try (HttpClient.Response response = client.get(path)) {
                        return response.bodyText();
                    }
                }));
            }
            List<Tasklet.Result<String>> results = Tasklet.joinAll(tasklets, SAFETY);
            for (int i = 0; i < TASKLETS; i++) {
                Tasklet.Result<String> result = results.get(i);
                assertThat(result.isSuccess()).as("tasklet %d: %s", i, result.exception()).isTrue();
                assertThat(result.value()).isEqualTo("hello /hello?n=" + i);
            }
        }
        assertThat(server.clientPorts).hasSize(TASKLETS);
        assertThat(server.connections().size()).isBetween(1, POOL);
    }

    @Test
    void twoHundredMegabyteBodyStreamsWithBoundedMemoryAndBackpressure() throws IOException {
        try (HttpClient client = HttpClient.create();
             HttpClient.Response response = client.get(server.url("/big"))) {
            InputStream body = response.body();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            while (read < (1 << 20)) {
                read += body.read(buffer);
            }
            // The reader pauses: the server must stop too, with a bounded amount in flight.
            long[] last = {-1, System.nanoTime()};
            awaitCondition(() -> {
                long now = written.get();
                if (now != last[0]) {
                    last[0] = now;
                    last[1] = System.nanoTime();
                    return false;
                }
                return System.nanoTime() - last[1] > STILL.toNanos();
            }, SAFETY, "the server's writes stop while the client does not read");
            assertThat(written.get() - read).isLessThan(IN_FLIGHT_BOUND);
            for (int n; (n = body.read(buffer)) >= 0; ) {
                read += n;
            }
            assertThat(read).isEqualTo(BIG);
            assertThat(written.get()).isEqualTo(BIG);
        }
    }
}
