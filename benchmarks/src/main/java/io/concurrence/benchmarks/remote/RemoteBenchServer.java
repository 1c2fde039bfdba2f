package io.concurrence.benchmarks.remote;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

import tools.jackson.dataformat.cbor.CBORMapper;

import reactor.core.publisher.Mono;

import io.concurrence.Tasklet;
import io.concurrence.benchmarks.remote.BenchMsg.Flush;
import io.concurrence.benchmarks.remote.BenchMsg.Ping;
import io.concurrence.benchmarks.remote.BenchMsg.Tick;
import io.concurrence.remote.RemoteServer;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.rsocket.util.DefaultPayload;

/**
 * The remoting scenarios' servers, each in its own JVM on a free port of 127.0.0.1. Ours is a
 * {@link RemoteServer} with one receiver tasklet registered as {@value #NAME}: it answers a {@link Ping} with its
 * number, counts each {@link Tick} into a {@link LongAdder} and answers a {@link Flush} with that count. The raw
 * peer is an RSocket server ({@link RSocketServer} over {@link TcpServerTransport}) doing the same on the event
 * loop: request-response decodes a {@code Ping} and answers its number (a request with no data is a flush,
 * answered with the count), fire-and-forget decodes a {@code Tick} and counts it. Both decode and encode with
 * Jackson CBOR. Prints {@code LISTENING <port>} once bound, then serves until killed.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.concurrence.benchmarks.remote.RemoteBenchServer
 * concurrence|rsocket}
 */
public final class RemoteBenchServer {

    /** The name our server registers its receiver under. */
    public static final String NAME = "bench";

    private RemoteBenchServer() {
    }

    /**
     * Starts one server.
     *
     * @param args the variant
     */
    public static void main(String[] args) throws InterruptedException {
        int port = switch (args[0]) {
            case "concurrence" -> concurrence();
            case "rsocket" -> rsocket();
            default -> throw new IllegalArgumentException("unknown variant " + args[0]
                    + "; expected concurrence or rsocket");
        };
        System.out.println("LISTENING " + port);
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static int concurrence() {
        RemoteServer server = RemoteServer.builder().host("127.0.0.1").port(0).allow(BenchMsg.class).bind();
        LongAdder ticks = new LongAdder();
        server.register(NAME, Tasklet.receiver(envelope -> {
            switch (envelope.message()) {
                case Ping ping -> envelope.reply(ping.n());
                case Tick tick -> ticks.increment();
                case Flush flush -> envelope.reply(ticks.sum());
                default -> envelope.fail(new IllegalArgumentException("unexpected " + envelope.message()));
            }
        }));
        return server.port();
    }

    private static int rsocket() {
        CBORMapper mapper = CBORMapper.builder().build();
        LongAdder ticks = new LongAdder();
        RSocket handler = new RSocket() {
            @Override
            public Mono<Payload> requestResponse(Payload payload) {
                try {
                    byte[] data = bytes(payload.getData());
                    long answer = data.length == 0 ? ticks.sum() : mapper.readValue(data, Ping.class).n();
                    return Mono.just(DefaultPayload.create(mapper.writeValueAsBytes(answer)));
                } finally {
                    payload.release();
                }
            }

            @Override
            public Mono<Void> fireAndForget(Payload payload) {
                try {
                    mapper.readValue(bytes(payload.getData()), Tick.class);
                    ticks.increment();
                } finally {
                    payload.release();
                }
                return Mono.empty();
            }
        };
        CloseableChannel channel = RSocketServer.create(SocketAcceptor.with(handler))
                .bind(TcpServerTransport.create("127.0.0.1", 0))
                .block(Duration.ofSeconds(30));
        if (channel == null) {
            throw new IllegalStateException("the RSocket server did not bind");
        }
        return channel.address().getPort();
    }

    /** The remaining bytes of {@code buffer}, copied, as our {@code RemoteServer} takes a frame. */
    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
