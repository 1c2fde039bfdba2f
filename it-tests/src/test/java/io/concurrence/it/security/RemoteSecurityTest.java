package io.concurrence.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import tools.jackson.dataformat.cbor.CBORMapper;

import io.concurrence.Call;
import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.concurrence.it.support.Bounded;
import io.concurrence.it.support.Figures;
import io.concurrence.it.support.Leaks;
import io.concurrence.it.support.Soak;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteException;
import io.concurrence.remote.RemoteServer;
import io.concurrence.remote.RemoteTasklet;
import io.concurrence.remote.internal.Wire;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.DefaultPayload;

/**
 * Hostile remoting clients against an in-process {@link RemoteServer} with an auth token and an allow-list: no
 * token, a wrong token, a type outside the server's allow-list, frames above its {@code maxFrameBytes}, a raw
 * RSocket client sending garbage, unknown operations and type tags, type info naming a class outside the
 * allow-list, and a raw TCP client sending random bytes. Each is refused (the client gets an exception, or its
 * connection is closed), counted in the server's {@code stats()} and logged, while a legitimate client calls the
 * server throughout without a single failure.
 */
class RemoteSecurityTest {

    /** The bound on anything expected to succeed (CI runs on 2 shared cores). */
    static final Duration SAFETY = Duration.ofSeconds(20);
    static final String TOKEN = "it-security-token";
    /** The server's frame limit: small, so that oversize frames are cheap to make. */
    static final int MAX_FRAME = 64 * 1024;
    static final String NAME = "echo";
    /** The server's bound on a connection's setup: short, so that the test of it is quick. */
    static final Duration SETUP_TIMEOUT = Duration.ofSeconds(2);

    /** The protocol both sides allow. */
    sealed interface Proto extends Message permits Echo, Blob, Drawing {
    }

    record Echo(String text) implements Proto, Call<String> {
    }

    record Blob(String data) implements Proto, Call<Integer> {
    }

    /** A sealed shape: a field of this type carries its concrete type's name on the wire. */
    sealed interface Shape permits Circle {
    }

    record Circle(int radius) implements Shape {
    }

    record Drawing(Shape shape) implements Proto, Call<String> {
    }

    /** A type the legitimate client allows and the server does not. */
    record Smuggled(String text) implements Message, Call<String> {
    }

    /** Set if {@link Tripwire} is ever initialized: it must not be, whatever a frame names. */
    static final AtomicBoolean TRIPPED = new AtomicBoolean();

    /** A class outside every allow-list, with a side effect when initialized (a stand-in for a gadget class). */
    static final class Tripwire {
        static {
            TRIPPED.set(true);
        }

        int radius;
    }

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final CBORMapper cbor = new CBORMapper();
    private CapturedLog log;
    private RemoteServer server;
    private RemoteTasklet legit;
    private LegitCaller caller;

    @BeforeEach
    void start() {
        log = CapturedLog.start();
        closing.add(log);
        server = RemoteServer.builder().host("127.0.0.1").allow(Proto.class, Shape.class)
                .authToken(TOKEN).maxFrameBytes(MAX_FRAME).setupTimeout(SETUP_TIMEOUT).bind();
        closing.add(server);
        Tasklet<Void> echo = Tasklet.receiver(envelope -> {
            switch (envelope.message()) {
                case Echo e -> envelope.reply(e.text());
                case Blob b -> envelope.reply(b.data().length());
                case Drawing d -> envelope.reply(d.shape().toString());
                default -> envelope.fail(new IllegalArgumentException("unexpected " + envelope.message()));
            }
        });
        closing.add(echo::kill);
        server.register(NAME, echo);
        RemoteClient client = RemoteClient.builder().port(server.port()).allow(Proto.class, Shape.class, Smuggled.class)
                .authToken(TOKEN).connect();
        closing.add(client);
        legit = client.lookup(NAME);
        assertThat(legit.call(new Echo("before"), SAFETY)).isEqualTo("before");
        caller = new LegitCaller(legit);
        closing.add(caller::stop);
    }

    @AfterEach
    void closeAll() throws Exception {
        try {
            // a short attack may be over before the caller's first calls: they still follow it on the same server
            Bounded.until(() -> caller.calls.get() >= LegitCaller.AT_LEAST, SAFETY, "the legitimate client calls");
            caller.stop();
            assertThat(caller.failures).as("the legitimate client's calls during the attacks").isEmpty();
            assertThat(legit.call(new Echo("after"), SAFETY)).isEqualTo("after");
        } finally {
            for (AutoCloseable c : closing.reversed()) {
                c.close();
            }
        }
    }

    @Test
    void clientsWithoutOrWithAWrongTokenAreRejectedCountedAndLogged() {
        List<RemoteClient.Builder> intruders = List.of(
                RemoteClient.builder().port(server.port()).allow(Proto.class),
                RemoteClient.builder().port(server.port()).allow(Proto.class).authToken("wrong-token"),
                RemoteClient.builder().port(server.port()).allow(Proto.class).authToken(TOKEN + "x"));
        for (RemoteClient.Builder intruder : intruders) {
            assertThatThrownBy(intruder::connect).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("authentication failed");
        }
        assertThat(server.stats().rejectedSetups()).isEqualTo(intruders.size());
        assertThat(log.count("rejected a remote client: its auth token is missing or wrong"))
                .isEqualTo(intruders.size());
        assertThat(log.text()).as("the token is never logged").doesNotContain(TOKEN).doesNotContain("wrong-token");
        Figures.record("RemoteSecurityTest", "remote clients with no or a wrong token rejected", intruders.size());
    }

    @Test
    void aSetupFrameWithAMalformedTypeTableIsRejectedCountedAndLogged() {
        byte[] garbage = new byte[300];
        new Random(3).nextBytes(garbage);
        for (byte[] table : List.of(garbage, cbor.writeValueAsBytes(Map.of("not", "a table")),
                cbor.writeValueAsBytes(List.of(1, 2, 3)), new byte[MAX_FRAME + 1])) {
            RSocket raw = RSocketConnector.create().setupPayload(DefaultPayload.create(
                            TOKEN.getBytes(StandardCharsets.UTF_8), table))
                    .connect(TcpClientTransport.create("127.0.0.1", server.port())).block(SAFETY);
            closing.add(raw::dispose);
            assertThatThrownBy(() -> raw.requestResponse(Wire.payload(Wire.TYPES, "", new byte[0])).block(SAFETY))
                    .isInstanceOf(RejectedSetupException.class).hasMessageContaining("type table");
        }
        assertThat(server.stats().rejectedSetups()).isEqualTo(4);
        assertThat(log.count("rejected a remote client:")).isEqualTo(4);
    }

    @Test
    void connectionsThatNeverSetUpAreClosedAfterTheSetupTimeout() throws IOException {
        List<Socket> idle = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                socket.setSoTimeout((int) SAFETY.toMillis());
                if (i % 2 == 1) {
                    // the start of a setup frame, never finished
                    socket.getOutputStream().write(new byte[] {0, 0, 40, 0, 0, 0, 0, 4});
                }
                idle.add(socket);
            }
            for (Socket socket : idle) {
                try {
                    assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                } catch (SocketException e) {
                    // reset: closed as well
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a connection that never set up is still open after " + SAFETY, e);
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SETUP_TIMEOUT);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        Figures.record("RemoteSecurityTest", "remote connections that never set up, closed", idle.size());
    }

    @Test
    void aTypeOutsideTheServersAllowListIsRefusedCountedAndLogged() {
        assertThatThrownBy(() -> legit.call(new Smuggled("x"), SAFETY)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("refused").hasMessageContaining(Smuggled.class.getName());
        assertThat(server.stats().refusedCalls()).isEqualTo(1);

        legit.send(new Smuggled("y"));
        Bounded.until(() -> server.stats().refusedSends() == 1, SAFETY, "the send refused", server::stats);
        Bounded.until(() -> log.count("remote send to 'echo' refused") == 1, SAFETY, "the send's refusal logged",
                log::text);
        assertThat(log.text()).contains(Smuggled.class.getName());
        assertThat(log.count("remote call to 'echo' refused")).as("the call's refusal logged").isEqualTo(1);
    }

    @Test
    void framesAboveTheServersLimitAreRefusedOnBothSides() {
        // a client allowing larger frames than the server: a frame a little over the server's limit is refused
        RemoteTasklet loose = client(4 * MAX_FRAME);
        String over = "x".repeat(MAX_FRAME + 100);
        assertThatThrownBy(() -> loose.call(new Blob(over), SAFETY)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("maxFrameBytes");
        assertThat(server.stats().refusedCalls()).isEqualTo(1);
        loose.send(new Blob(over));
        Bounded.until(() -> server.stats().refusedSends() == 1, SAFETY, "the oversize send refused", server::stats);
        Bounded.until(() -> log.count("remote send to 'echo' refused") == 1, SAFETY, "the refusal logged", log::text);

        // far over it: the connection is closed as soon as the frame announces its length
        long start = System.nanoTime();
        assertThatThrownBy(() -> loose.call(new Blob("x".repeat(3 * MAX_FRAME)), SAFETY))
                .isInstanceOf(RemoteException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("promptly, not at the timeout").isLessThan(SAFETY);
        Bounded.until(() -> log.count("closed a remote connection from") == 1, SAFETY, "the close logged", log::text);

        // a client with the same limit as the server refuses to send it at all
        RemoteTasklet careful = client(MAX_FRAME);
        assertThatThrownBy(() -> careful.call(new Blob(over), SAFETY)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("maxFrameBytes");
        assertThat(careful.call(new Blob("x".repeat(MAX_FRAME / 2)), SAFETY)).isEqualTo(MAX_FRAME / 2);
    }

    private RemoteTasklet client(int maxFrameBytes) {
        RemoteClient client = RemoteClient.builder().port(server.port()).allow(Proto.class, Shape.class)
                .authToken(TOKEN).maxFrameBytes(maxFrameBytes).connect();
        closing.add(client);
        return client.lookup(NAME);
    }

    @Test
    void aRawRSocketClientSendingGarbageIsRefusedEveryTimeAndLeaksNothing() throws Exception {
        RSocket raw = rawClient(RSocketConnector.create());
        Random random = new Random(9);
        int tried = 0;
        // garbage frames, calls and sends
        int garbageFrames = Soak.count(200, 5_000);
        for (int i = 0; i < garbageFrames; i++) {
            byte[] garbage = new byte[1 + random.nextInt(512)];
            random.nextBytes(garbage);
            assertRefused(() -> raw.requestResponse(Wire.payload(Wire.CALL, NAME, garbage)).block(SAFETY));
            raw.fireAndForget(Wire.payload(Wire.SEND, NAME, garbage)).block(SAFETY);
            tried += 2;
        }
        // well-formed CBOR that is not a frame, unknown type tags and ids, unknown operations and names
        List<Object> notFrames = List.of(List.of(), List.of(1, 2, 3), Map.of("a", 1), "text", 42,
                List.of(9999, Map.of("text", "x")), List.of(-9999, "x"), List.of("no.such.Type", Map.of()),
                List.of("java.util.HashMap", Map.of()), List.of(Echo.class.getName(), List.of("not", "a", "map")),
                List.of(Echo.class.getName()));
        for (Object notFrame : notFrames) {
            byte[] bytes = cbor.writeValueAsBytes(notFrame);
            assertRefused(() -> raw.requestResponse(Wire.payload(Wire.CALL, NAME, bytes)).block(SAFETY));
            tried++;
        }
        byte[] echo = cbor.writeValueAsBytes(List.of(Echo.class.getName(), Map.of("text", "raw")));
        assertThat(raw.requestResponse(Wire.payload(Wire.CALL, NAME, echo)).block(SAFETY))
                .as("a well-formed frame by name still works").isNotNull();
        for (String route : List.of("X:echo", "", "C", "C:nobody", "T:echo", "S:echo", "L:", "\u0000:\u0000")) {
            assertRefused(() -> raw.requestResponse(DefaultPayload.create(echo,
                    route.getBytes(StandardCharsets.UTF_8))).block(SAFETY));
            tried++;
        }
        assertRefused(() -> raw.requestChannel(Flux.just(Wire.payload(Wire.CALL, NAME, echo))).blockLast(SAFETY));
        // a name forging a log line of its own
        String forged = "echo\n[main] ERROR FORGED LINE";
        raw.fireAndForget(Wire.payload(Wire.SEND, forged, echo)).block(SAFETY);
        assertRefused(() -> raw.requestResponse(Wire.payload(Wire.CALL, forged, echo)).block(SAFETY));
        Bounded.until(() -> log.count("to 'echo\\u000a[main] ERROR FORGED LINE' refused") == 2, SAFETY,
                "both refusals logged", log::text);
        assertThat(log.text()).as("control characters from the wire are escaped in the log")
                .doesNotContain("\n[main] ERROR FORGED LINE").contains("echo\\u000a[main] ERROR FORGED LINE");
        tried += 2;
        // fire-and-forget at the connection level: nothing to answer, and nothing may be held
        raw.metadataPush(DefaultPayload.create(new byte[0], "C:echo".getBytes(StandardCharsets.UTF_8)))
                .block(SAFETY);
        tried += 2;

        assertThat(server.stats().refusedSends()).isEqualTo(garbageFrames + 1);
        assertThat(server.stats().refusedCalls()).isGreaterThanOrEqualTo(garbageFrames + notFrames.size());
        assertThat(log.count("remote send to 'echo' refused")).isEqualTo(garbageFrames);
        assertThat(log.count("remote call to 'echo' refused"))
                .isGreaterThanOrEqualTo(garbageFrames + notFrames.size());
        assertThat(legit.call(new Echo("still here"), SAFETY)).isEqualTo("still here");
        raw.dispose();
        Leaks.assertNoneReported();
        Figures.record("RemoteSecurityTest", "malformed remote frames and routes refused", tried);
    }

    @Test
    void typeInfoNamingAClassOutsideTheAllowListIsRefusedWithoutLoadingIt() throws Exception {
        RSocket raw = rawClient(RSocketConnector.create());
        String tripwire = Tripwire.class.getName();
        List<Object> gadgets = List.of(
                List.of(tripwire, Map.of("radius", 1)),
                List.of(Drawing.class.getName(), Map.of("shape", List.of(tripwire, Map.of("radius", 1)))),
                List.of(Drawing.class.getName(), Map.of("shape", Map.of("@class", tripwire, "radius", 1))),
                List.of(Drawing.class.getName(), Map.of("shape", List.of("java.net.URL", "http://example.com"))),
                List.of(Drawing.class.getName(), Map.of("shape", List.of(
                        "com.sun.rowset.JdbcRowSetImpl", Map.of("dataSourceName", "ldap://example.com/x")))));
        for (Object gadget : gadgets) {
            byte[] bytes = cbor.writeValueAsBytes(gadget);
            assertRefused(() -> raw.requestResponse(Wire.payload(Wire.CALL, NAME, bytes)).block(SAFETY));
        }
        byte[] circle = cbor.writeValueAsBytes(List.of(Drawing.class.getName(),
                Map.of("shape", List.of(Circle.class.getName(), Map.of("radius", 3)))));
        assertThat(raw.requestResponse(Wire.payload(Wire.CALL, NAME, circle)).block(SAFETY))
                .as("an allowed polymorphic field still works").isNotNull();
        assertThat(TRIPPED).as("the class named on the wire was never initialized").isFalse();
        assertThat(server.stats().refusedCalls()).isEqualTo(gadgets.size());
        raw.dispose();
    }

    @Test
    void hugeAndFragmentedFramesFromARawClientAreRefused() {
        RSocket whole = rawClient(RSocketConnector.create());
        byte[] huge = new byte[8 << 20];
        assertRefused(() -> whole.requestResponse(Wire.payload(Wire.CALL, NAME, huge)).block(SAFETY));
        whole.fireAndForget(Wire.payload(Wire.SEND, NAME, huge)).onErrorComplete().block(SAFETY);
        whole.dispose();

        RSocket fragmenting = rawClient(RSocketConnector.create().fragment(16 * 1024));
        byte[] reassembled = new byte[32 << 20];
        assertRefused(() -> fragmenting.requestResponse(Wire.payload(Wire.CALL, NAME, reassembled)).block(SAFETY));
        fragmenting.dispose();
        assertThat(legit.call(new Echo("after huge frames"), SAFETY)).isEqualTo("after huge frames");
        Leaks.assertNoneReported();
    }

    @Test
    void aRawTcpClientSendingRandomBytesIsDisconnected() throws Exception {
        Random random = new Random(42);
        int closed = 0;
        for (int i = 0; i < Soak.count(20, 500); i++) {
            byte[] noise = new byte[1 + random.nextInt(4096)];
            random.nextBytes(noise);
            if (i % 2 == 0) {
                // a well-delimited frame of noise: the frame decoder passes it on, and it is not a setup frame
                int length = noise.length - 3;
                noise[0] = (byte) (length >>> 16);
                noise[1] = (byte) (length >>> 8);
                noise[2] = (byte) length;
            } else {
                // a length prefix announcing more than what follows, then the end of the stream
                noise[0] = (byte) 0xFF;
            }
            assertDisconnected(noise, "noise " + i);
            closed++;
        }
        assertDisconnected("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "HTTP");
        closed++;
        assertThat(server.stats().connections()).as("only the legitimate client left").isEqualTo(1);
        Figures.record("RemoteSecurityTest", "raw TCP connections sending noise closed", closed);
    }

    private void assertDisconnected(byte[] noise, String what) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) SAFETY.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(noise);
                out.flush();
                socket.shutdownOutput();
            } catch (SocketException e) {
                return; // already closed on us
            }
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // whatever the server answers (an error frame) before closing
                }
            } catch (SocketException e) {
                // reset: closed too
            } catch (SocketTimeoutException e) {
                throw new AssertionError(what + ": the connection is still open after " + SAFETY, e);
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as(what).isLessThan(SAFETY);
    }

    private RSocket rawClient(RSocketConnector connector) {
        RSocket raw = connector.setupPayload(DefaultPayload.create(TOKEN))
                .connect(TcpClientTransport.create("127.0.0.1", server.port())).block(SAFETY);
        assertThat(raw).isNotNull();
        closing.add(raw::dispose);
        return raw;
    }

    private static void assertRefused(Supplier<?> request) {
        assertThatThrownBy(request::get).as("refused").isInstanceOf(RuntimeException.class)
                .satisfies(e -> assertThat(e.toString()).doesNotContain("TimeoutException"));
    }

    /** A legitimate client calling the server over and over, in a tasklet, until stopped. */
    private static final class LegitCaller {

        static final double CALLS_PER_SECOND = 200;
        /** The calls each test lets it make, at least. */
        static final int AT_LEAST = 5;

        final AtomicLong calls = new AtomicLong();
        final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final Tasklet<Void> tasklet;

        LegitCaller(RemoteTasklet remote) {
            tasklet = Tasklet.rate(CALLS_PER_SECOND, () -> {
                String text = "call " + calls.get();
                try {
                    if (!text.equals(remote.call(new Echo(text), SAFETY))) {
                        failures.add(new AssertionError("wrong answer to " + text));
                    }
                    calls.incrementAndGet();
                } catch (RuntimeException e) {
                    if (!stopping.get()) {
                        failures.add(e);
                    }
                }
            });
        }

        void stop() {
            stopping.set(true);
            tasklet.kill();
            Bounded.until(tasklet::isDone, SAFETY, "the legitimate caller stopped");
        }
    }
}
