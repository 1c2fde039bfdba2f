package io.concurrence.docs;

import java.time.Duration;

import io.concurrence.Call;
import io.concurrence.Channel;
import io.concurrence.Envelope;
import io.concurrence.Message;
import io.concurrence.Select;
import io.concurrence.Tasklet;

/** The snippets of docs/messages.md. */
final class MessagesSnippets {

    private MessagesSnippets() {
    }

    @Snippet(output = "3")
    static void channel() {
        // tag::channel[]
        Channel<Integer> numbers = new Channel<>();
        Tasklet<Integer> summer = Tasklet.spawn(() -> numbers.receive() + numbers.receive());
        numbers.send(1);          // returns once summer has taken it
        numbers.send(2);
        System.out.println(summer.join());   // 3
        // end::channel[]
    }

    @Snippet(output = {"first", "second"})
    static void closing() {
        // tag::closing[]
        Channel<String> lines = Channel.buffered(16);
        Tasklet<Void> printer = Tasklet.spawn(() -> {
            for (String line : lines) {
                System.out.println(line);
            }
        });
        lines.send("first");
        lines.send("second");
        lines.close();
        printer.join();
        // end::closing[]
    }

    record Order(String id) {
    }

    @Snippet(output = {"cancel order-7", "process Order[id=order-8]"})
    static void select() {
        Channel<Order> orders = Channel.buffered(1);
        Channel<String> cancellations = Channel.buffered(1);
        cancellations.send("order-7");
        selectOne(orders, cancellations);
        orders.send(new Order("order-8"));
        selectOne(orders, cancellations);
    }

    private static void selectOne(Channel<Order> orders, Channel<String> cancellations) {
        // tag::select[]
        Select.Received<?> got = Select.receive(Duration.ofSeconds(1), orders, cancellations);
        if (got.channel() == cancellations) {
            cancel((String) got.value());
        } else {
            process((Order) got.value());
        }
        // end::select[]
    }

    private static void cancel(String id) {
        System.out.println("cancel " + id);
    }

    private static void process(Order order) {
        System.out.println("process " + order);
    }

    // tag::mailbox[]
    sealed interface PrinterMsg extends Message permits Greeting, Farewell {}
    record Greeting(String who) implements PrinterMsg {}
    record Farewell(String who) implements PrinterMsg {}
    // end::mailbox[]

    @Snippet(output = {"Hello World", "Goodbye World"})
    static void mailbox() {
        // tag::mailbox[]
        Tasklet<Void> printer = Tasklet.named("printer").spawn(() -> {
            for (;;) {
                Envelope envelope = Tasklet.receive();
                if (envelope.message() instanceof PrinterMsg msg) {
                    switch (msg) {
                        case Greeting g -> System.out.println("Hello " + g.who());
                        case Farewell f -> {
                            System.out.println("Goodbye " + f.who());
                            return;
                        }
                    }
                }
            }
        });
        printer.send(new Greeting("World"));
        printer.send(new Farewell("World"));
        // end::mailbox[]
        printer.join(Duration.ofSeconds(5));
    }

    // tag::call[]
    sealed interface CounterMsg extends Message permits Add, Get {}
    record Add(int n) implements CounterMsg {}
    record Get() implements CounterMsg, Call<Integer> {}
    // end::call[]

    @Snippet(output = "42")
    static void call() {
        // tag::call[]
        int[] count = {0};
        Tasklet<Void> counter = Tasklet.receiver(envelope -> {
            if (envelope.message() instanceof CounterMsg m) {
                switch (m) {
                    case Add a -> count[0] += a.n();
                    case Get g -> envelope.reply(count[0]);
                }
            }
        });
        counter.send(new Add(5));
        counter.send(new Add(37));
        int now = counter.call(new Get(), Duration.ofSeconds(1));   // 42: messages are handled in order
        // end::call[]
        System.out.println(now);
        counter.kill();
    }

    record Echo(String text) implements Call<String> {
    }

    @Snippet(output = "hello")
    static void receiver() {
        // tag::receiver[]
        Tasklet<Void> echo = Tasklet.named("echo").receiver(envelope -> {
            if (envelope.message() instanceof Echo e) {
                envelope.reply(e.text());
            }
        });
        // end::receiver[]
        System.out.println(echo.call(new Echo("hello"), Duration.ofSeconds(1)));
        echo.kill();
    }
}
