package io.concurrence.examples;

import io.concurrence.Concurrence;
import io.concurrence.Message;
import io.concurrence.Tasklet;

/**
 * The seed's {@code message.py}: the main tasklet starts a {@code printer} tasklet that loops over its
 * mailbox, then sends it a greeting and a farewell. Prints {@code Hello World} then {@code Goodbye World}.
 */
public final class MessageExample {

    /** The printer's protocol. */
    sealed interface PrinterMsg extends Message {
    }

    /** Print a greeting. */
    record Greeting(String who) implements PrinterMsg {
    }

    /** Print a farewell, then stop. */
    record Farewell(String who) implements PrinterMsg {
    }

    private MessageExample() {
    }

    /** The example's body: runs inside {@link Concurrence#dispatch}. */
    static void main() {
        Tasklet<Void> printer = Tasklet.named("printer").spawn(() -> {
            for (;;) {
                if (Tasklet.receive().message() instanceof PrinterMsg msg) {
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
        printer.join();
        Concurrence.quit(Concurrence.EXIT_OK);
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(MessageExample::main));
    }
}
