package io.concurrence.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concurrence.Call;
import io.concurrence.Message;
import io.concurrence.remote.RemoteException;
import io.concurrence.remote.internal.MessageCodec.Format;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageCodecTest {

    private static final int MAX = 64 * 1024;
    private static final String HOLDER = Holder.class.getName();

    /** Set by {@link Tripwire}'s static initializer: proves a refused class name was never initialized. */
    static final AtomicBoolean TRIPPED = new AtomicBoolean();

    enum Color { RED, GREEN }

    record Item(String name, int qty) {
    }

    sealed interface Shape permits Circle, Polygon {
    }

    record Circle(double radius) implements Shape {
    }

    sealed interface Polygon extends Shape permits Square, Triangle {
    }

    record Square(BigDecimal side) implements Polygon {
    }

    record Triangle(List<Double> sides) implements Polygon {
    }

    sealed interface Proto extends Message permits Order, Ping, Blob, Holder {
    }

    record Order(long id, Item first, List<Item> items, Map<String, Integer> counts, Optional<String> note,
            Optional<String> none, Instant at, LocalDate day, Color color, BigDecimal total, BigInteger big,
            Shape shape, List<Shape> shapes, Optional<Shape> maybe) implements Proto {
    }

    record Ping(int n) implements Proto, Call<Integer> {
    }

    record Blob(byte[] data) implements Proto {
    }

    record Holder(Shape shape) implements Proto {
    }

    record Stranger(String name) implements Message {
    }

    record Move(long id, String name, int x, int y) implements Message {
    }

    /** Not a record: allowing it must fail. */
    static final class Pojo implements Message {
    }

    sealed interface Mixed extends Message permits Ok, Bad {
    }

    record Ok() implements Mixed {
    }

    static final class Bad implements Mixed {
    }

    /** A "gadget": initializing it trips the wire. */
    static final class Tripwire {
        static {
            TRIPPED.set(true);
        }
    }

    private static MessageCodec codec(Format format, Class<?>... allowed) {
        return MessageCodec.of(Set.of(allowed), MAX, format);
    }

    private static Order order() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("apples", 3);
        counts.put("pears", 5);
        return new Order(42L, new Item("first", 1), List.of(new Item("a", 2), new Item("b", 3)), counts,
                Optional.of("fragile"), Optional.empty(), Instant.parse("2026-01-02T03:04:05.123456789Z"),
                LocalDate.of(2026, 2, 28), Color.GREEN, new BigDecimal("12345.6789"),
                new BigInteger("123456789012345678901234567890"), new Square(new BigDecimal("2.5")),
                List.of(new Circle(1.5), new Triangle(List.of(3.0, 4.0, 5.0)), new Square(BigDecimal.ONE)),
                Optional.of(new Circle(0.5)));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void roundTripsASealedProtocolOfRecords(Format format) {
        MessageCodec codec = codec(format, Proto.class, Shape.class);
        Order order = order();

        Object decoded = codec.decode(codec.encode(order));

        assertThat(decoded).isEqualTo(order);
        assertThat(((Order) decoded).shape()).isInstanceOf(Square.class);
        assertThat(((Order) decoded).shapes()).map(Object::getClass)
                .containsExactly(Circle.class, Triangle.class, Square.class);
        assertThat(codec.decode(codec.encode(new Ping(7)))).isEqualTo(new Ping(7));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void roundTripsBytesAndEnums(Format format) {
        MessageCodec codec = codec(format, Proto.class, Shape.class, Color.class);
        byte[] data = {0, 1, 2, (byte) 0xFF, 127};

        Blob decoded = (Blob) codec.decode(codec.encode(new Blob(data)));

        assertThat(decoded.data()).containsExactly(data);
        assertThat(codec.decode(codec.encode(Color.RED))).isEqualTo(Color.RED);
    }

    @Test
    void jsonFrameNamesTheTypeAndThePolymorphicValues() {
        MessageCodec codec = codec(Format.JSON, Proto.class, Shape.class);

        String json = new String(codec.encode(new Holder(new Circle(1.0))), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("[\"" + HOLDER + "\",{\"shape\":[\"" + Circle.class.getName()
                + "\",{\"radius\":1.0}]}]");
    }

    @Test
    void allowingASealedInterfaceAllowsEveryPermittedRecordRecursively() {
        MessageCodec codec = codec(Format.CBOR, Shape.class);

        assertThat(codec.allowedTypeNames()).containsExactlyInAnyOrder(Circle.class.getName(),
                Square.class.getName(), Triangle.class.getName());
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeRefusesATypeNotAllowedNamingItAndHowToAllowIt(Format format) {
        MessageCodec codec = codec(format, Proto.class, Shape.class);

        assertThatThrownBy(() -> codec.encode(new Stranger("x")))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining(Stranger.class.getName())
                .hasMessageContaining("allow(Stranger.class)");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decodeRefusesATypeTheReceiverDoesNotAllow(Format format) {
        byte[] frame = codec(format, Stranger.class).encode(new Stranger("x"));
        MessageCodec receiver = codec(format, Proto.class, Shape.class);

        assertThatThrownBy(() -> receiver.decode(frame))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("refused")
                .hasMessageContaining(Stranger.class.getName());
        assertThatThrownBy(() -> receiver.decodeValue(frame))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining(Stranger.class.getName());
    }

    @Test
    void decodeRefusesHostileTopLevelTypeNames() {
        MessageCodec codec = codec(Format.JSON, Proto.class, Shape.class);
        for (String hostile : List.of("java.util.HashMap", "javax.management.BadAttributeValueExpException",
                "com.sun.rowset.JdbcRowSetImpl", Tripwire.class.getName())) {
            byte[] frame = ("[\"" + hostile + "\",{}]").getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> codec.decode(frame))
                    .isInstanceOf(RemoteException.class).hasMessageContaining(hostile);
            assertThatThrownBy(() -> codec.decodeValue(frame))
                    .isInstanceOf(RemoteException.class).hasMessageContaining(hostile);
        }
        assertThat(TRIPPED).as("a refused class must never be loaded or initialized").isFalse();
    }

    @Test
    void decodeRefusesHostileTypeNamesInAPolymorphicField() {
        MessageCodec codec = codec(Format.JSON, Proto.class, Shape.class);
        for (String hostile : List.of("java.util.HashMap", "javax.management.BadAttributeValueExpException",
                "org.springframework.context.support.ClassPathXmlApplicationContext", Tripwire.class.getName(),
                Stranger.class.getName())) {
            byte[] frame = ("[\"" + HOLDER + "\",{\"shape\":[\"" + hostile + "\",{}]}]")
                    .getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> codec.decode(frame))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("refused")
                    .hasMessageContaining(hostile);
        }
        assertThat(TRIPPED).as("a refused class must never be loaded or initialized").isFalse();
    }

    @Test
    void decodeRefusesAnAllowedTypeThatIsNotASubtypeOfThePolymorphicField() {
        MessageCodec codec = codec(Format.JSON, Proto.class, Shape.class);
        byte[] frame = ("[\"" + HOLDER + "\",{\"shape\":[\"" + Ping.class.getName() + "\",{\"n\":1}]}]")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(RemoteException.class);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesFramesLargerThanTheLimitOnBothSides(Format format) {
        MessageCodec small = MessageCodec.of(Set.of(Stranger.class), 1024, format);
        MessageCodec large = MessageCodec.of(Set.of(Stranger.class), 1 << 20, format);
        Stranger big = new Stranger("x".repeat(5000));

        assertThatThrownBy(() -> small.encode(big))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("1024 bytes")
                .hasMessageContaining(Stranger.class.getName());
        byte[] frame = large.encode(big);
        assertThatThrownBy(() -> small.decode(frame))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining(frame.length + " bytes")
                .hasMessageContaining("1024 bytes");
        assertThatThrownBy(() -> small.encodeValue(List.of(big.name())))
                .isInstanceOf(RemoteException.class).hasMessageContaining("1024 bytes");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesMalformedFramesWithTheCause(Format format) {
        MessageCodec codec = codec(format, Proto.class, Shape.class);
        byte[] good = codec.encode(order());
        byte[] truncated = Arrays.copyOf(good, good.length / 2);

        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("malformed")
                .hasCauseInstanceOf(tools.jackson.core.JacksonException.class);
        assertThatThrownBy(() -> codec.decodeValue(truncated))
                .isInstanceOf(RemoteException.class).hasMessageContaining("malformed");
        for (byte[] junk : List.of(new byte[0], "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xFF, (byte) 0xFE, 0x01, 0x7F}, "[1,2]".getBytes(StandardCharsets.UTF_8))) {
            assertThatThrownBy(() -> codec.decode(junk)).isInstanceOf(RemoteException.class);
            assertThatThrownBy(() -> codec.decodeValue(junk)).isInstanceOf(RemoteException.class);
        }
    }

    @Test
    void refusesTrailingData() {
        MessageCodec codec = codec(Format.JSON, Proto.class, Shape.class);
        byte[] frame = ("[\"" + Ping.class.getName() + "\",{\"n\":1}] [1]").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(frame))
                .isInstanceOf(RemoteException.class).hasMessageContaining("malformed");
    }

    @Test
    void allowRefusesWhatIsNotARecordEnumOrSealedInterface() {
        assertThatThrownBy(() -> codec(Format.CBOR, Pojo.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Pojo.class.getName())
                .hasMessageContaining("not a record")
                .hasMessageContaining("a codec allows records, enums, and sealed interfaces");
        assertThatThrownBy(() -> codec(Format.CBOR, Message.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("io.concurrence.Message")
                .hasMessageContaining("not sealed");
        assertThatThrownBy(() -> codec(Format.CBOR, Mixed.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Bad.class.getName())
                .hasMessageContaining("permitted by sealed " + Mixed.class.getName());
        assertThatThrownBy(() -> MessageCodec.of(Set.of(Ping.class), 0, Format.CBOR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFrameBytes");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void roundTripsReplyValues(Format format) {
        MessageCodec codec = codec(format, Proto.class, Shape.class, Item.class, Color.class);

        for (Object value : replyValues()) {
            assertThat(codec.decodeValue(codec.encodeValue(value))).as("%s", value).isEqualTo(value);
        }
        assertThat(codec.decodeValue(codec.encodeValue(null))).isNull();
        assertThat((byte[]) codec.decodeValue(codec.encodeValue(new byte[] {1, 2}))).containsExactly(1, 2);
        assertThat(codec.decodeValue(codec.encodeValue(List.of(7, 8)))).isInstanceOf(List.class);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeValueRefusesARecordOrClassNotAllowedEvenInsideACollection(Format format) {
        MessageCodec codec = codec(format, Proto.class, Shape.class);

        assertThatThrownBy(() -> codec.encodeValue(List.of(1, new Stranger("x"))))
                .isInstanceOf(RemoteException.class).hasMessageContaining(Stranger.class.getName());
        assertThatThrownBy(() -> codec.encodeValue(new StringBuilder("x")))
                .isInstanceOf(RemoteException.class).hasMessageContaining("java.lang.StringBuilder");
    }

    @Test
    void forAPeerWithATableAFrameCarriesTheReceiversIdInsteadOfTheName() {
        MessageCodec sender = codec(Format.JSON, Stranger.class, Ping.class);
        MessageCodec receiver = MessageCodec.of(new java.util.LinkedHashSet<>(List.of(Item.class, Ping.class)), MAX,
                Format.JSON);
        PeerTypes peer = sender.peerTypes(receiver.typeTable());

        byte[] frame = sender.encode(new Ping(7), peer);

        assertThat(new String(frame, StandardCharsets.UTF_8)).as("Ping is the receiver's type 1")
                .isEqualTo("[1,{\"n\":7}]");
        assertThat(receiver.decode(frame)).isEqualTo(new Ping(7));
        assertThat(peer).hasToString("PeerTypes[1 of 2 allowed types by id]");
    }

    @Test
    void aCborFrameForAPeerIsSmallerThanOneNamingTheType() {
        MessageCodec codec = codec(Format.CBOR, Proto.class, Shape.class);
        PeerTypes peer = codec.peerTypes(codec.typeTable());

        byte[] named = codec.encode(new Ping(7));
        byte[] byId = codec.encode(new Ping(7), peer);

        // [id, {"n": 7}]: an array's start and end, a one-byte id, and the record as Jackson writes it
        assertThat(byId).hasSize(3 + tools.jackson.dataformat.cbor.CBORMapper.builder().build()
                .writeValueAsBytes(new Ping(7)).length);
        assertThat(named.length - byId.length).isGreaterThanOrEqualTo(Ping.class.getName().length());
        assertThat(codec.decode(byId)).isEqualTo(codec.decode(named)).isEqualTo(new Ping(7));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aTypeTheReceiverDoesNotAllowKeepsItsNameSoTheReceiverRefusesNamingIt(Format format) {
        MessageCodec sender = codec(format, Proto.class, Shape.class, Stranger.class);
        MessageCodec receiver = codec(format, Proto.class, Shape.class);
        PeerTypes peer = sender.peerTypes(receiver.typeTable());

        byte[] frame = sender.encode(new Stranger("x"), peer);
        byte[] reply = sender.encodeValue(List.of(1, new Stranger("y")), peer);

        assertThatThrownBy(() -> receiver.decode(frame)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("refused").hasMessageContaining(Stranger.class.getName());
        assertThatThrownBy(() -> receiver.decodeValue(reply)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("refused").hasMessageContaining(Stranger.class.getName());
        assertThat(receiver.decode(sender.encode(order(), peer))).isEqualTo(order());
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void idsFollowTheReceiversOrderNotTheSenders(Format format) {
        MessageCodec one = MessageCodec.of(new java.util.LinkedHashSet<>(List.of(Shape.class, Proto.class,
                Item.class, Color.class)), MAX, format);
        MessageCodec other = MessageCodec.of(new java.util.LinkedHashSet<>(List.of(Color.class, Item.class,
                Proto.class, Shape.class)), MAX, format);
        PeerTypes toOther = one.peerTypes(other.typeTable());
        PeerTypes toOne = other.peerTypes(one.typeTable());

        assertThat(other.decode(one.encode(order(), toOther))).isEqualTo(order());
        assertThat(one.decode(other.encode(new Holder(new Circle(2)), toOne))).isEqualTo(new Holder(new Circle(2)));
        for (Object value : replyValues()) {
            assertThat(other.decodeValue(one.encodeValue(value, toOther))).as("%s", value).isEqualTo(value);
            assertThat(one.decodeValue(other.encodeValue(value, toOne))).as("%s", value).isEqualTo(value);
        }
        assertThat(one.decodeValue(other.encodeValue(null, toOne))).isNull();
    }

    @Test
    void builtInValuesHaveFixedNegativeIdsForAPeerWithATable() {
        MessageCodec codec = codec(Format.JSON, Item.class);
        PeerTypes peer = codec.peerTypes(codec.typeTable());

        assertThat(new String(codec.encodeValue(5L, peer), StandardCharsets.UTF_8)).isEqualTo("[-6,5]");
        assertThat(new String(codec.encodeValue(List.of("a"), peer), StandardCharsets.UTF_8))
                .isEqualTo("[-2,[[-5,\"a\"]]]");
        assertThat(new String(codec.encodeValue(null, peer), StandardCharsets.UTF_8)).isEqualTo("[-1,null]");
        assertThat(new String(codec.encodeValue(5L), StandardCharsets.UTF_8))
                .as("names for a peer without a table").isEqualTo("[\"java.lang.Long\",5]");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void anIdOutsideTheReceiversTableMakesTheFrameMalformed(Format format) {
        MessageCodec sender = MessageCodec.of(new java.util.LinkedHashSet<>(List.of(Shape.class, Proto.class)), MAX,
                format);
        MessageCodec receiver = codec(format, Ping.class);
        PeerTypes wrong = sender.peerTypes(sender.typeTable()); // not the receiver's table: Order is its type 3

        byte[] frame = sender.encode(order(), wrong);

        assertThatThrownBy(() -> receiver.decode(frame)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("malformed frame: type id").hasMessageContaining("same version");
        for (String json : List.of("[7,{}]", "[-33,1]", "[99999999999,{}]", "[1.5,{}]", "[true,{}]")) {
            byte[] bad = json.getBytes(StandardCharsets.UTF_8);
            MessageCodec reader = codec(Format.JSON, Ping.class);
            assertThatThrownBy(() -> reader.decode(bad)).as(json).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("malformed");
            assertThatThrownBy(() -> reader.decodeValue(bad)).as(json).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("malformed");
        }
    }

    @Test
    void aBuiltInIdIsNotAMessage() {
        MessageCodec codec = codec(Format.JSON, Ping.class);

        assertThatThrownBy(() -> codec.decode("[-6,5]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RemoteException.class).hasMessageContaining("refused a message of type java.lang.Long");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aMalformedTypeTableIsRefusedWithTheReason(Format format) {
        MessageCodec codec = codec(format, Proto.class, Shape.class);

        for (byte[] junk : List.of(new byte[0], "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xFF, (byte) 0xFE, 0x01, 0x7F}, "[\"a\",1]".getBytes(StandardCharsets.UTF_8),
                "[\"a\"] [1]".getBytes(StandardCharsets.UTF_8))) {
            assertThatThrownBy(() -> codec.peerTypes(junk)).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("malformed");
        }
        byte[] big = MessageCodec.of(Set.of(Proto.class, Shape.class), MAX, format).typeTable();
        assertThatThrownBy(() -> MessageCodec.of(Set.of(Ping.class), 64, format).peerTypes(big))
                .isInstanceOf(RemoteException.class).hasMessageContaining("64 bytes");
    }

    @Test
    void namesInAPeersTableAreNeverLoaded() {
        MessageCodec codec = codec(Format.JSON, Proto.class, Shape.class);
        byte[] table = ("[\"" + Tripwire.class.getName() + "\",\"java.util.HashMap\",\"" + Ping.class.getName()
                + "\"]").getBytes(StandardCharsets.UTF_8);

        PeerTypes peer = codec.peerTypes(table);

        assertThat(peer).hasToString("PeerTypes[1 of " + codec.allowedTypeNames().size()
                + " allowed types by id]");
        assertThat(new String(codec.encode(new Ping(1), peer), StandardCharsets.UTF_8)).isEqualTo("[2,{\"n\":1}]");
        assertThat(TRIPPED).as("a name in a table must never be loaded or initialized").isFalse();
    }

    @Test
    void peerTypesAreTiedToTheCodecThatReadThem() {
        MessageCodec one = codec(Format.CBOR, Ping.class);
        MessageCodec other = codec(Format.CBOR, Ping.class);
        PeerTypes peer = one.peerTypes(other.typeTable());

        assertThatThrownBy(() -> other.encode(new Ping(1), peer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another codec");
    }

    private static List<Object> replyValues() {
        Map<String, List<Object>> map = new LinkedHashMap<>();
        map.put("k", List.of(1, 2L, "three"));
        map.put("n", java.util.Collections.singletonList(null));
        return List.of("text", 42, 42L, (short) 7, 1.5, 2.5f, true, 'c',
                new BigDecimal("1.10"), new BigInteger("98765432109876543210"),
                Instant.parse("2026-05-06T07:08:09Z"), LocalDate.of(2025, 12, 31),
                List.of(1, "a", new Item("i", 1)), Set.of("only"), map, new Ping(3),
                new Square(new BigDecimal("3")), Color.RED);
    }

    /** Not a benchmark: a rough figure for choosing the format, printed and never asserted. */
    @Test
    void measuresCborAgainstJson() {
        int count = 100_000;
        for (Format format : Format.values()) {
            MessageCodec codec = codec(format, Move.class);
            Move sample = new Move(123456L, "player-one", 17, -42);
            long sink = 0;
            for (int i = 0; i < count; i++) {
                sink += ((Move) codec.decode(codec.encode(new Move(i, "warm", i, -i)))).x();
            }
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                sink += ((Move) codec.decode(codec.encode(new Move(i, "player-one", i, -i)))).x();
            }
            long elapsed = System.nanoTime() - start;
            System.out.printf("codec %s: %d ns per encode+decode round trip, frame %d bytes (sink %d)%n",
                    format, elapsed / count, codec.encode(sample).length, sink);
        }
    }
}
