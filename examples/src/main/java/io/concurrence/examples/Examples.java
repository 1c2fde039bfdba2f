package io.concurrence.examples;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.concurrence.Concurrence;
import io.concurrence.examples.spring.ShopApplication;

/**
 * Runs one example by name, with the arguments that follow the name:
 * {@code java io.concurrence.examples.Examples hello} or
 * {@code java io.concurrence.examples.Examples queryblaster --sessions 8}. The Maven profile {@code run} of this
 * module calls it (see examples/README.md).
 */
public final class Examples {

    /** Exit code: the example's name or arguments were wrong (usage printed on stderr). */
    static final int EXIT_USAGE = 2;

    /** One example's body: runs inside {@link Concurrence#dispatch} with the arguments after its name. */
    @FunctionalInterface
    interface Example {
        void run(List<String> args);
    }

    private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("showcase", Showcase::main);
        EXAMPLES.put("demo", withoutArguments("demo", Demo::main));
        EXAMPLES.put("hello", withoutArguments("hello", Hello::main));
        EXAMPLES.put("message", withoutArguments("message", MessageExample::main));
        EXAMPLES.put("greeter", withoutArguments("greeter", Greeter::main));
        EXAMPLES.put("chat", withoutArguments("chat", Chat::main));
        EXAMPLES.put("http", withoutArguments("http", HttpHello::main));
        EXAMPLES.put("post", withoutArguments("post", Post::main));
        EXAMPLES.put("web", withoutArguments("web", Web::main));
        EXAMPLES.put("http_client", withoutArguments("http_client", HttpClientExample::main));
        EXAMPLES.put("jdbc", withoutArguments("jdbc", Jdbc::main));
        EXAMPLES.put("queryblaster", QueryBlaster::main);
        EXAMPLES.put("remote_server", RemotePingPong::server);
        EXAMPLES.put("remote_client", RemotePingPong::client);
        EXAMPLES.put("spring", ShopApplication::main);
    }

    private Examples() {
    }

    /**
     * Runs the example named by the first argument (default {@code showcase}) with the remaining arguments, and exits
     * with its exit code.
     *
     * @param args the example's name, then its arguments
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.exit(run("showcase"));
        }
        System.exit(run(args[0], Arrays.copyOfRange(args, 1, args.length)));
    }

    /** The names {@code -Dexample=} accepts, in the order {@code docs/examples.md} presents them. */
    static Set<String> names() {
        return Collections.unmodifiableSet(EXAMPLES.keySet());
    }

    /**
     * Runs the example {@code name} with {@code args} under {@link Concurrence#dispatch}; returns its exit code
     * ({@value #EXIT_USAGE}: unknown name or bad arguments).
     */
    static int run(String name, String... args) {
        Example example = EXAMPLES.get(name);
        if (example == null) {
            System.err.println("Unknown example '" + name + "'; choose one of " + EXAMPLES.keySet());
            return EXIT_USAGE;
        }
        List<String> arguments = List.of(args);
        return Concurrence.dispatch(() -> example.run(arguments));
    }

    /** An example that takes no arguments: refuses any with {@value #EXIT_USAGE}. */
    private static Example withoutArguments(String name, Runnable body) {
        return args -> {
            if (!args.isEmpty()) {
                System.err.println("The example '" + name + "' takes no arguments; got " + args);
                Concurrence.quit(EXIT_USAGE);
                return;
            }
            body.run();
        };
    }
}
