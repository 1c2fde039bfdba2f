package io.concurrence.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import io.concurrence.net.ServerSocket;

/**
 * {@code socket-greeter}'s servers, each in its own JVM: the seed's greeter (answer every connection with a
 * fixed HTTP/1.0 greeting and close it) on our {@link ServerSocket}, and the same on raw Reactor Netty TCP.
 * Prints {@code LISTENING <port>} once bound, then serves until killed.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.concurrence.benchmarks.load.GreeterServer
 * concurrence|reactor-netty}
 */
public final class GreeterServer {

    /** What every connection receives (the seed's greeter). */
    public static final byte[] GREETING = "HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nHello World!"
            .getBytes(StandardCharsets.US_ASCII);

    private GreeterServer() {
    }

    /**
     * Starts one greeter on a free port of 127.0.0.1.
     *
     * @param args the variant
     */
    public static void main(String[] args) throws InterruptedException {
        int port = switch (args[0]) {
            case "concurrence" -> ServerSocket.bind("127.0.0.1", 0, 4096)
                    .serve(socket -> socket.write(GREETING)).port();
            case "reactor-netty" -> reactorNetty().port();
            default -> throw new IllegalArgumentException("unknown variant " + args[0]
                    + "; expected concurrence or reactor-netty");
        };
        System.out.println("LISTENING " + port);
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static DisposableServer reactorNetty() {
        return TcpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((in, out) -> out.sendByteArray(Mono.just(GREETING)).then())
                .bindNow();
    }
}
