package io.concurrence.examples;

import io.concurrence.Concurrence;
import io.concurrence.Tasklet;

/**
 * The seed's {@code hello.py}: a tasklet prints a greeting.
 *
 * <p>The seed then idled until Ctrl-C; this port quits once the greeting is printed, so that it can be run
 * (and tested) as a command. Run it with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=hello}.
 */
public final class Hello {

    private Hello() {
    }

    /** The example's body: runs inside {@link Concurrence#dispatch}. */
    static void main() {
        Tasklet<Void> greeter = Tasklet.spawn(() -> System.out.println("Hello World!"));
        greeter.join();
        Concurrence.quit(Concurrence.EXIT_OK);
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(Hello::main));
    }
}
