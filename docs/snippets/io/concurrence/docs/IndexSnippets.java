package io.concurrence.docs;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.concurrence.Call;
import io.concurrence.Channel;
import io.concurrence.JoinException;
import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.concurrence.Timeout;
import io.concurrence.TimeoutException;
import io.concurrence.http.HttpClient;
import io.concurrence.http.HttpServer;

/** The snippets of docs/index.md: the five-minute tour. */
final class IndexSnippets {

    private IndexSnippets() {
    }

    @Snippet(output = "sum of squares: 328350")
    static void tourSpawn() {
        // tag::tourSpawn[]
        List<Tasklet<Integer>> squares = IntStream.range(0, 100)
                .mapToObj(i -> Tasklet.spawn(() -> i * i))   // 100 tasklets, running at once
                .toList();
        int sum = 0;
        for (Tasklet<Integer> t : squares) {
            sum += t.join();
        }
        System.out.println("sum of squares: " + sum);   // sum of squares: 328350
        // end::tourSpawn[]
    }

    @Snippet(output = {"ping", "pong"})
    static void tourChannel() {
        // tag::tourChannel[]
        Channel<String> pings = new Channel<>();                 // rendezvous: send waits for a receiver
        Tasklet<Void> ponger = Tasklet.spawn(() -> {
            System.out.println(pings.receive());                  // ping
            System.out.println("pong");
        });
        pings.send("ping");
        ponger.join(Duration.ofSeconds(5));
        // end::tourChannel[]
    }

    // tag::tourMessages[]
    sealed interface CounterMsg extends Message permits Add, Get {}
    record Add(int n) implements CounterMsg {}
    record Get() implements CounterMsg, Call<Integer> {}
    // end::tourMessages[]

    @Snippet(output = "42")
    static void tourMessages() {
        // tag::tourMessages[]
        int[] count = {0};                                       // touched by the counter's tasklet only
        Tasklet<Void> counter = Tasklet.named("counter").receiver(envelope -> {
            if (envelope.message() instanceof CounterMsg m) {
                switch (m) {
                    case Add a -> count[0] += a.n();
                    case Get g -> envelope.reply(count[0]);
                }
            }
        });
        counter.send(new Add(40));
        counter.send(new Add(2));
        System.out.println(counter.call(new Get(), Duration.ofSeconds(1)));   // 42
        // end::tourMessages[]
        counter.kill();
    }

    @Snippet(output = {"timed out", "killed: true"})
    static void tourTimeoutAndKill() {
        // tag::tourTimeoutAndKill[]
        Channel<String> nobody = new Channel<>();
        try (Timeout t = Timeout.push(Duration.ofMillis(100))) {   // bounds every blocking call inside
            nobody.receive();
        } catch (TimeoutException e) {
            System.out.println("timed out");
        }

        Tasklet<String> stuck = Tasklet.spawn(() -> nobody.receive());
        stuck.kill();                                            // its receive throws TaskletExit
        try {
            stuck.join(Duration.ofSeconds(5));
        } catch (JoinException e) {
            System.out.println("killed: " + stuck.isKilled());   // killed: true
        }
        // end::tourTimeoutAndKill[]
    }

    @Snippet(output = "200 Hello, tasklets")
    static void tourHttp() {
        // tag::tourHttp[]
        HttpServer server = HttpServer.builder()
                .port(0)                                         // a free port
                .handler((request, response) ->                  // each request in a tasklet of its own
                        response.send("Hello, " + request.query("name").orElse("world")))
                .build()
                .start();
        try (HttpClient client = HttpClient.builder().baseUrl("http://localhost:" + server.port()).build();
             HttpClient.Response response = client.get("/?name=tasklets")) {
            System.out.println(response.status() + " " + response.bodyText());   // 200 Hello, tasklets
        } finally {
            server.stop(Duration.ofSeconds(5));                  // graceful
        }
        // end::tourHttp[]
    }
}
