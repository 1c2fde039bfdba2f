package io.concurrence.remote;

import static io.concurrence.remote.RemoteTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.concurrence.Call;
import io.concurrence.CallFailedException;
import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.concurrence.TimeoutException;
import io.concurrence.remote.internal.MessageCodec;
import io.concurrence.remote.internal.Wire;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.DefaultPayload;

/** A server and a client in one JVM over real TCP (port 0): sends, calls, lookups and their failures. */
class RemoteTest {

    static final Duration SOON = Duration.ofSeconds(10);

    sealed interface CounterMsg extends Message permits Add, Get, Boom, Silent, Count, Mirror {
    }

    record Add(int n) implements CounterMsg {
    }

    record Get() implements CounterMsg, Call<Integer> {
    }

    record Boom() implements CounterMsg, Call<String> {
    }

    record Silent() implements CounterMsg, Call<String> {
    }

    record Unlisted(String s) implements Call<String> {
    }

    record Count(int upTo) implements CounterMsg, Call<Integer> {
    }

    /** Answered with {@code Add(n)}, a record: the reply crosses only if the client allows {@code Add}. */
    record Mirror(int n) implements CounterMsg, Call<Object> {
    }

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch silentArrived = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private RemoteServer server() {
        RemoteServer server = RemoteServer.builder().host("127.0.0.1").allow(CounterMsg.class, Unlisted.class).bind();
        closing.add(server);
        int[] total = {0};
        Tasklet<Void> counter = Tasklet.receiver(envelope -> {
            switch (envelope.message()) {
                case Add add -> {
                    total[0] += add.n();
                    seen.add(add.n());
                }
                case Get get -> envelope.reply(total[0]);
                case Boom boom -> envelope.fail(new IllegalStateException("boom"));
                case Silent silent -> silentArrived.countDown(); // never answers
                case Unlisted unlisted -> envelope.reply(unlisted.s());
                case Count count -> envelope.reply(java.util.stream.IntStream.rangeClosed(1, count.upTo()).boxed());
                case Mirror mirror -> envelope.reply(new Add(mirror.n()));
                default -> envelope.fail(new IllegalArgumentException("unexpected " + envelope.message()));
            }
        });
        closing.add(counter::kill);
        server.register("counter", counter);
        return server;
    }

    private RemoteClient client(RemoteServer server, Class<?>... allowed) {
        RemoteClient client = RemoteClient.builder().port(server.port()).allow(allowed).connect();
        closing.add(client);
        return client;
    }

    @Test
    void sendsArriveInOrderAndACallSeesThem() {
        RemoteServer server = server();
        RemoteTasklet counter = client(server, CounterMsg.class).lookup("counter");
        for (int i = 1; i <= 100; i++) {
            counter.send(new Add(i));
        }
        assertThat(counter.call(new Get(), SOON)).isEqualTo(5050);
        assertThat(seen).hasSize(100).isSorted();
        assertThat(counter.name()).isEqualTo("counter");
    }

    @Test
    void sendsAlternatingBetweenTwoNamesOnOneConnectionReachEachItsOwn() {
        RemoteServer server = server();
        List<Integer> other = Collections.synchronizedList(new ArrayList<>());
        Tasklet<Void> second = Tasklet.receiver(envelope -> {
            if (envelope.message() instanceof Add add) {
                other.add(add.n());
            } else {
                envelope.reply(other.size());
            }
        });
        closing.add(second::kill);
        server.register("counter2", second);
        RemoteClient client = client(server, CounterMsg.class);
        RemoteTasklet counter = client.lookup("counter");
        RemoteTasklet counter2 = client.lookup("counter2");
        for (int i = 1; i <= 100; i++) {
            (i % 3 == 0 ? counter2 : counter).send(new Add(i));
        }
        assertThat(counter2.call(new Get(), SOON)).isEqualTo(33);
        assertThat(counter.call(new Get(), SOON)).isEqualTo(5050 - 3 * (33 * 34 / 2));
        assertThat(other).hasSize(33).allMatch(n -> n % 3 == 0).isSorted();
        assertThat(seen).hasSize(67).noneMatch(n -> n % 3 == 0).isSorted();
    }

    @Test
    void lookupOfAnUnknownNameThrowsNoSuchElement() {
        RemoteServer server = server();
        assertThatThrownBy(() -> client(server, CounterMsg.class).lookup("nobody"))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("nobody");
    }

    @Test
    void aFailedCallThrowsCallFailedAndASilentOneTimesOut() {
        RemoteServer server = server();
        RemoteTasklet counter = client(server, CounterMsg.class).lookup("counter");
        assertThatThrownBy(() -> counter.call(new Boom(), SOON)).isInstanceOf(CallFailedException.class)
                .hasMessageContaining("boom");
        assertThatThrownBy(() -> counter.call(new Silent(), Duration.ofMillis(300)))
                .isInstanceOf(TimeoutException.class);
        assertThat(counter.call(new Get(), SOON)).isZero();
    }

    /** As an Erlang process's registered name: the registration ends with the tasklet. */
    @Test
    void aRegisteredTaskletThatFinishesLosesItsNameForLookupsCallsAndSends() throws InterruptedException {
        RemoteServer server = server();
        Tasklet<Void> shortLived = Tasklet.spawn(() -> Tasklet.receive(SOON).reply(0)); // answers one call, ends
        server.register("short-lived", shortLived);
        RemoteClient client = client(server, CounterMsg.class);
        RemoteTasklet remote = client.lookup("short-lived");
        assertThat(remote.call(new Get(), SOON)).as("alive: reached by its name").isZero();

        shortLived.join(SOON);
        // the name ends with the tasklet: at once here, since it has finished; retried only to bound the test
        eventually("the name of a finished tasklet is released", () -> !registered(client, "short-lived"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> remote.call(new Get(), Duration.ofSeconds(60)))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("'short-lived'");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not after the timeout").isLessThan(SOON);
        remote.send(new Add(1));
        assertThat(client.lookup("counter").call(new Get(), SOON)).as("confirms the send before it").isZero();
        assertThat(server.stats().refusedSends()).as("the send, to a name no longer registered").isEqualTo(1);
        assertThat(server.stats().deadLetters()).isZero();

        Tasklet<Void> successor = Tasklet.receiver(envelope -> envelope.reply(2));
        closing.add(successor::kill);
        server.register("short-lived", successor);
        assertThat(remote.call(new Get(), SOON)).as("the name registered again").isEqualTo(2);
    }

    /** Whether {@code name} is registered on the client's server now. */
    private static boolean registered(RemoteClient client, String name) {
        try {
            client.lookup(name);
            return true;
        } catch (NoSuchElementException e) {
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(RemoteTransport.class)
    void bindingATakenPortThrowsUncheckedIOExceptionNamingTheAddressWithTheBindFailureAsCause(
            RemoteTransport transport) {
        RemoteServer first = RemoteServer.builder().host("127.0.0.1").transport(transport).bind();
        closing.add(first);
        int port = first.port();
        assertThatThrownBy(() -> RemoteServer.builder().host("127.0.0.1").port(port).transport(transport).bind())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasCauseInstanceOf(BindException.class);
    }

    /** A message type that is an enum: allow(...) on both builders takes enums, as well as records. */
    enum Signal implements Call<Signal> {
        PING, PONG
    }

    @Test
    void anEnumAllowedOnBothBuildersCrossesAsAMessageAndAsAReply() {
        RemoteServer server = RemoteServer.builder().host("127.0.0.1").allow(Signal.class).bind();
        closing.add(server);
        Tasklet<Void> echo = Tasklet.receiver(envelope -> envelope.reply(envelope.message() == Signal.PING
                ? Signal.PONG : Signal.PING));
        closing.add(echo::kill);
        server.register("echo", echo);
        RemoteTasklet remote = client(server, Signal.class).lookup("echo");
        assertThat(remote.call(Signal.PING, SOON)).isEqualTo(Signal.PONG);
    }

    @Test
    void aTypeTheClientDoesNotAllowIsRefusedBeforeSending() {
        RemoteServer server = server();
        RemoteTasklet counter = client(server, Get.class).lookup("counter");
        assertThatThrownBy(() -> counter.call(new Unlisted("x"), SOON)).isInstanceOf(RemoteException.class)
                .hasMessageContaining(Unlisted.class.getName());
    }

    @Test
    void aTypeTheServerDoesNotAllowIsRefusedPromptlyNamingIt() {
        RemoteServer server = RemoteServer.builder().host("127.0.0.1").allow(Get.class).bind();
        closing.add(server);
        Tasklet<Void> any = Tasklet.receiver(envelope -> envelope.reply("?"));
        closing.add(any::kill);
        server.register("any", any);
        RemoteTasklet remote = client(server, Unlisted.class).lookup("any");
        long start = System.nanoTime();
        assertThatThrownBy(() -> remote.call(new Unlisted("x"), Duration.ofSeconds(30)))
                .isInstanceOf(RemoteException.class).hasMessageContaining(Unlisted.class.getName());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SOON);
    }

    @Test
    void sidesAllowingTypesInAnotherOrderUnderstandEachOther() {
        RemoteServer server = server(); // allows CounterMsg's records, then Unlisted
        RemoteTasklet counter = client(server, Unlisted.class, Mirror.class, Count.class, Get.class, Add.class)
                .lookup("counter");
        for (int i = 1; i <= 100; i++) {
            counter.send(new Add(i));
        }
        assertThat(counter.call(new Get(), SOON)).isEqualTo(5050);
        assertThat(seen).hasSize(100).isSorted();
        assertThat(counter.call(new Unlisted("u"), SOON)).isEqualTo("u");
        assertThat(counter.call(new Mirror(7), SOON)).isEqualTo(new Add(7));
        try (java.util.stream.Stream<Integer> numbers = counter.stream(new Count(3))) {
            assertThat(numbers.toList()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aReplyOfATypeTheClientDoesNotAllowIsRefusedByTheClientNamingIt() {
        RemoteServer server = server();
        RemoteTasklet counter = client(server, Get.class, Mirror.class).lookup("counter");
        assertThatThrownBy(() -> counter.call(new Mirror(7), SOON)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("refused").hasMessageContaining(Add.class.getName());
        assertThat(counter.call(new Get(), SOON)).as("the connection still serves").isZero();
    }

    /** Below the client API: the setup frame's metadata carries the client's type table, checked by the server. */
    @Test
    void aSetupFrameWithAMalformedTypeTableIsRejectedAndOneWithoutATableGetsNames() {
        RemoteServer server = server();
        RSocket malformed = RSocketConnector.create()
                .setupPayload(DefaultPayload.create(new byte[0], new byte[] {(byte) 0xFF, 1, 2}))
                .connect(TcpClientTransport.create("127.0.0.1", server.port())).block(SOON);
        assertThat(malformed).isNotNull();
        closing.add(malformed::dispose);
        assertThatThrownBy(() -> malformed.requestResponse(Wire.payload(Wire.TYPES, "", new byte[0])).block(SOON))
                .isInstanceOf(RejectedSetupException.class).hasMessageContaining("type table is malformed");
        assertThat(server.stats().rejectedSetups()).isEqualTo(1);

        MessageCodec codec = MessageCodec.of(Set.of(CounterMsg.class), 1 << 20, MessageCodec.Format.CBOR);
        RSocket plain = RSocketConnector.create().connect(TcpClientTransport.create("127.0.0.1", server.port()))
                .block(SOON);
        assertThat(plain).isNotNull();
        closing.add(plain::dispose);
        Payload reply = plain.requestResponse(Wire.payload(Wire.CALL, "counter", codec.encode(new Mirror(3))))
                .block(SOON);
        assertThat(reply).isNotNull();
        byte[] frame = Wire.data(reply);
        reply.release();
        assertThat(new String(frame, StandardCharsets.ISO_8859_1)).as("the reply names its type")
                .contains(Add.class.getName());
        assertThat(codec.decodeValue(frame)).isEqualTo(new Add(3));
    }

    @Test
    void aLostConnectionFailsAPendingCallPromptlyNamingThePeer() throws Exception {
        RemoteServer server = server();
        RemoteTasklet counter = client(server, CounterMsg.class).lookup("counter");
        Tasklet<Throwable> caller = Tasklet.spawn(() -> {
            try {
                counter.call(new Silent(), Duration.ofSeconds(60));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertThat(silentArrived.await(10, TimeUnit.SECONDS)).as("the call reached the receiver").isTrue();
        long start = System.nanoTime();
        server.close();
        Throwable failure = caller.join(Duration.ofSeconds(30));
        assertThat(failure).isInstanceOf(RemoteException.class).hasMessageContaining("127.0.0.1:" + server.port());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SOON);
    }

    @Test
    void aStreamCallDeliversEveryElementInOrderAndCanStopEarly() {
        RemoteServer server = server();
        RemoteTasklet counter = client(server, CounterMsg.class).lookup("counter");
        try (java.util.stream.Stream<Integer> numbers = counter.stream(new Count(10_000))) {
            List<Integer> all = numbers.toList();
            assertThat(all).hasSize(10_000).isSorted();
            assertThat(all.getFirst()).isEqualTo(1);
        }
        try (java.util.stream.Stream<Integer> numbers = counter.stream(new Count(1_000_000))) {
            assertThat(numbers.limit(5).toList()).containsExactly(1, 2, 3, 4, 5);
        }
        assertThat(counter.call(new Get(), SOON)).as("the connection still serves").isZero();
    }

    @Test
    void aTimedStreamCallDeliversWithinItsTimeAndOneThatIsNotAnsweredTimesOut() {
        RemoteServer server = server();
        RemoteTasklet counter = client(server, CounterMsg.class).lookup("counter");
        try (java.util.stream.Stream<Integer> numbers = counter.stream(new Count(100), SOON)) {
            assertThat(numbers.toList()).hasSize(100).isSorted();
        }

        long start = System.nanoTime();
        try (java.util.stream.Stream<?> never = counter.stream(new Silent(), Duration.ofMillis(300))) {
            assertThatThrownBy(never::toList).isInstanceOf(io.concurrence.TimeoutException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the timeout, not much later").isLessThan(SOON);
        assertThat(counter.call(new Get(), SOON)).as("the connection still serves").isZero();
    }

    @Test
    void aServerWithATokenRejectsClientsWithoutItBeforeDeliveringAnything() {
        RemoteServer server = RemoteServer.builder().host("127.0.0.1").allow(CounterMsg.class).authToken("s3cret")
                .bind();
        closing.add(server);
        int[] delivered = {0};
        Tasklet<Void> counter = Tasklet.receiver(envelope -> {
            delivered[0]++;
            if (envelope.expectsReply()) {
                envelope.reply(delivered[0]);
            }
        });
        closing.add(counter::kill);
        server.register("counter", counter);

        RemoteClient.Builder withoutToken = RemoteClient.builder().port(server.port()).allow(CounterMsg.class);
        RemoteClient.Builder wrongToken = RemoteClient.builder().port(server.port()).allow(CounterMsg.class)
                .authToken("wrong");
        for (RemoteClient.Builder intruder : List.of(withoutToken, wrongToken)) {
            assertThatThrownBy(intruder::connect).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("authentication failed");
        }
        assertThat(server.stats().rejectedSetups()).isEqualTo(2);
        RemoteClient friend = RemoteClient.builder().port(server.port()).allow(CounterMsg.class).authToken("s3cret")
                .connect();
        closing.add(friend);
        assertThat(friend.lookup("counter").call(new Get(), SOON)).as("only the friend's call was delivered")
                .isEqualTo(1);
    }
}
