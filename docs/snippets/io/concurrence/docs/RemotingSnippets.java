package io.concurrence.docs;

import java.time.Duration;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.concurrence.Call;
import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteServer;
import io.concurrence.remote.RemoteTasklet;

/** The snippets of docs/remoting.md: both processes' code, run in one JVM on a free port. */
final class RemotingSnippets {

    private RemotingSnippets() {
    }

    // tag::counter[]
    // Both sides: the protocol, a sealed interface of records.
    sealed interface CounterMsg extends Message permits Add, Get, Upto {}
    record Add(int n) implements CounterMsg {}
    record Get() implements CounterMsg, Call<Integer> {}
    record Upto(int n) implements CounterMsg, Call<Integer> {}
    // end::counter[]

    @Snippet(output = {"now 5", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"})
    static void counter() {
        String secret = "s3cret-token-for-the-docs";
        // tag::counter[]

        // Server process
        RemoteServer server = RemoteServer.builder().port(0).allow(CounterMsg.class).authToken(secret).bind();
        int[] total = {0};
        server.register("counter", Tasklet.receiver(envelope -> {
            switch (envelope.message()) {
                case Add add -> total[0] += add.n();
                case Get get -> envelope.reply(total[0]);
                case Upto upto -> envelope.reply(IntStream.rangeClosed(1, upto.n()).boxed());   // streamed back
                default -> envelope.fail(new IllegalArgumentException("unexpected " + envelope.message()));
            }
        }));
        int port = server.port();   // port(0) picks a free one; a fixed port (7000) for another machine's clients
        // end::counter[]
        try {
            // tag::counter[]

            // Client process
            try (RemoteClient client = RemoteClient.builder().host("127.0.0.1").port(port).allow(CounterMsg.class)
                    .authToken(secret).connect()) {
                RemoteTasklet counter = client.lookup("counter");          // NoSuchElementException if unknown
                counter.send(new Add(5));                                  // fire-and-forget
                int now = counter.call(new Get(), Duration.ofSeconds(2));  // request-response
                System.out.println("now " + now);                          // now 5
                try (Stream<Integer> numbers = counter.stream(new Upto(1_000_000))) {   // request-stream
                    numbers.limit(10).forEach(System.out::println);        // closing the stream cancels the rest
                }
            }
            // end::counter[]
        } finally {
            server.close();
        }
    }

    @Snippet(output = "connected to one of 2 servers")
    static void servers() {
        try (RemoteServer first = RemoteServer.builder().port(0).allow(CounterMsg.class).bind();
             RemoteServer second = RemoteServer.builder().port(0).allow(CounterMsg.class).bind()) {
            int port1 = first.port();
            int port2 = second.port();
            // tag::servers[]
            RemoteClient client = RemoteClient.builder().allow(CounterMsg.class)
                    .server("127.0.0.1", port1).server("127.0.0.1", port2)   // e.g. 10.0.0.5:7000, 10.0.0.6:7000
                    .connect();                                     // returns when one is connected
            // end::servers[]
            System.out.println("connected to one of 2 servers");
            client.close();
        }
    }
}
