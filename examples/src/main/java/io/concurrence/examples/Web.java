package io.concurrence.examples;

import io.concurrence.Concurrence;
import io.concurrence.http.HttpServer;
import io.concurrence.web.Router;

/**
 * The seed's {@code web.py}: the web layer's annotated controller, {@link ExampleController}, on a router.
 * {@code /greeting} and {@code /welcome} say {@code Hello World}, {@code /farewell} says {@code Goodbye},
 * {@code /sum?msg=Total&a=1&b=2} says {@code Total 3}, {@code /wrapper} shows how filters nest; every
 * answer is an HTML page titled {@code Example Page}.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=web}, then
 * {@code curl 'http://localhost:8080/sum?msg=Total&a=1&b=2'}. Ctrl-C stops it.
 */
public final class Web {

    /** The seed's port. */
    static final int PORT = 8080;

    private Web() {
    }

    /**
     * Starts the server on {@code host}:{@code port} (0: a free port).
     *
     * @return the running server; close it to stop
     */
    static HttpServer start(String host, int port) {
        Router router = Router.create().controller(new ExampleController());
        return HttpServer.builder().host(host).port(port).handler(router).build().start();
    }

    /** The example's body: runs inside {@link Concurrence#dispatch} until Ctrl-C. */
    static void main() {
        HttpServer server = start("localhost", PORT);
        System.out.println("web listening on http://localhost:" + server.port()
                + "/ (try /greeting, /welcome, /farewell, /sum?msg=Total&a=1&b=2, /wrapper)");
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(Web::main));
    }
}
