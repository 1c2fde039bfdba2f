package io.concurrence.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

import io.helidon.webserver.WebServer;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

import io.concurrence.http.HttpServer;
import io.concurrence.web.Router;

/**
 * The HTTP scenarios' servers, each in its own JVM: {@code GET /plaintext} answers {@code Hello, World!}
 * (13 bytes, {@code text/plain}) on our {@link HttpServer} with a {@link Router}, on Helidon SE's virtual-thread
 * {@code WebServer}, and on raw Reactor Netty with the handler on the event loop. Prints
 * {@code LISTENING <port>} once bound, then serves until killed; a {@code HEAP} line on standard input asks for
 * the heap in use after a garbage collection.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.concurrence.benchmarks.load.HttpBenchServer
 * concurrence|concurrence-carrier|helidon-se|reactor-netty}
 */
public final class HttpBenchServer {

    /** The plaintext body. */
    public static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    /** The path every server answers. */
    public static final String PATH = "/plaintext";

    private HttpBenchServer() {
    }

    /**
     * Starts one server on a free port of 127.0.0.1.
     *
     * @param args the variant
     */
    public static void main(String[] args) throws InterruptedException {
        int port = switch (args[0]) {
            case "concurrence" -> concurrence(false).port();
            case "concurrence-carrier" -> concurrence(true).port();
            case "helidon-se" -> helidon().port();
            case "reactor-netty" -> reactorNetty().port();
            default -> throw new IllegalArgumentException("unknown variant " + args[0]
                    + "; expected concurrence, concurrence-carrier, helidon-se or reactor-netty");
        };
        System.out.println("LISTENING " + port);
        System.out.flush();
        answerHeapRequests();
        new CountDownLatch(1).await();
    }

    /**
     * For each {@code HEAP} line on standard input, collects garbage and prints {@code HEAP <bytes in use>}:
     * how the harness reads the heap a server holds in the middle of a run.
     */
    private static void answerHeapRequests() {
        Thread.ofPlatform().daemon().name("heap-probe").start(() -> {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            try {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.trim().equals("HEAP")) {
                        System.gc();
                        System.out.println("HEAP " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage()
                                .getUsed());
                        System.out.flush();
                    }
                }
            } catch (IOException e) {
                // the harness is gone
            }
        });
    }

    private static HttpServer concurrence(boolean eventLoopCarriers) {
        Router router = Router.create().get(PATH, (request, response) ->
                response.contentType("text/plain").send(HELLO));
        return HttpServer.builder().host("127.0.0.1").port(0).handler(router)
                .eventLoopCarriers(eventLoopCarriers).build().start();
    }

    private static WebServer helidon() {
        return WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.get(PATH, (request, response) -> {
                    response.header("Content-Type", "text/plain");
                    response.send(HELLO);
                }))
                .build()
                .start();
    }

    private static DisposableServer reactorNetty() {
        return reactor.netty.http.server.HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get(PATH, (request, response) -> response
                        .header("Content-Type", "text/plain")
                        .sendByteArray(Mono.just(HELLO))))
                .bindNow();
    }
}
