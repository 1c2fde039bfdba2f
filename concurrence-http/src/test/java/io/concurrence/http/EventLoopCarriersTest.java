package io.concurrence.http;

import static io.concurrence.http.ServerTestSupport.HOST;
import static io.concurrence.http.ServerTestSupport.SAFETY;
import static io.concurrence.http.ServerTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.http.StreamTestSupport.Conn;

/**
 * The experimental {@code eventLoopCarriers(true)} mode (the test JVM opens {@code java.base/java.lang}, so it
 * is really on): handlers run in virtual threads whose carrier is the Netty event loop that read the request
 * (seen in the virtual thread's name, {@code ...@concurrence-http-epoll-N} or {@code -nio-N}), also after they
 * block; bodies go both ways (a 1 MiB echo, a 4 MiB streamed response); a handler blocked waiting for another
 * request does not stop that request, even on the same loop; and 200 concurrent requests are all answered.
 */
@org.junit.jupiter.api.Timeout(120)
class EventLoopCarriersTest {

    /** The prefix of the server event loop threads ({@code concurrence-http-epoll-1}, {@code -nio-1}). */
    private static final String LOOP_PREFIX = "concurrence-http-";
    private static final int ECHOED = 1 << 20;
    private static final int STREAMED = 4 << 20;
    private static final int CONCURRENT = 200;
    /** Connections tried to find two served by the same loop (there are at most a few loops per core). */
    private static final int MAX_TRIES = 64;

    /** Handler runs that were not on a virtual thread, or not carried by an event loop. */
    private final AtomicInteger offLoop = new AtomicInteger();

    @Test
    void handlersRunInVirtualThreadsCarriedByTheEventLoopThatReadTheRequest() throws Exception {
        try (HttpServer server = carriers(this::handle); Conn conn = Conn.open(server)) {
            String body = conn.get("/whoami").readResponse().bodyText();

            assertThat(body).startsWith("virtual=true ");
            assertThat(carrier(body)).startsWith(LOOP_PREFIX);
            assertThat(conn.get("/whoami").readResponse().bodyText()).as("the connection's loop again")
                    .isEqualTo(body);
        }
    }

    @Test
    void withoutTheOptionHandlersRunOnTheDefaultScheduler() throws Exception {
        try (HttpServer server = server(this::handle).build().start(); Conn conn = Conn.open(server)) {
            String body = conn.get("/whoami").readResponse().bodyText();

            assertThat(body).startsWith("virtual=true ");
            assertThat(carrier(body)).doesNotStartWith(LOOP_PREFIX);
        }
    }

    @Test
    void aHandlerThatBlocksResumesOnTheSameLoop() throws Exception {
        try (HttpServer server = carriers(this::handle); Conn conn = Conn.open(server)) {
            String body = conn.get("/sleep").readResponse().bodyText();

            String[] carriers = body.split(" then ");
            assertThat(carriers[0]).startsWith(LOOP_PREFIX);
            assertThat(carriers[1]).isEqualTo(carriers[0]);
        }
    }

    @Test
    void aOneMibPostIsEchoedAndAStreamedResponseArrivesWhole() throws Exception {
        byte[] upload = new byte[ECHOED];
        new Random(42).nextBytes(upload);
        try (HttpServer server = carriers(this::handle); HttpClient client = HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<byte[]> echoed = client.send(java.net.http.HttpRequest.newBuilder(
                    url(server, "/echo")).timeout(SAFETY).POST(BodyPublishers.ofByteArray(upload)).build(),
                    BodyHandlers.ofByteArray());
            assertThat(echoed.statusCode()).isEqualTo(200);
            assertThat(echoed.body()).isEqualTo(upload);

            java.net.http.HttpResponse<byte[]> streamed = client.send(java.net.http.HttpRequest.newBuilder(
                    url(server, "/stream")).timeout(SAFETY).build(), BodyHandlers.ofByteArray());
            assertThat(streamed.statusCode()).isEqualTo(200);
            assertThat(streamed.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
            assertThat(streamed.body()).hasSize(STREAMED);
            assertThat(crc(streamed.body())).isEqualTo(crc(streamedBody()));
            assertThat(offLoop).as("handler runs off the event loops").hasValue(0);
        }
    }

    @Test
    void aHandlerWaitingForAnotherRequestOnTheSameLoopDoesNotStopIt() throws Exception {
        CountDownLatch aEntered = new CountDownLatch(1);
        CountDownLatch bArrived = new CountDownLatch(1);
        HttpHandler handler = (request, response) -> {
            switch (request.path()) {
                case "/a" -> {
                    aEntered.countDown();
                    boolean released = bArrived.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS);
                    response.send((released ? "released by b" : "not released") + " on " + carrierName());
                }
                case "/b" -> {
                    bArrived.countDown();
                    response.send("b on " + carrierName());
                }
                default -> handle(request, response);
            }
        };
        List<Conn> conns = new ArrayList<>();
        try (HttpServer server = carriers(handler)) {
            Conn[] sameLoop = twoOnOneLoop(server, conns);

            sameLoop[0].get("/a");
            assertThat(aEntered.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            String b = sameLoop[1].get("/b").readResponse().bodyText();
            String a = sameLoop[0].readResponse().bodyText();

            assertThat(a).startsWith("released by b on " + LOOP_PREFIX);
            assertThat(carrier(b)).as("both on one loop").isEqualTo(carrier(a));
        } finally {
            for (Conn conn : conns) {
                conn.close();
            }
        }
    }

    @Test
    void twoHundredConcurrentRequestsAreAllAnswered() throws Exception {
        try (HttpServer server = carriers(this::handle); HttpClient client = HttpClient.newHttpClient()) {
            List<CompletableFuture<java.net.http.HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                responses.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(url(server, "/n?i=" + i))
                        .timeout(SAFETY).build(), BodyHandlers.ofString()));
            }
            CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new))
                    .get(SAFETY.toMillis() * 2, TimeUnit.MILLISECONDS);

            for (int i = 0; i < CONCURRENT; i++) {
                java.net.http.HttpResponse<String> response = responses.get(i).join();
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("n=" + i);
            }
            assertThat(offLoop).as("handler runs off the event loops").hasValue(0);
        }
    }

    private void handle(HttpRequest request, HttpResponse response) throws Exception {
        if (!Thread.currentThread().isVirtual() || !carrierName().startsWith(LOOP_PREFIX)) {
            offLoop.incrementAndGet();
        }
        switch (request.path()) {
            case "/whoami" -> response.send("virtual=" + Thread.currentThread().isVirtual() + " on " + carrierName());
            case "/sleep" -> {
                String before = carrierName();
                Tasklet.sleep(Duration.ofMillis(20));
                response.send(before + " then " + carrierName());
            }
            case "/echo" -> response.send(request.bodyBytes());
            case "/stream" -> {
                byte[] body = streamedBody();
                OutputStream out = response.outputStream();
                for (int off = 0; off < body.length; off += 8192) {
                    out.write(body, off, 8192);
                }
            }
            case "/n" -> {
                Tasklet.sleep(Duration.ofMillis(5)); // parks, so the loop runs other requests meanwhile
                response.send("n=" + request.query("i").orElse("?"));
            }
            default -> response.status(404).send("no " + request.path());
        }
    }

    /**
     * Opens connections until two are served by the same loop (pigeonhole: there are finitely many loops), as
     * the {@code /whoami} answer shows; every connection opened is added to {@code opened} to be closed.
     */
    private static Conn[] twoOnOneLoop(HttpServer server, List<Conn> opened) throws Exception {
        Map<String, Conn> byLoop = new HashMap<>();
        for (int i = 0; i < MAX_TRIES; i++) {
            Conn conn = Conn.open(server);
            opened.add(conn);
            String loop = carrier(conn.get("/whoami").readResponse().bodyText());
            Conn other = byLoop.putIfAbsent(loop, conn);
            if (other != null) {
                return new Conn[] {other, conn};
            }
        }
        throw new AssertionError("no two of " + MAX_TRIES + " connections share an event loop: " + byLoop.keySet());
    }

    /** The carrier of the current virtual thread, from its name ({@code VirtualThread[#42]/runnable@carrier}). */
    private static String carrierName() {
        String self = Thread.currentThread().toString();
        int at = self.lastIndexOf('@');
        return at < 0 ? "(no carrier in " + self + ")" : self.substring(at + 1);
    }

    /** The carrier named at the end of a response body ({@code ... on <carrier>}). */
    private static String carrier(String body) {
        return body.substring(body.lastIndexOf(" on ") + 4);
    }

    private static HttpServer carriers(HttpHandler handler) {
        return server(handler).eventLoopCarriers(true).build().start();
    }

    private static URI url(HttpServer server, String path) {
        return URI.create("http://" + HOST + ":" + server.port() + path);
    }

    private static byte[] streamedBody() {
        byte[] body = new byte[STREAMED];
        ByteBuffer buffer = ByteBuffer.wrap(body);
        for (int i = 0; buffer.remaining() >= Integer.BYTES; i++) {
            buffer.putInt(i * 0x9E3779B1);
        }
        return body;
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
