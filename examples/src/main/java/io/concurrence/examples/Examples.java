package io.concurrence.examples;

import java.util.LinkedHashMap;
import java.util.Map;

import io.concurrence.Concurrence;

/**
 * Runs one example by name: {@code java io.concurrence.examples.Examples hello}. The Maven profile
 * {@code run} of this module calls it (see examples/README.md).
 */
public final class Examples {

    private static final Map<String, Runnable> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("demo", Demo::main);
        EXAMPLES.put("hello", Hello::main);
        EXAMPLES.put("message", MessageExample::main);
        EXAMPLES.put("greeter", Greeter::main);
        EXAMPLES.put("chat", Chat::main);
        EXAMPLES.put("http", HttpHello::main);
        EXAMPLES.put("post", Post::main);
        EXAMPLES.put("web", Web::main);
        EXAMPLES.put("http_client", HttpClientExample::main);
    }

    private Examples() {
    }

    /**
     * Runs the example named by the first argument (default {@code demo}) and exits with its exit code.
     *
     * @param args the example's name
     */
    public static void main(String[] args) {
        System.exit(run(args.length == 0 ? "demo" : args[0]));
    }

    /** Runs the example {@code name} under {@link Concurrence#dispatch}; returns its exit code (2: unknown). */
    static int run(String name) {
        Runnable example = EXAMPLES.get(name);
        if (example == null) {
            System.err.println("Unknown example '" + name + "'; choose one of " + EXAMPLES.keySet());
            return 2;
        }
        return Concurrence.dispatch(example);
    }
}
