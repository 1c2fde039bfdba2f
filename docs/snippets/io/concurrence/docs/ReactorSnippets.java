package io.concurrence.docs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.concurrence.Channel;
import io.concurrence.TaskLocal;
import io.concurrence.Tasklet;
import io.concurrence.net.ServerSocket;
import io.concurrence.net.Socket;
import io.concurrence.reactor.Await;
import io.concurrence.reactor.Reactive;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/** The snippets of docs/reactor.md. */
final class ReactorSnippets {

    private ReactorSnippets() {
    }

    record User(String name) {
    }

    record Row(int id) {
    }

    record Event(int n, boolean important) {
    }

    private static Mono<String> fetch() {
        return Mono.just("body").delayElement(Duration.ofMillis(10));
    }

    private static Mono<User> findById(int id) {
        return id == 1 ? Mono.just(new User("alice")) : Mono.empty();
    }

    private static final Channel<Event> HANDLED = Channel.buffered(1000);

    private static void handle(Event event) {
        HANDLED.offer(event);
    }

    @Snippet(output = {"1 body Optional.empty 3 rows 100 handled"})
    static void await() {
        Flux<Row> rowFlux = Flux.range(1, 3).map(Row::new);
        Flux<Event> eventFlux = Flux.range(0, 1000).map(n -> new Event(n, n % 2 == 0));
        Tasklet.spawn(() -> {
            int id = 2;
            // tag::await[]
            Integer n = Await.of(Mono.just(1).delayElement(Duration.ofMillis(10)));   // parks the tasklet
            String body = Await.of(fetch(), Duration.ofSeconds(5));                    // at most 5 s
            Optional<User> user = Await.optional(findById(id));                        // empty Mono -> empty
            List<Row> rows = Await.list(rowFlux);                                      // the whole Flux
            try (Stream<Event> events = Await.stream(eventFlux)) {                     // backpressured
                events.filter(Event::important).limit(100).forEach(ReactorSnippets::handle);
            }                                                                          // close cancels the Flux
            // end::await[]
            System.out.println(n + " " + body + " " + user + " " + rows.size() + " rows " + HANDLED.size()
                    + " handled");
        }).join(Duration.ofSeconds(10));
    }

    record Order(int id) {
    }

    record Quote(String symbol) {
    }

    private static final Channel<String> SEEN = Channel.buffered(16);

    private static Order load(int id) {
        return new Order(id);
    }

    private static void writeAudit(String entry) {
        if (entry.isEmpty()) {
            throw new IllegalArgumentException("empty audit entry");
        }
    }

    private static void ship(Order order) {
        SEEN.offer("shipped " + order);
    }

    private static void report(Throwable error) {
        SEEN.offer("failed: " + error);
    }

    private static void trade(Quote quote) {
        SEEN.offer("traded " + quote.symbol());
    }

    @Snippet(output = {"shipped Order[id=7]", "[a, b]", "traded X", "traded Y"})
    static void interop() {
        int id = 7;
        Flux<Quote> quoteFlux = Flux.just(new Quote("X"), new Quote("Y"));
        // tag::interop[]
        // A Mono that runs blocking code in a new tasklet per subscription.
        Mono<Order> order = Reactive.mono(() -> load(id));
        Mono<Void> audit = Reactive.mono(() -> writeAudit("loaded " + id));     // a Runnable: Mono<Void>

        // Cancelling the subscription kills the tasklet: its own waits (SQL, HTTP, channels) are cancelled too.
        order.timeout(Duration.ofSeconds(2)).subscribe(ReactorSnippets::ship, ReactorSnippets::report);

        // A channel fed by tasklets, read by Reactor code: the tasklet receives only while there is demand.
        Channel<String> events = Channel.buffered(64);
        Flux<String> flux = Reactive.flux(events);               // completes when the channel is closed and drained
        // end::interop[]
        System.out.println(SEEN.receive(Duration.ofSeconds(5)));
        audit.block(Duration.ofSeconds(5));
        events.send("a");
        events.send("b");
        events.close();
        System.out.println(flux.collectList().block(Duration.ofSeconds(5)));
        // tag::interop[]

        // A Flux read by tasklets: a daemon tasklet sends each element into the channel (blocking while it is
        // full, requesting more only as it sends); completion closes the channel, an error arrives as the
        // exception receive() throws after the earlier values; closing the channel cancels the Flux.
        Channel<Quote> quotes = Reactive.channel(quoteFlux, 16);
        for (Quote q : quotes) {
            trade(q);
        }
        // end::interop[]
        System.out.println(SEEN.receive(Duration.ofSeconds(5)));
        System.out.println(SEEN.receive(Duration.ofSeconds(5)));
    }

    // tag::context[]
    static final TaskLocal<String> TRACE = TaskLocal.propagated("traceId");
    // end::context[]

    private static Mono<String> webClientCall() {
        return Mono.deferContextual(ctx -> Mono.just("traceId in the Mono: " + ctx.get("traceId")));
    }

    @Snippet(output = {"traceId in the Mono: 4bf92f35", "trace 4bf92f35"})
    static void context() {
        Tasklet.spawn(() -> {
            // tag::context[]

            // Blocking -> reactive: Await puts the tasklet's value into the Context of what it awaits.
            TRACE.set("4bf92f35");
            System.out.println(Await.of(webClientCall()));          // traceId in the Mono: 4bf92f35

            // Reactive -> blocking: Reactive.mono restores the value into the tasklet it starts.
            Mono<String> mono = Reactive.mono(() -> "trace " + TRACE.get())
                    .contextWrite(Context.of("traceId", "4bf92f35"));   // emits "trace 4bf92f35"
            // end::context[]
            TRACE.remove();
            System.out.println(Await.of(mono, Duration.ofSeconds(5)));
        }).join(Duration.ofSeconds(10));
    }

    @Snippet(output = "HELLO")
    static void sockets() {
        // tag::sockets[]
        try (ServerSocket server = ServerSocket.bind("localhost", 0)) {     // 0: a free port, server.port()
            server.serve(socket -> {                              // a tasklet per connection, closed after
                for (String line; (line = socket.readLine()) != null; ) {
                    socket.write((line.toUpperCase() + "\n").getBytes(UTF_8));
                }
            });
            try (Socket client = Socket.connect("localhost", server.port(), Duration.ofSeconds(5))) {
                client.write("hello\n".getBytes(UTF_8));
                System.out.println(client.readLine(Duration.ofSeconds(5)));    // HELLO
            }
        }
        // end::sockets[]
    }
}
